import { describeFailure, googleApiError } from "./googleApiError";
import { IMAGE_NAME } from "./imageNames";

export interface RepositoryRef {
    project: string;
    region: string;
    repositoryId: string;
}

const API = "https://artifactregistry.googleapis.com/v1";
/** Enabling an API takes a few minutes to reach every Google system (the SERVICE_DISABLED answer says so). */
const SERVICE_DISABLED_RETRIES = 6;
const SERVICE_DISABLED_DELAY_MS = 10_000;

/** `projects.locations.repositories.packages.tags.get`: the one tag asked for, not a listing of the repository. */
export function tagUrl(ref: RepositoryRef, tag: string): string {
    return `${API}/projects/${ref.project}/locations/${ref.region}/repositories/${ref.repositoryId}/packages/${IMAGE_NAME}/tags/${tag}`;
}

/**
 * The `sha256:` digest under a tag of the service image, or undefined when Artifact Registry answers NOT_FOUND (no
 * such tag, package or repository). A SERVICE_DISABLED answer (the API was enabled moments ago) is asked again for
 * about a minute; any other answer throws with its status and reason.
 */
export async function digestOfTag(
    ref: RepositoryRef,
    tag: string,
    accessToken: string,
    options: { fetch?: typeof fetch; sleep?: (ms: number) => Promise<void> } = {},
): Promise<string | undefined> {
    const fetchImpl = options.fetch ?? ((...a: Parameters<typeof fetch>) => fetch(...a));
    const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    for (let attempt = 1; ; attempt++) {
        const res = await fetchImpl(tagUrl(ref, tag), { headers: { authorization: `Bearer ${accessToken}` } });
        if (res.ok) {
            const { version } = (await res.json()) as { version?: string };
            const digest = /\/versions\/(sha256:[0-9a-f]{64})$/.exec(version ?? "")?.[1];
            if (!digest) throw new Error(`Artifact Registry tag ${tag} answered an unexpected version: ${JSON.stringify(version)}`);
            return digest;
        }
        const error = await googleApiError(res);
        if (error.status === "NOT_FOUND") return undefined;
        if (error.reason === "SERVICE_DISABLED" && attempt < SERVICE_DISABLED_RETRIES) {
            await sleep(SERVICE_DISABLED_DELAY_MS);
            continue;
        }
        throw describeFailure(
            `could not read tag ${tag} of ${ref.region}-docker.pkg.dev/${ref.project}/${ref.repositoryId}/${IMAGE_NAME}`,
            error,
            error.reason === "SERVICE_DISABLED" ? "the Artifact Registry API is still disabled in that project" : "the deploying identity needs artifactregistry.tags.get",
        );
    }
}
