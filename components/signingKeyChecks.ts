import type { SettingsProblem } from "../config/errors";
import type { CloudCheckTargets } from "./cloudChecks";
import { NoAwsCredentials, SigningKeyRefusal, signingPublicKey } from "./image/signingKey";
import { LastingRefusal, isLastingRefusal } from "./lastingRefusal";
import { NoAnswer } from "./noAnswer";

/**
 * The key images are verified with (image.verify.signingKey), asked of KMS before anything of either cloud is
 * registered. Inside the components it was first asked once the image was there, after the stack's other resources
 * had been made (and after up to image.waitMinutes of waiting for the push). Only a key KMS does not have, or one that
 * cannot sign as cosign does, is a settings error. A refusal that lasts the run (a deployer without kms:GetPublicKey,
 * lastingRefusal.ts) and a KMS that does not answer stop the run here, before anything is registered; any other answer
 * (KMS's own trouble, throttling) is left to the components, which ask again when they verify. The answer is kept for
 * the run, and so is a refusal, so they do not ask KMS twice.
 */
export async function signingKeyProblems({ verify }: CloudCheckTargets): Promise<SettingsProblem[]> {
    if (!verify) return [];
    try {
        await signingPublicKey(verify.policy.signingKey, verify.policy.keyRegion);
        return [];
    } catch (err) {
        if (err instanceof SigningKeyRefusal) return [{ key: verify.signingKeyAt, message: err.message }];
        // With AWS off, this is the run's only AWS read (no STS check comes first, awsProviderChecks.ts): a GCP-only stack
        // still needs AWS credentials for the key, which is in AWS KMS whichever clouds the stack deploys to.
        if (err instanceof NoAwsCredentials) {
            throw new LastingRefusal(`${verify.signingKeyAt} needs AWS credentials to read its key from AWS KMS, on a stack with aws.enabled false too: ${err.message}`, { cause: err });
        }
        // A refusal that lasts the run, or no answer at all, would fail the components the same way, only after the
        // stack's first resources: it stops the run here.
        if (isLastingRefusal(err) || err instanceof NoAnswer) throw err;
        return [];
    }
}
