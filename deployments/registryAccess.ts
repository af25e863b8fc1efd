/**
 * Who may push to and pull from each stack's Artifact Registry repository: image.yml's account writes the repository
 * of a stack deployed on push; a promotion's account reads its source stack's and writes its own. The stacks grant it
 * on the repository they create (`gcp.registryAccess`, components/gcp/imageRegistry.ts): Artifact Registry does not
 * recognize resource names in IAM Conditions, so deployments/ cannot scope a project-wide grant to one repository,
 * and the repository does not exist until the stack's first `pulumi up`.
 */
import { DeploymentsSettings, isReleased } from "./settings";

export interface RegistryAccess {
    writers: string[];
    readers: string[];
}

/** A service account's ID in the pool's project: at most 30 characters (IAM's limit), as createGcpOidc creates it. */
export const serviceAccountId = (id: string) => id.slice(0, 30);
const member = (s: DeploymentsSettings, id: string) => `serviceAccount:${serviceAccountId(id)}@${s.gcpProject}.iam.gserviceaccount.com`;

export function expectedRegistryAccess(s: DeploymentsSettings): Record<string, RegistryAccess> {
    const access: Record<string, RegistryAccess> = Object.fromEntries(Object.keys(s.stacks).map((stack) => [stack, { writers: [], readers: [] }]));
    for (const [stack, options] of Object.entries(s.stacks)) {
        if (options.deployOnPush) access[stack].writers.push(member(s, `image-${stack}`));
        if (isReleased(s, stack) && options.promoteFrom) {
            access[stack].writers.push(member(s, `promote-${stack}`));
            access[options.promoteFrom]?.readers.push(member(s, `promote-${stack}`));
        }
    }
    return access;
}

/**
 * Each stack file must grant exactly these: a missing member would fail image.yml's push or the promotion with
 * PERMISSION_DENIED, an extra one gives someone else the repository. One message names every difference and the YAML
 * that fixes it.
 */
export function registryAccessProblems(s: DeploymentsSettings, granted: Record<string, RegistryAccess>): string | undefined {
    const problems = Object.entries(expectedRegistryAccess(s)).flatMap(([stack, expected]) => {
        const actual = granted[stack] ?? { writers: [], readers: [] };
        const same = (a: string[], b: string[]) => [...a].sort().join() === [...b].sort().join();
        if (same(actual.writers, expected.writers) && same(actual.readers, expected.readers)) return [];
        const list = (members: string[]) => (members.length ? members.map((m) => `\n          - ${m}`).join("") : " []");
        return [`Pulumi.${stack}.yaml must set, under ${s.project}:gcp:\n      registryAccess:\n        writers:${list(expected.writers)}\n        readers:${list(expected.readers)}`];
    });
    return problems.length ? `the stacks' Artifact Registry access differs from the accounts deployments/ creates:\n  - ${problems.join("\n  - ")}` : undefined;
}
