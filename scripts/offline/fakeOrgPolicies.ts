import { iamGrantRefusal } from "./googleIamResources";

/** The members that stand for anyone (IAM docs, "Principal identifiers"). */
const PUBLIC_MEMBERS = new Set(["allUsers", "allAuthenticatedUsers"]);

/**
 * The organization policies a new Google Cloud organization enforces by default ("secure by default", for
 * organizations created on or after 3 May 2024), as far as this program meets them: domain restricted sharing
 * (iam.allowedPolicyMemberDomains) refuses any IAM policy that names allUsers or allAuthenticatedUsers. Google's
 * answer is FAILED_PRECONDITION (HTTP 400) with the message gcloud prints for it in real runs that public
 * troubleshooting notes quote, two spaces and all; here wrapped as the provider wraps an IAM refusal
 * (googleIamResources.ts).
 */
export class FakeOrgPolicies {
    /** On, as in an organization made since 3 May 2024; a test turns it off for an older organization. */
    domainRestrictedSharing = true;

    refusal(type: string, inputs: Record<string, any>, project: string): Error | undefined {
        if (!this.domainRestrictedSharing || !PUBLIC_MEMBERS.has(String(inputs.member ?? ""))) return undefined;
        return iamGrantRefusal(type, inputs, project, "One or more users named in the policy do not belong to a permitted customer,  perhaps due to an organization policy.");
    }
}
