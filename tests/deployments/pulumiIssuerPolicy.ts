import { regExpText } from "../harness/regExpText";

/**
 * Whether Pulumi Cloud exchanges an OIDC token for the Pulumi token a job asks for, by the issuer's authorization
 * policies, as Pulumi's docs state them ("OIDC issuers", "Configure the authorization policies"): an exchange no allow
 * policy matches is denied; a policy applies to its own token type and, for a team token, its team; every claim its
 * rules name must match, where a value is a pattern (`*` zero or more characters, `?` zero or one, `.` exactly one,
 * with no escape); a matching deny policy wins over any allow.
 */
export type PulumiTokenRequest = { tokenType: "team"; team: string } | { tokenType: "organization" | "personal" | "runner"; team?: undefined };

export interface IssuerPolicy {
    decision: "allow" | "deny";
    tokenType: string;
    teamName?: string;
    rules: Record<string, string>;
}

export function issuerPolicyPattern(value: string): RegExp {
    const pattern = [...value].map((c) => (c === "*" ? ".*" : c === "?" ? ".?" : c === "." ? "." : regExpText(c))).join("");
    return new RegExp(`^${pattern}$`);
}

export function exchanges(policies: IssuerPolicy[], claims: Record<string, string>, request: PulumiTokenRequest): boolean {
    const applies = (p: IssuerPolicy) =>
        p.tokenType === request.tokenType &&
        (request.tokenType !== "team" || (p.teamName !== undefined && issuerPolicyPattern(p.teamName).test(request.team))) &&
        Object.entries(p.rules).every(([claim, value]) => claim in claims && issuerPolicyPattern(value).test(claims[claim]));
    const matching = policies.filter(applies);
    return matching.some((p) => p.decision === "allow") && !matching.some((p) => p.decision === "deny");
}
