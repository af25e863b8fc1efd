import { isPlainObject } from "../../config/plainObject";
import { GoogleApiCallOptions, getGoogleApi } from "./googleApiError";
import { IMAGE_NAME, artifactRegistryPath } from "./imageNames";
import { unreadableAnswer } from "./unreadableAnswer";

export interface RepositoryRef {
    project: string;
    /**
     * The project's number, where known: Google names the project a SERVICE_DISABLED is about by number, so with it an
     * answer about another project (the caller's quota project) is told apart at once instead of waited out.
     */
    projectNumber?: string;
    region: string;
    repositoryId: string;
}

/** The project a read's SERVICE_DISABLED may be about (getGoogleApi's `project`). */
export const apiProjectOf = (ref: Pick<RepositoryRef, "project" | "projectNumber">) => ({ id: ref.project, number: ref.projectNumber });

const API = "https://artifactregistry.googleapis.com/v1";

/**
 * An image's package in the repository's resource name: its path, whose '/' is escaped as %2F ("If the package part
 * contains slashes, the slashes are escaped": googleapis/googleapis google/devtools/artifactregistry/v1/tag.proto).
 */
const packageUrl = (ref: RepositoryRef, imageName: string) =>
    `${API}/projects/${ref.project}/locations/${ref.region}/repositories/${ref.repositoryId}/packages/${encodeURIComponent(imageName)}`;

/**
 * `projects.locations.repositories.packages.tags.get`: the one tag asked for, not a listing of the repository. The
 * package is the image's path in the repository: the service image's unless `imageName` says otherwise.
 */
export function tagUrl(ref: RepositoryRef & { imageName?: string }, tag: string): string {
    return `${packageUrl(ref, ref.imageName ?? IMAGE_NAME)}/tags/${tag}`;
}

/**
 * Google checks the permission before it looks for the repository, and for a missing one checks it on the project,
 * answering NOT_FOUND only to an identity that holds it there (AIP-211, "Authorization checks"). The deployer's roles
 * are project-wide; image.yml's and the promotion's accounts hold theirs on the repository alone (gcp.registryAccess),
 * so before the stack's first `pulumi up` has made the repository, and while IAM applies their new grant, they get
 * PERMISSION_DENIED "... (or it may not exist)", as for a permission they lack.
 */
const TAG_REFUSED =
    "the identity asking needs artifactregistry.tags.get on the repository (roles/artifactregistry.reader), or the repository does not exist yet, which Google " +
    "answers alike to an identity whose roles are on the repository alone (image.yml's and the promotion's accounts): run the stack's first `pulumi up`, " +
    "which creates the repository and grants gcp.registryAccess, then run this again after IAM's usual 2 minutes (at worst 7)";

/**
 * The `sha256:` digest under a tag of the service image (or of `ref.imageName`), or undefined when Artifact Registry
 * answers NOT_FOUND (no such tag, package or repository). A SERVICE_DISABLED answer (the API was enabled moments ago) is asked again for
 * about a minute; any other answer throws with its status and reason.
 */
export async function digestOfTag(ref: RepositoryRef & { imageName?: string }, tag: string, accessToken: string, options: GoogleApiCallOptions = {}): Promise<string | undefined> {
    const image = `${artifactRegistryPath(ref)}/${ref.imageName ?? IMAGE_NAME}`;
    const answer = await getGoogleApi<{ version?: string }>(
        tagUrl(ref, tag),
        accessToken,
        {
            what: `could not read tag ${tag} of ${image}`,
            whenDisabled: "the Artifact Registry API is still disabled in that project",
            whenRefused: TAG_REFUSED,
            project: apiProjectOf(ref),
        },
        options,
    );
    if (answer === undefined) return undefined;
    // A Tag's `version` is its version's resource name, ending /versions/sha256:<digest> (googleapis tag.proto).
    const version: unknown = isPlainObject(answer) ? answer.version : undefined;
    const digest = /\/versions\/(sha256:[0-9a-f]{64})$/.exec(typeof version === "string" ? version : "")?.[1];
    if (!digest) {
        throw unreadableAnswer({
            answered: `Artifact Registry answered tag ${tag} of ${image} with no version of the form .../versions/sha256:<digest>`,
            answer,
            neither: "a tag",
            unknown: "whether the tag is there",
            see: `its tags with gcloud artifacts docker tags list ${image}`,
        });
    }
    return digest;
}

/**
 * When a version of the image (by digest) was pushed: `projects.locations.repositories.packages.versions.get`'s
 * `createTime`; undefined when Artifact Registry answers NOT_FOUND. Any other answer without a readable `createTime`
 * throws, quoting it: read as NOT_FOUND, it would leave the scan waiting for an image pushed long ago.
 */
export async function versionCreateTime(ref: RepositoryRef, imageName: string, digest: string, accessToken: string, options: GoogleApiCallOptions = {}): Promise<Date | undefined> {
    const answer = await getGoogleApi<{ createTime?: string }>(
        `${packageUrl(ref, imageName)}/versions/${digest}`,
        accessToken,
        {
            what: `could not read version ${digest} of ${artifactRegistryPath(ref)}/${imageName}`,
            whenDisabled: "the Artifact Registry API is still disabled in that project",
            whenRefused: "the deploying identity needs artifactregistry.versions.get",
            project: apiProjectOf(ref),
        },
        options,
    );
    if (answer === undefined) return undefined;
    // A Version's createTime is a google.protobuf.Timestamp, an RFC 3339 string in JSON (googleapis version.proto).
    const createTime: unknown = isPlainObject(answer) ? answer.createTime : undefined;
    const pushed = typeof createTime === "string" ? new Date(createTime) : undefined;
    if (!pushed || Number.isNaN(pushed.getTime())) {
        const image = `${artifactRegistryPath(ref)}/${imageName}`;
        throw unreadableAnswer({
            answered: `Artifact Registry answered version ${digest} of ${image} with no createTime of the form <RFC 3339 time>`,
            answer,
            neither: "a version",
            unknown: "when it was pushed",
            see: `the version with gcloud artifacts docker images describe ${image}@${digest}`,
        });
    }
    return pushed;
}
