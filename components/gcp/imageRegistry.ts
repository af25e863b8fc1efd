import * as artifactregistry from "@pulumi/gcp/artifactregistry";
import * as pulumi from "@pulumi/pulumi";
import { ImageLookup, ServiceImage, contentTag, imageChoice, imagePusher } from "../image";
import { OciRepository } from "../image/ociRegistry";
import { isGoogleRegistry } from "../image/registryLocation";
import { CloudRunGcsServiceArgs } from "./args";
import { digestOfTag } from "./artifactRegistryTags";
import { CLOUD_RUN_PLATFORM } from "./cloudRunImagePlatform";
import { containerAnalysisScanner } from "./containerAnalysisScan";
import { CONTENT_TAG_PREFIX, IMAGE_NAME, artifactRegistryPath } from "./imageNames";
import { boundedId, distinctIdPart, memberNamePart } from "./resourceIds";

export { CONTENT_TAG_PREFIX, IMAGE_NAME };

/**
 * Artifact Registry's cleanup. A KEEP policy only exempts versions from DELETE policies, and every image here is
 * tagged, so a delete policy must match tagged images for anything to go: images under the content tags are
 * deleted except the newest `imagesToKeep`, the image this deployment runs (its tag) and the rollback target (the
 * stable revision's image, by version name: its digest). Untagged leftovers go too. KEEP wins over DELETE.
 * Artifact Registry never deletes a tagged version of a repository with immutable tags, so the repository's tags
 * are mutable (see createImageRegistry).
 */
export function cleanupPolicies(imagesToKeep: number, keep: { tag?: string; digest?: string } = {}) {
    // A signed build is three versions of the image's package: the image and cosign's `sha256-<hex>.sig` and `.att`
    // manifests, pushed right after it (mostRecentVersions counts versions, not builds). Every build image.yml pushes
    // is signed, whether or not the stack verifies (dev does not), and the promotion copies prod's with theirs; an
    // unsigned build (`npm run image -- build`) is one version, so more of those stay, never fewer. The cosign tags
    // match no DELETE policy, so they stay; a replaced `.att` is untagged and goes with the untagged leftovers.
    const versionsPerBuild = 3;
    return [
        ...(keep.tag ? [{ id: "keep-running-image", action: "KEEP", condition: { tagState: "TAGGED", tagPrefixes: [keep.tag] } }] : []),
        ...(keep.digest ? [{ id: "keep-rollback-target", action: "KEEP", condition: { tagState: "ANY", versionNamePrefixes: [keep.digest] } }] : []),
        { id: "keep-most-recent", action: "KEEP", mostRecentVersions: { keepCount: imagesToKeep * versionsPerBuild } },
        { id: "delete-older-builds", action: "DELETE", condition: { tagState: "TAGGED", tagPrefixes: [CONTENT_TAG_PREFIX] } },
        { id: "delete-untagged", action: "DELETE", condition: { tagState: "UNTAGGED" } },
    ];
}

/**
 * The Artifact Registry repository of a stack, known without asking GCP (the image workflow pushes to it); at most 63
 * characters (Artifact Registry's limit on a repository ID), shortened with a hash for long stack names.
 */
export function registryRepositoryId(registryName: string, environment: string): string {
    return boundedId(distinctIdPart(`${registryName}-${environment}`), 63);
}

/**
 * A prebuilt image's repository as the registry API reaches it: Google's registries with the deployer's access token
 * (Artifact Registry's Docker endpoint takes it as the password of `oauth2accesstoken`); elsewhere (Docker Hub)
 * anonymously, as the token is for Google's hosts only.
 */
export function prebuiltRepositoryWith(token: Promise<string>): (host: string, name: string) => Promise<OciRepository> {
    return async (host, name) => ({ host, name, credentials: isGoogleRegistry(host) ? async () => ({ user: "oauth2accesstoken", password: await token }) : undefined });
}

/**
 * Asks Artifact Registry for `service:<tag>` (one tags.get); "not there" is decided by the API's NOT_FOUND status. The
 * project's number, where given, tells a SERVICE_DISABLED about another project from one about this one.
 */
export function artifactRegistryLookup(
    args: { project: string; region: string; repositoryId: string },
    accessToken: pulumi.Output<string>,
    scanned = false,
    projectNumber?: pulumi.Output<string>,
): ImageLookup {
    const token = new Promise<string>((resolve) => pulumi.unsecret(accessToken).apply(resolve));
    const number = projectNumber ? new Promise<string>((resolve) => projectNumber.apply(resolve)) : Promise.resolve(undefined);
    const ref = async () => ({ ...args, projectNumber: await number });
    return {
        description: `Artifact Registry repository ${artifactRegistryPath(args)}`,
        findDigest: async (tag) => digestOfTag(await ref(), tag, await token),
        // Artifact Registry's Docker endpoint takes the OAuth access token as the password of `oauth2accesstoken`.
        repository: async () => ({
            host: `${args.region}-docker.pkg.dev`,
            name: `${args.project}/${args.repositoryId}/${IMAGE_NAME}`,
            credentials: async () => ({ user: "oauth2accesstoken", password: await token }),
        }),
        prebuiltRepository: prebuiltRepositoryWith(token),
        scanner: scanned ? containerAnalysisScanner({ ...args, imageName: IMAGE_NAME }, () => token, {}, number) : undefined,
    };
}

