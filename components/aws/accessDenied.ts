import { permissionsBoundaryCommand } from "./permissionsBoundaryCommand";

/**
 * IAM's access denied messages name the policy type that refused: "with an explicit deny in a <type>" or "because no
 * <type> allows the <action> action" (IAM User Guide, "Troubleshoot access denied error messages"; an SCP's always
 * reads "with an explicit deny in a service control policy", even when its denial is implicit). Only one type is named
 * where several refused. The types, as that page's examples word them; "sessions policy" is its spelling once.
 */
const POLICY_TYPES = [
    "service control policy",
    "resource control policy",
    "permissions boundary",
    "session policy",
    "sessions policy",
    "VPC endpoint policy",
    "resource-based policy",
    "identity-based policy",
] as const;

type PolicyType = (typeof POLICY_TYPES)[number];

/** What the refusal's wording says of it: the policy type where named, and whether a Deny statement (explicit) or no Allow (implicit) refused. */
export interface Refusal {
    type?: PolicyType;
    explicit: boolean;
}

/**
 * What an AccessDenied message says refused it, or undefined when it says nothing of that (a service that words its
 * refusals otherwise). An older message says "with an explicit deny" alone, naming no type (cloud-custodian#4736,
 * lambda:GetFunction, 2019). A VPC endpoint policy refusing "transitively through a service control policy" is the SCP's.
 */
export function refusalOf(message: string): Refusal | undefined {
    const clause = /with an explicit deny(?: in (?:an? |the )?(.+))?|because no (.+?) allows the /s.exec(message);
    if (!clause) return undefined;
    const named = (clause[1] ?? clause[2] ?? "").replace(/\s+/g, " ");
    const transitively = / transitively through an? (.+)$/.exec(named)?.[1];
    return { type: POLICY_TYPES.find((t) => (transitively ?? named).startsWith(t)), explicit: clause[2] === undefined };
}

/**
 * What to mend for an AccessDeniedException of a read the deploying identity made, `needs` being the permission the
 * read takes (e.g. "kms:GetPublicKey on it"): a grant to that identity only where no identity-based policy of its
 * allows it, or where the message names neither a type nor a Deny. Another type is another owner, whom no grant to the identity helps:
 * the organization's SCP or RCP, the identity's permissions boundary or session, a VPC endpoint's policy, the
 * resource's own policy, or a Deny statement among the identity's policies.
 */
export function accessDeniedHint(message: string, needs: string): string {
    const refusal = refusalOf(message);
    const grant = `the deploying identity needs ${needs}`;
    const notAGrant = "not a permission the deploying identity lacks";
    if (!refusal) return grant;
    switch (refusal.type) {
        case "service control policy":
            return `a service control policy of the account's AWS Organization refuses it, ${notAGrant}: no grant to the identity lifts it; the organization's administrators must let this account, region and identity have ${needs}`;
        case "resource control policy":
            return `a resource control policy of the account's AWS Organization refuses it, ${notAGrant}: no grant to the identity lifts it; the organization's administrators must let this identity have ${needs}`;
        case "permissions boundary":
            return `the deploying identity's permissions boundary ${refusal.explicit ? "denies" : "does not allow"} it, ${notAGrant}: the boundary (${boundaryShownBy(message)}) must allow ${needs} too`;
        case "session policy":
        case "sessions policy":
            return `the policies its session was made with (AssumeRole's Policy or PolicyArns) ${refusal.explicit ? "deny" : "do not allow"} it, ${notAGrant}: take a session whose policies allow ${needs}, or one without session policies`;
        case "VPC endpoint policy":
            return `the policy of the VPC endpoint the call went through ${refusal.explicit ? "denies" : "does not allow"} it, ${notAGrant}: that endpoint's policy must allow ${needs}`;
        case "resource-based policy":
            return `the resource's own policy (a KMS key's key policy) ${refusal.explicit ? "denies" : "does not allow"} it, ${notAGrant}: that policy must allow the deploying identity ${needs}`;
        case "identity-based policy":
            return refusal.explicit ? `a Deny statement in a policy of the deploying identity refuses it: another grant does not lift it; remove or narrow that Deny for ${needs}` : grant;
        default:
            return refusal.explicit
                ? `a Deny statement refuses it (the identity's policies, its permissions boundary or session, or an SCP of its AWS Organization), ${notAGrant}: find the Deny that matches ${needs}`
                : grant;
    }
}

/** Where the boundary of the identity the denial names is seen: a command where the words name a role or user. */
function boundaryShownBy(message: string): string {
    return permissionsBoundaryCommand(message) ?? "the PermissionsBoundary that aws iam get-role --role-name <role> or aws iam get-user --user-name <user> answers for the deploying identity";
}
