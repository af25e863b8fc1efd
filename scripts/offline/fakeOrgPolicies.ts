import { iamGrantRefusal } from "./googleIamResources";

/** The members that stand for anyone (IAM docs, "Principal identifiers"). */
const PUBLIC_MEMBERS = new Set(["allUsers", "allAuthenticatedUsers"]);

/** The grants whose refusal under the policy is on record in the provider's words: Cloud Run's (v2 shares v1's IAM). */
const CLOUD_RUN_GRANTS = new Set(["gcp:cloudrunv2/serviceIamMember:ServiceIamMember", "gcp:cloudrun/iamMember:IamMember"]);

/**
 * The organization policies a new Google Cloud organization enforces by default ("secure by default", organizations
 * created on or after 3 May 2024), as far as this program meets them: domain restricted sharing
 * (iam.allowedPolicyMemberDomains) refuses a Cloud Run invoker grant to allUsers or allAuthenticatedUsers. The
 * answer as the provider printed it on real applies (googlemaps/js-route-optimization-app#198,
 * GoogleCloudPlatform/genai-for-marketing#153: "googleapi: Error 400: One or more users named in the policy do not
 * belong to a permitted customer,  perhaps due to an organization policy.", two spaces, no reason after it). Other
 * services word it otherwise (gcloud shows Cloud Storage's as an HTTP 412), and the program grants them no public member.
 */
export class FakeOrgPolicies {
    /** On, as in an organization made since 3 May 2024; a test turns it off for an older organization. */
    domainRestrictedSharing = true;

    refusal(type: string, inputs: Record<string, any>, project: string): Error | undefined {
        if (!this.domainRestrictedSharing || !CLOUD_RUN_GRANTS.has(type) || !PUBLIC_MEMBERS.has(String(inputs.member ?? ""))) return undefined;
        return iamGrantRefusal(type, inputs, project, "googleapi: Error 400: One or more users named in the policy do not belong to a permitted customer,  perhaps due to an organization policy.");
    }
}
