import type { CloudCheckTargets } from "./cloudChecks";
import { SDK_DEFAULT_CREDENTIALS } from "./aws/environmentProfile";
import { sdkIdentity } from "./aws/sdkIdentity";
import { providerAccountId } from "./preflight";
import { Refusal } from "./refusal";

/** The AWS SDK's default credentials are of another account than the one the AWS provider deploys to. */
export class ReadsOfAnotherAccount extends Refusal {
    name = "ReadsOfAnotherAccount";
}

/**
 * Refuses, before anything is registered, a run whose AWS reads would be of another account than its deployment. The
 * checks and LambdaEcrPipeline read ECR, Lambda and KMS through the AWS SDK, with its default credentials: a component
 * cannot read its provider's own (`aws:profile`, `aws:assumeRoles`, keys given to an explicit provider). With another
 * account's credentials those reads answer for that account: an image the deployment's repository holds is "not there"
 * (RepositoryNotFoundException), so `pulumi up` waited out `imageWaitMinutes` for a tag already pushed, and limits and
 * versions were another account's.
 */
export async function refuseReadsOfAnotherAccount(aws: CloudCheckTargets["aws"]): Promise<void> {
    if (!aws) return;
    const deployedTo = await providerAccountId(aws.provider);
    const reader = await sdkIdentity(aws.region);
    if (reader.account === deployedTo) return;
    throw new ReadsOfAnotherAccount(
        `the AWS SDK's default credentials (${SDK_DEFAULT_CREDENTIALS}) are ${reader.arn}, of account ${reader.account}, ` +
            `but the AWS provider deploys to account ${deployedTo}: the reads of ECR, Lambda and KMS before and during the deployment are made with those ` +
            "credentials, so they would read another account's images, functions and limits. Run with the provider's identity in the environment " +
            "(the keys, profile or role the provider is given), or give the provider the environment's",
    );
}
