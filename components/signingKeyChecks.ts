import { PROJECT_NAMESPACE, StackSettings } from "../config";
import type { SettingsProblem } from "../config/errors";
import { SigningKeyRefusal, signingPublicKey } from "./image/signingKey";
import { stackImageVerification } from "./stackImageVerification";

/**
 * The key a stack verifies its images with (image.verify.signingKey), asked of KMS before anything of either cloud is
 * registered. Inside the components it was first asked once the image was there, after the stack's other resources
 * had been made (and after up to image.waitMinutes of waiting for the push). Only a key KMS does not have, or one that
 * cannot sign as cosign does, is a settings error; any other failure (a deployer without kms:GetPublicKey) is left to
 * the components, which ask again when they verify and name it. The answer is kept for the run, so they do not ask KMS twice.
 */
export async function signingKeyProblems(settings: StackSettings): Promise<SettingsProblem[]> {
    const policy = stackImageVerification(settings);
    if (!policy) return [];
    try {
        await signingPublicKey(policy.signingKey, policy.keyRegion);
        return [];
    } catch (err) {
        return err instanceof SigningKeyRefusal ? [{ key: `${PROJECT_NAMESPACE}:image.verify.signingKey`, message: err.message }] : [];
    }
}
