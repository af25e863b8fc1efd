import { perRun } from "../perRun";
import { awsReadFailure, withClient } from "./awsClient";

/** Whose the AWS SDK's default credentials are: STS GetCallerIdentity's Account and Arn. */
export interface SdkIdentity {
    account: string;
    arn: string;
}

const identities = perRun<SdkIdentity>();

/**
 * Whose the AWS SDK's default credentials are (the environment's keys, AWS_PROFILE or AWS_DEFAULT_PROFILE, the machine's role), asked of STS
 * in `region` once a run. STS answers GetCallerIdentity for any identity ("No permissions are required to perform this
 * operation", STS API reference), so a failure here is no credentials at all, or no answer (awsReadFailure).
 */
export function sdkIdentity(region: string): Promise<SdkIdentity> {
    return identities(region, async () => {
        const { STSClient, GetCallerIdentityCommand } = await import("@aws-sdk/client-sts");
        try {
            const { Account, Arn } = await withClient(STSClient, region, (client) => client.send(new GetCallerIdentityCommand({})));
            return { account: Account ?? "", arn: Arn ?? "" };
        } catch (err) {
            const unread = `could not ask STS in ${region} whose the AWS SDK's default credentials are (GetCallerIdentity)`;
            throw awsReadFailure(unread, err as Error, { service: "STS", needs: "sts:GetCallerIdentity", region });
        }
    });
}
