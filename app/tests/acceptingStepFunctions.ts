import { RecordingServer, recordingServer } from "./recordingServer";

/**
 * A Step Functions endpoint that accepts every StartExecution and records what it was sent, its answer the
 * execution's ARN and start date (Step Functions API reference, StartExecution), with the process's environment
 * pointed at it for the service's SDK client (AWS_ENDPOINT_URL_SFN and test credentials).
 */
export async function acceptingStepFunctions(): Promise<RecordingServer> {
    const sfn = await recordingServer((_req, res) => {
        res.writeHead(200, { "content-type": "application/x-amz-json-1.0" }).end(JSON.stringify({ executionArn: "arn:aws:states:us-east-1:123456789012:execution:pipeline:run-1", startDate: 1795358200 }));
    });
    Object.assign(process.env, { AWS_ENDPOINT_URL_SFN: sfn.url, AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" });
    return sfn;
}
