import { Provider as AwsProvider } from "@pulumi/aws/provider";
import { Provider as GcpProvider } from "@pulumi/gcp/provider";
import { PROJECT_NAMESPACE, StackSettings } from "../config";
import type { SettingsProblem } from "../config/errors";
import { ECR_IMAGE_REF_PATTERN } from "../config/cloudLimits";
import { refuseUnrunnableEcrImage } from "./aws/ecrImages";
import { checkingCloudRunImage } from "./gcp/cloudRunImagePlatform";
import { prebuiltRepositoryWith } from "./gcp/imageRegistry";
import { ecrPrebuiltRepository } from "./aws/imageRepository";
import { ImageVerificationError, verifyPrebuiltImage } from "./image/imageVerification";
import { OciRepository } from "./image/ociRegistry";
import { SigningKeyRefusal } from "./image/signingKey";
import { UnrunnableImage } from "./image/unrunnableImage";
import { providerAccessToken, providerAccountId, warnNowhere } from "./preflight";
import { stackImageVerification } from "./stackImageVerification";

/**
 * The stack's prebuilt images, checked before anything of either cloud is registered: Lambda's in this stack's account
 * (Lambda runs no other's), and each one its platform runs (a single manifest of the functions' architecture; a
 * linux/amd64 image for Cloud Run), and, where the stack requires it (image.verify), signed and attested. A refusal
 * is a settings error naming the setting; inside the components it would fail the update only once other resources
 * had started, with the refusal among the errors of what waited for it.
 */
export async function prebuiltImageProblems(settings: StackSettings, providers: { aws?: AwsProvider; gcp?: GcpProvider }): Promise<SettingsProblem[]> {
    return (await Promise.all([awsImageProblems(settings, providers.aws), gcpImageProblems(settings, providers.gcp)])).flat();
}

async function awsImageProblems(settings: StackSettings, provider: AwsProvider | undefined): Promise<SettingsProblem[]> {
    const image = settings.aws.image;
    const imageAccount = image ? ECR_IMAGE_REF_PATTERN.exec(image)?.[1] : undefined;
    if (!provider || !image || !imageAccount) return [];
    const key = `${PROJECT_NAMESPACE}:aws.image`;
    const accountId = await providerAccountId(provider);
    if (imageAccount !== accountId) return [{ key, message: `must be in this stack's AWS account ${accountId} (got an image in account ${imageAccount})` }];
    const at = image.lastIndexOf("@");
    return refused(key, async () => {
        await refuseUnrunnableEcrImage(image.slice(0, at), image.slice(at + 1), settings.aws.architecture, warnNowhere);
        await verifiedWhereRequired(settings, image, ecrPrebuiltRepository(settings.providers["aws:region"]));
    });
}

async function gcpImageProblems(settings: StackSettings, provider: GcpProvider | undefined): Promise<SettingsProblem[]> {
    const image = settings.gcp.image;
    if (!provider || !image) return [];
    const accessToken = await providerAccessToken(provider);
    const repositoryAt = prebuiltRepositoryWith(Promise.resolve(accessToken));
    return refused(`${PROJECT_NAMESPACE}:gcp.image`, async () => {
        await checkingCloudRunImage(image, repositoryAt, warnNowhere);
        await verifiedWhereRequired(settings, image, repositoryAt);
    });
}

/** A prebuilt image's signature and attestations, where the stack requires them (image.verify: prod must). */
async function verifiedWhereRequired(settings: StackSettings, image: string, repositoryAt: (host: string, name: string) => Promise<OciRepository>): Promise<void> {
    const policy = stackImageVerification(settings);
    if (policy) await verifyPrebuiltImage(image, policy, repositoryAt);
}

/** The check's refusal as the setting's problem; any other failure (the registry not reached) stops the run as it is. */
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