/**
 * The Docker repository in Artifact Registry and the service image in it: the image of the source's content tag,
 * as the image workflow or a promotion pushed it (`pulumi up` never builds), asked for only once the repository and
 * the Artifact Registry API exist (before, the API answers 403 SERVICE_DISABLED); or a prebuilt image.
 */
export function createImageRegistry(
    name: string,
    args: Pick<
        CloudRunGcsServiceArgs,
        "environment" | "project" | "region" | "labels" | "image" | "imagesToKeep" | "registryAccess" | "isProduction" | "imageWaitMinutes" | "imagePromotedFrom" | "imageRegistriesOf" | "imageVerification"
    > & {
        /** The APIs' services' ids, once they serve the project. */
        registryApi: pulumi.Output<string>;
        scanningApi?: pulumi.Output<string>;
        accessToken: pulumi.Output<string>;
        projectNumber?: pulumi.Output<string>;
        prebuiltChecked: Promise<void>;
        /** The digest of the stable revision's image, once that revision is one a rollback can take (stableRevisionDigest). */
        stableDigest: pulumi.Output<string | undefined>;
    },
    opts: pulumi.CustomResourceOptions,
) {
    const repositoryId = registryRepositoryId(name, args.imageRegistriesOf ?? args.environment);
    const source = imageChoice(args.image, CLOUD_RUN_PLATFORM);
    // Another stack's repository (imageRegistriesOf) keeps its own cleanup policies: this stack creates none.
    const repository = args.imageRegistriesOf ? undefined : createRepository(name, repositoryId, args, args.stableDigest, source, opts);
    const access = repository ? grantRegistryAccess(name, repository, args.registryAccess, opts) : [];
    const registryUri = repository?.registryUri ?? pulumi.output(artifactRegistryPath({ region: args.region, project: args.project, repositoryId }));
    const image = new ServiceImage(
        `${name}-image`,
        {
            source,
            repositoryUrl: pulumi.interpolate`${registryUri}/${IMAGE_NAME}`,
            // The component started the prebuilt image's check before its first resources, which wait for it.
            lookup: { ...artifactRegistryLookup({ project: args.project, region: args.region, repositoryId }, args.accessToken, args.scanningApi !== undefined, args.projectNumber), checkPrebuilt: () => args.prebuiltChecked },
            ready: [...(repository ? [repository.registryUri] : []), args.registryApi, ...(args.scanningApi ? [args.scanningApi] : [])],
            waitMinutes: args.imageWaitMinutes ?? 20,
            pushedBy: imagePusher({ promotedFrom: args.imagePromotedFrom, registriesOf: args.imageRegistriesOf }),
            verify: args.imageVerification,
        },
        { parent: opts.parent },
    );
    return { repository, access, image };
}

/**
 * The image workflow's and the promotion's access, granted on the repository itself (why not deployments/:
 * deployments/registryAccess.ts). Each grant only adds its member (IamMember, not IamBinding).
 */
function grantRegistryAccess(name: string, repository: artifactregistry.Repository, access: CloudRunGcsServiceArgs["registryAccess"], opts: pulumi.CustomResourceOptions) {
    const grants = [
        ...(access?.writers ?? []).map((member) => ({ member, role: "roles/artifactregistry.writer", as: "writer" })),
        ...(access?.readers ?? []).map((member) => ({ member, role: "roles/artifactregistry.reader", as: "reader" })),
    ];
    return grants.map(
        ({ member, role, as }) =>
            new artifactregistry.RepositoryIamMember(
                `${name}-${as}-${memberNamePart(member)}`,
                { project: repository.project, location: repository.location, repository: repository.repositoryId, role, member },
                opts,
            ),
    );
}

function createRepository(
    name: string,
    repositoryId: string,
    args: Pick<CloudRunGcsServiceArgs, "project" | "region" | "labels" | "imagesToKeep" | "isProduction">,
    stableDigest: pulumi.Output<string | undefined>,
    source: ReturnType<typeof imageChoice>,
    opts: pulumi.CustomResourceOptions,
) {
    const runningTag = "build" in source ? contentTag(source.build) : undefined;
    return new artifactregistry.Repository(
        name,
        {
            project: args.project,
            location: args.region,
            repositoryId,
            format: "DOCKER",
            description: "Images of the multicloud service",
            // Mutable: Artifact Registry's cleanup never deletes a tagged version where tags are immutable, and every
            // version here is tagged. Tags still never move: a tag is pushed once (the image workflow and the
            // promotion skip a tag that is there), and Cloud Run runs digests, never tags.
            // Written out although false is the default, for the bounded diff: the provider reads the API's
            // `dockerConfig: {}` back as this block (terraform-provider-google#17484, fixing #14846). It sends no
            // dockerConfig on create (false is dropped), so at worst the second `up` sends `{}` once; without the
            // block, an API that answers `{}` anyway would show a diff on every preview that no update clears.
            dockerConfig: { immutableTags: false },
            cleanupPolicyDryRun: false,
            cleanupPolicies: stableDigest.apply((digest) => cleanupPolicies(args.imagesToKeep, { tag: runningTag, digest })),
            labels: args.labels,
        },
        { ...opts, protect: args.isProduction },
    );
}
