import { runSimulation } from "@cloud-copilot/iam-simulate";

export const ACCOUNT = "123456789012";
export type Decision = "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied";

/** One request to the IAM policy simulator, against resources of this account. */
export interface SimulatedRequest {
    principal: string;
    action: string;
    resource: string;
    /** The principal's identity policies. */
    identityPolicies?: object[];
    /** The resource's own policy (a KMS key policy, a bucket policy). */
    resourcePolicy?: object;
    /** The principal's permissions boundary. */
    permissionsBoundary?: object;
    context?: Record<string, string>;
}

/** What the IAM policy simulator decides for one request. */
export async function decide(request: SimulatedRequest): Promise<Decision> {
    const { principal, action, resource, identityPolicies = [], resourcePolicy, permissionsBoundary, context = {} } = request;
    const response = await runSimulation(
        {
            identityPolicies: identityPolicies.map((policy, i) => ({ name: `policy-${i}`, policy })),
            serviceControlPolicies: [],
            resourceControlPolicies: [],
            ...(resourcePolicy ? { resourcePolicy } : {}),
            ...(permissionsBoundary ? { permissionBoundaryPolicies: [{ name: "boundary", policy: permissionsBoundary }] } : {}),
            request: { action, principal, resource: { accountId: ACCOUNT, resource }, contextVariables: context },
        },
        {},
    );
    if (response.resultType === "error") throw new Error(`simulation error for ${action} on ${resource}: ${JSON.stringify(response.errors)}`);
    return response.overallResult as Decision;
}

/** What the IAM policy simulator decides for a role of this account holding `policy` (an identity policy) making one request. */
export function decideForRole(policy: object, action: string, resource: string, context: Record<string, string> = {}): Promise<Decision> {
    return decide({ principal: `arn:aws:iam::${ACCOUNT}:role/under-test`, action, resource, identityPolicies: [policy], context });
}

/**
 * A request by a session of the role at `roleArn`, as AWS makes it: the principal is the assumed-role session, and
 * its aws:PrincipalArn is the role's ARN (IAM User Guide, "AWS global condition context keys", aws:PrincipalArn).
 */
export function decideForRoleSession(roleArn: string, request: Omit<SimulatedRequest, "principal">): Promise<Decision> {
    const principal = roleArn.replace(/^arn:aws:iam::(\d+):role\/(?:.*\/)?([^/]+)$/, "arn:aws:sts::$1:assumed-role/$2/session");
    return decide({ ...request, principal, context: { "aws:PrincipalArn": roleArn, ...request.context } });
}
