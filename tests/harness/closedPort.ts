import * as assert from "assert";
import * as path from "path";
import { PROJECT_ROOT, readStackFile } from "../../config/stackFile";
import { freePort } from "../../scripts/bench/processes";
import { MockCloud, runUnderMocks } from "../../scripts/offline/mockCloud";

/**
 * `http://127.0.0.1:<port>` for a loopback port nothing listens on any more (freePort: taken, then closed): a connection
 * to it is refused (ECONNREFUSED), with no network needed and none used.
 */
export async function closedPortUrl(): Promise<string> {
    return `http://127.0.0.1:${await freePort()}`;
}

/**
 * Runs `stack`'s program (index.ts) under the mocks with one AWS service's endpoint variable (`AWS_ENDPOINT_URL_LAMBDA`,
 * `AWS_ENDPOINT_URL_STS`) at a closed port, set inside the program: the offline run has pointed the AWS SDK at its
 * stand-ins by then (cloudApiServer.ts cloudApiEnvironment), so that service alone is unreachable. The run puts the
 * variable back as it found it before the run, as it does every variable cloudApiEnvironment sets (runUnderMocks,
 * useCloudApisInProcess's restore). Resolves with the run's error message (a run that goes through fails the test), the
 * closed port, and the mock cloud.
 */
export async function failedWithAwsServiceUnreachable(stack: string, endpointVariable: string): Promise<{ message: string; port: string; cloud: MockCloud | undefined }> {
    const closed = await closedPortUrl();
    let cloud: MockCloud | undefined;
    const program = require(path.join(PROJECT_ROOT, "index.ts")) as () => unknown;
    const redirected = () => ((process.env[endpointVariable] = closed), program());
    const message = await runUnderMocks({ ...readStackFile(stack), stack, setup: (c) => (cloud = c) }, redirected)
        .then(
            () => assert.fail("the run went through"),
            (err: Error) => err.message,
        );
    return { message, port: new URL(closed).port, cloud };
}
