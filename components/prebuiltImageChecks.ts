import type { SettingsProblem } from "../config/errors";
import { ECR_IMAGE_REF_PATTERN } from "../config/cloudLimits";
import { refuseUnrunnableEcrImage } from "./aws/ecrImages";
import type { CloudCheckTargets } from "./cloudChecks";
import { checkingCloudRunImage } from "./gcp/cloudRunImagePlatform";
import { prebuiltRepositoryWith } from "./gcp/imageRegistry";
import { ecrPrebuiltRepository } from "./aws/imageRepository";
import { ImageVerificationError, ImageVerificationPolicy, verifyPrebuiltImage } from "./image/imageVerification";
import { OciRepository } from "./image/ociRegistry";
import { SigningKeyRefusal } from "./image/signingKey";
import { UnrunnableImage } from "./image/unrunnableImage";
import { providerAccessToken, providerAccountId, warnNowhere } from "./preflight";

/**
 * The prebuilt images, checked before anything of either cloud is registered: Lambda's in the provider's account where
 * only that account's are run, and each one its platform runs (a single manifest of the functions' architecture; a
 * linux/amd64 image for Cloud Run), and, where verification is required (image.verify), signed and attested. A refusal
 * is a problem of the value that named the image; inside the components it would fail the update only once other
 * resources had started, with the refusal among the errors of what waited for it.
 */
export async function prebuiltImageProblems({ aws, gcp, verify }: CloudCheckTargets): Promise<SettingsProblem[]> {
    return (await Promise.all([awsImageProblems(aws, verify?.policy), gcpImageProblems(gcp, verify?.policy)])).flat();
}

async function awsImageProblems(aws: CloudCheckTargets["aws"], policy: ImageVerificationPolicy | undefined): Promise<SettingsProblem[]> {
    const image = aws?.image;
    const imageAccount = image && ECR_IMAGE_REF_PATTERN.exec(image.value)?.[1];
    if (!aws || !image || !imageAccount) return [];
    const accountId = aws.imagesOfThisAccountOnly ? await providerAccountId(aws.provider) : imageAccount;
    if (imageAccount !== accountId) return [{ key: image.at, message: `must be in this stack's AWS account ${accountId} (got an image in account ${imageAccount})` }];
    const at = image.value.lastIndexOf("@");
    return refused(image.at, async () => {
        await refuseUnrunnableEcrImage(image.value.slice(0, at), image.value.slice(at + 1), aws.architecture, warnNowhere);
        await verifiedWhereRequired(policy, image.value, ecrPrebuiltRepository(aws.region));
    });
}

async function gcpImageProblems(gcp: CloudCheckTargets["gcp"], policy: ImageVerificationPolicy | undefined): Promise<SettingsProblem[]> {
    const image = gcp?.image;
    if (!gcp || !image) return [];
    const accessToken = await providerAccessToken(gcp.provider);
    const repositoryAt = prebuiltRepositoryWith(Promise.resolve(accessToken));
    return refused(image.at, async () => {
        await checkingCloudRunImage(image.value, repositoryAt, warnNowhere);
        await verifiedWhereRequired(policy, image.value, repositoryAt);
    });
}

/** A prebuilt image's signature and attestations, where verification is required (image.verify: prod must). */
async function verifiedWhereRequired(policy: ImageVerificationPolicy | undefined, image: string, repositoryAt: (host: string, name: string) => Promise<OciRepository>): Promise<void> {
    if (policy) await verifyPrebuiltImage(image, policy, repositoryAt);
}

/** The check's refusal as the value's problem; any other failure (the registry not reached) stops the run as it is. */
async function refused(key: string, check: () => Promise<void>): Promise<SettingsProblem[]> {
    return check().then(
        () => [],
        (err: Error) => {
            // A key KMS does not have is image.verify.signingKey's problem, which signingKeyProblems names.
            if (err instanceof SigningKeyRefusal) return [];
            if (!(err instanceof UnrunnableImage || err instanceof ImageVerificationError)) throw err;
            return [{ key, message: err.message }];
        },
    );
}
