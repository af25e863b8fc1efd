import { runSimulation } from "@cloud-copilot/iam-simulate";

export const ACCOUNT = "123456789012";
export type Decision = "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied";

/** What the IAM policy simulator decides for a role of this account holding `policy` (an identity policy) making one request. */
export async function decideForRole(policy: object, action: string, resource: string, context: Record<string, string> = {}): Promise<Decision> {
    const response = await runSimulation(
        {
            identityPolicies: [{ name: "role-policy", policy }],
            serviceControlPolicies: [],
            resourceControlPolicies: [],
            request: { action, principal: `arn:aws:iam::${ACCOUNT}:role/under-test`, resource: { accountId: ACCOUNT, resource }, contextVariables: context },
        },
        {},
    );
    if (response.resultType === "error") throw new Error(`simulation error for ${action} on ${resource}: ${JSON.stringify(response.errors)}`);
    return response.overallResult as Decision;
}
