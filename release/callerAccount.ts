import { SDK_DEFAULT_CREDENTIALS } from "../components/aws/environmentProfile";
import type { SdkIdentity } from "../components/aws/sdkIdentity";
import { ReleaseError } from "./releaseError";
import type { ReleasePlan } from "./settings";
import type { Cloud, DeployedTarget } from "./types";

/**
 * Refuses a release whose own AWS credentials are of another account than the stack's AWS resources (the account in
 * its state machine's ARN). Its `pulumi up`s run with the stack's credentials (the ESC environment its stack file
 * imports), while its probes and its SNS and CloudWatch reads use the process's (the environment's keys, AWS_PROFILE or
 * AWS_DEFAULT_PROFILE, the machine's role). Of another account, the probe's Invoke of the new version answers
 * ResourceNotFoundException (no such function there), which the probe counts as the version's errors (lambdaTransport.ts
 * stops only on refusals of the caller): the version failed its verification and was recorded as rolled back, never to
 * be released again.
 */
export async function refuseCallerOfAnotherAccount(
    plan: ReleasePlan,
    deployed: Partial<Record<Cloud, DeployedTarget>>,
    awsCaller: (() => Promise<SdkIdentity>) | undefined,
    trafficSoFar: string,
): Promise<void> {
    const account = plan.clouds.aws && deployed.aws?.location?.account;
    if (!account || !awsCaller) return;
    const caller = await awsCaller();
    if (caller.account === account) return;
    throw new ReleaseError(
        `the release's AWS credentials (${SDK_DEFAULT_CREDENTIALS}) are ${caller.arn}, of account ${caller.account}, ` +
            `but stack ${plan.stack}'s AWS resources are in account ${account}: its probes and metric reads would ask another account, ` +
            `and judge the new version on what they do not find there. Run it with credentials of ${account} (the stack's ESC environment: ` +
            `\`pulumi env run <org>/<environment> -- npm run release -- ${plan.stack}\`, or a release role of that account). ${trafficSoFar}`,
    );
}
