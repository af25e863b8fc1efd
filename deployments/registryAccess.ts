/**
 * The GitHub workflows' accounts that move images, and who may push to and pull from each stack's Artifact Registry
 * repository: image.yml's account writes the repository of a stack deployed on push; a promotion's account reads its
 * source stack's and writes its own. The stacks grant it on the repository they create (`gcp.registryAccess`,
 * components/gcp/imageRegistry.ts). deployments/ cannot: Artifact Registry is not among the services that recognize
 * resource attributes in IAM Conditions (IAM docs, "Resource attributes for IAM Conditions": "Other services and
 * resource types do not recognize resource attributes"), so a project-wide grant conditioned on the repository's name
 * grants nothing, and the repository does not exist until the stack's first `pulumi up`.
 */
import { refuseWhenAny } from "./refusal";
import type { RegistryAccess as ComponentRegistryAccess } from "../components/gcp/args";
import { serviceAccountId } from "../components/gcp/resourceIds";
import { DeploymentsSettings, isReleased } from "./settings";
import type { StackTarget } from "./stackTargets";

/** The component's registry access, both lists present (what a stack file grants, empty lists included). */
export type RegistryAccess = Required<ComponentRegistryAccess>;
export const NO_REGISTRY_ACCESS: RegistryAccess = { writers: [], readers: [] };

/** An account a workflow moves images with: image.yml's push of `stack`'s build, or the promotion into `stack` from `source`. */
export type WorkflowAccount = { kind: "image"; id: string; stack: string } | { kind: "promote"; id: string; stack: string; source: string };

/** The IAM member of the pool project's account `<id>` (before serviceAccountId), as a stack file must name it. */
export function poolAccountMember(s: DeploymentsSettings, id: string): string {
    return `serviceAccount:${serviceAccountId(id)}@${s.gcpProject}.iam.gserviceaccount.com`;
}

/** The same members, in any order (a stack file's list against what deployments/ expects). */
export function sameMembers(a: readonly string[], b: readonly string[]): boolean {
    return [...a].sort().join() === [...b].sort().join();
}

/** A member list as the YAML a refusal prints to paste, each item on its own line under `indent`, or `[]`. */
export function yamlMemberList(members: readonly string[], indent: string): string {
    return members.length ? members.map((m) => `\n${indent}- ${m}`).join("") : " []";
}

export function workflowAccounts(s: DeploymentsSettings): WorkflowAccount[] {
    return Object.entries(s.stacks).flatMap(([stack, options]): WorkflowAccount[] => [
        ...(options.deployOnPush ? [{ kind: "image" as const, id: `image-${stack}`, stack }] : []),
        ...(isReleased(s, stack) && options.promoteFrom ? [{ kind: "promote" as const, id: `promote-${stack}`, stack, source: options.promoteFrom }] : []),
    ]);
}

/**
 * What each stack file must grant on its repository. A stack on another stack's registries (`image.registriesOf`) has
 * none: its image account writes the other stack's repository, so that stack's file names it.
 */
export function expectedRegistryAccess(s: DeploymentsSettings, registriesOf: Record<string, string | undefined>): Record<string, RegistryAccess> {
    const access: Record<string, RegistryAccess> = Object.fromEntries(Object.keys(s.stacks).map((stack) => [stack, { writers: [], readers: [] }]));
    const owner = (stack: string) => registriesOf[stack] ?? stack;
    const member = (id: string) => poolAccountMember(s, id);
    for (const account of workflowAccounts(s)) {
        access[owner(account.stack)]?.writers.push(member(account.id));
        if (account.kind === "promote") access[owner(account.source)]?.readers.push(member(account.id));
    }
    return access;
}

/**
 * Each stack file must grant exactly these: a missing member would fail image.yml's push or the promotion with
 * PERMISSION_DENIED, an extra one gives someone else the repository. One message names every difference and the YAML
 * that fixes it, before anything is registered.
 */
export function checkRegistryAccess(s: DeploymentsSettings, stackFiles: Record<string, { registriesOf?: string; access: RegistryAccess }>): void {
    const registriesOf = Object.fromEntries(Object.entries(stackFiles).map(([stack, file]) => [stack, file.registriesOf]));
    const problems = Object.entries(expectedRegistryAccess(s, registriesOf)).flatMap(([stack, expected]) => {
        const actual = stackFiles[stack]?.access ?? NO_REGISTRY_ACCESS;
        if (sameMembers(actual.writers, expected.writers) && sameMembers(actual.readers, expected.readers)) return [];
        const list = (members: string[]) => yamlMemberList(members, "          ");
        return [`Pulumi.${stack}.yaml must set, under ${s.project}:gcp:\n      registryAccess:\n        writers:${list(expected.writers)}\n        readers:${list(expected.readers)}`];
    });
    refuseWhenAny("the stacks' Artifact Registry access differs from the accounts deployments/ creates", problems);
}

/**
 * A stack that runs another stack's registries (`image.registriesOf`) looks for its images under its own AWS region
 * and its own Google project and region, with the other stack's repository names (components/aws/imageRepository.ts,
 * components/gcp/imageRegistry.ts): registries are regional, so elsewhere its `up` waits image.waitMinutes for an
 * image that is never pushed there. Refuses, naming each file, a stack whose targets differ from its registries' stack.
 */
export function checkRegistriesOfTargets(registriesOf: Record<string, string | undefined>, targets: Record<string, StackTarget>): void {
    const problems = Object.entries(registriesOf).flatMap(([stack, owner]) => {
        if (owner === undefined || !targets[owner] || !targets[stack]) return [];
        const [mine, theirs] = [targets[stack], targets[owner]];
        const where = (t: StackTarget) => `aws:region ${t.awsRegion}, gcp:project ${t.gcpProject}, gcp:region ${t.gcpRegion}`;
        if (mine.awsRegion === theirs.awsRegion && mine.gcpProject === theirs.gcpProject && mine.gcpRegion === theirs.gcpRegion) return [];
        return [`Pulumi.${stack}.yaml runs ${owner}'s registries (image.registriesOf: ${owner}) from ${where(mine)}, but they are in ${where(theirs)}: deploy it where ${owner} is, or give it registries of its own`];
    });
    refuseWhenAny("a stack would wait for images that are never pushed where it looks", problems);
}
