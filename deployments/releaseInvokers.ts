/**
 * Who may invoke each stack's Cloud Run service for its release: deploy-prod.yml's release account (gcpOidc.ts
 * releaseAccount), whose probes call the new revision with its own ID token (release/probe/cloudRunTransport.ts). The
 * stacks grant roles/run.invoker on the service they create (`gcp.releaseInvokers`,
 * components/gcp/cloudRunGcsService.ts). deployments/ cannot: Cloud Run is not among the services that recognize
 * resource attributes in IAM Conditions (IAM docs, "Resource attributes for IAM Conditions": "Other services and
 * resource types do not recognize resource attributes"), so its only grant would be project-wide, and a released stack
 * in a project it shares (dev and review share one) would let its release call every service there; and the service
 * does not exist until the stack's first `pulumi up`.
 */
import { refuseWhenAny } from "./refusal";
import { poolAccountMember, sameMembers, yamlMemberList } from "./registryAccess";
import { DeploymentsSettings, isReleased } from "./settings";

/** The release account of a released stack (its ID before serviceAccountId). */
export const releaseAccountId = (stack: string) => `release-${stack}`;

/**
 * What each stack file must grant roles/run.invoker on its service to: a released stack's own release account, no one
 * else.
 */
export function expectedReleaseInvokers(s: DeploymentsSettings): Record<string, string[]> {
    return Object.fromEntries(Object.keys(s.stacks).map((stack) => [stack, isReleased(s, stack) ? [poolAccountMember(s, releaseAccountId(stack))] : []]));
}

/**
 * Each stack file must grant exactly these: a missing member would fail every release's probe (Cloud Run answers 403),
 * an extra one lets someone else call the service. One message names every difference and the YAML that fixes it,
 * before anything is registered.
 */
export function checkReleaseInvokers(s: DeploymentsSettings, stackFiles: Record<string, string[]>): void {
    const problems = Object.entries(expectedReleaseInvokers(s)).flatMap(([stack, expected]) => {
        const actual = stackFiles[stack] ?? [];
        if (sameMembers(actual, expected)) return [];
        return [`Pulumi.${stack}.yaml must set, under ${s.project}:gcp:\n      releaseInvokers:${yamlMemberList(expected, "        ")}`];
    });
    refuseWhenAny("the stacks' Cloud Run invokers differ from the release accounts deployments/ creates", problems);
}
