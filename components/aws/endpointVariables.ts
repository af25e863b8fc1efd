/**
 * What an answer that is not the service's asks to be checked: the AWS SDK sends a call to `service` where
 * AWS_ENDPOINT_URL_<SERVICE> says, else AWS_ENDPOINT_URL (AWS SDKs and Tools Reference Guide, "Service-specific
 * endpoints"), as the offline runs set them (scripts/offline/cloudApiServer.ts, cloudApiEnvironment).
 */
export const endpointVariablesNameIt = (service: "ECR" | "KMS" | "Lambda" | "STS") => `AWS_ENDPOINT_URL_${service.toUpperCase()} and AWS_ENDPOINT_URL, if set, name ${service} itself`;
