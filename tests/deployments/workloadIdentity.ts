/**
 * Google Cloud workload identity federation as documented (cloud.google.com/iam/docs/workload-identity-federation,
 * "Attribute mappings" and "Attribute conditions"; cloud.google.com/iam/docs/principal-identifiers): a provider
 * accepts a token whose issuer is its issuer URI, whose `aud` is one of its allowed audiences (none listed: the
 * provider's own resource name, `//iam.googleapis.com/projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/<id>`,
 * with or without `https:`), and for which its attribute condition is true; the mapping turns the token's claims
 * (`assertion`) into `google.subject` and `attribute.*`, and a binding names `principal://.../subject/<subject>` or
 * `principalSet://.../attribute.<name>/<value>`. Conditions and mappings are CEL; this evaluates the part of CEL
 * they use here (string literals, `assertion.<claim>`, ==, !=, &&, ||, ?:, startsWith, extract) and throws on
 * anything else, so an expression it cannot read fails the test instead of passing it.
 */
import { OidcToken } from "./pulumiTokens";

/** An `assertion.<claim>` the token does not carry: an error value in CEL, which && and || may absorb. */
class MissingClaim {
    constructor(readonly claim: string) {}
}
type Value = string | boolean | MissingClaim;

export function evaluateCel(expression: string, assertion: Record<string, string>): Value {
    const tokens = expression.match(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|&&|\|\||==|!=|[?:().,]|[A-Za-z_][A-Za-z0-9_]*|\S/g) ?? [];
    let at = 0;
    const peek = () => tokens[at];
    const take = (expected?: string) => {
        const token = tokens[at++];
        if (expected !== undefined && token !== expected) throw new Error(`CEL: expected ${expected} at token ${at} of ${expression}, got ${token}`);
        return token;
    };
    const ternary = (): Value => {
        const condition = or();
        if (peek() !== "?") return condition;
        take("?");
        const yes = ternary();
        take(":");
        const no = ternary();
        return condition instanceof MissingClaim ? condition : condition === true ? yes : no;
    };
    // CEL's && and || are commutative over errors (cel-spec langdef.md, "Logical Operators"): `true || <error>` is
    // true and `false && <error>` false, either way round; otherwise the error stands. A claim the token lacks is one.
    const logical = (operator: "||" | "&&", operand: () => Value) => (): Value => {
        const decides = operator === "||";
        let left = operand();
        while (peek() === operator) {
            take();
            const right = operand();
            left = left === decides || right === decides ? decides : left instanceof MissingClaim ? left : right instanceof MissingClaim ? right : !decides;
        }
        return left;
    };
    const and = logical("&&", () => equality());
    const or = logical("||", and);
    const equality = (): Value => {
        const left = member();
        if (peek() === "==" || peek() === "!=") {
            const op = take();
            const right = member();
            if (left instanceof MissingClaim) return left;
            if (right instanceof MissingClaim) return right;
            return op === "==" ? left === right : left !== right;
        }
        return left;
    };
    const member = (): Value => {
        let value = primary();
        while (peek() === ".") {
            take(".");
            const name = take();
            if (peek() === "(") {
                take("(");
                const argument = ternary();
                take(")");
                value = call(value, name, argument);
            } else throw new Error(`CEL: ${name} is not a method this evaluator knows (${expression})`);
        }
        return value;
    };
    const primary = (): Value => {
        const token = take();
        if (token === "(") { const value = ternary(); take(")"); return value; }
        if (/^["']/.test(token)) return token.slice(1, -1).replace(/\\(.)/g, "$1");
        if (token === "assertion") {
            take(".");
            const claim = take();
            if (!(claim in assertion)) return new MissingClaim(claim);
            return assertion[claim];
        }
        throw new Error(`CEL: unexpected ${token} in ${expression}`);
    };
    const result = ternary();
    if (at !== tokens.length) throw new Error(`CEL: trailing ${tokens.slice(at).join(" ")} in ${expression}`);
    if (result instanceof MissingClaim) throw new Error(`CEL: the token has no claim ${result.claim}`);
    return result;
}

function call(target: Value, method: string, argument: Value): Value {
    if (target instanceof MissingClaim) return target;
    if (argument instanceof MissingClaim) return argument;
    if (typeof target !== "string" || typeof argument !== "string") throw new Error(`CEL: ${method} on a non-string`);
    if (method === "startsWith") return target.startsWith(argument);
    if (method === "extract") {
        // "a{x}b": the text between the first "a" and the next "b" after it; "" when the template does not match.
        const [prefix, rest] = argument.split(/\{[A-Za-z_]+\}/);
        const start = target.indexOf(prefix);
        if (start < 0) return "";
        const from = start + prefix.length;
        const end = rest === "" ? target.length : target.indexOf(rest, from);
        return end < 0 ? "" : target.slice(from, end);
    }
    throw new Error(`CEL: ${method} is not a method this evaluator knows`);
}

export interface ProviderInputs {
    workloadIdentityPoolProviderId: string;
    oidc: { issuerUri: string; allowedAudiences?: string[] };
    attributeMapping: Record<string, string>;
    attributeCondition?: string;
}

/**
 * What Google's Security Token Service answers when it refuses a token, in its own words (HTTP 400, a JSON body):
 * - the audience: `invalid_grant`, "The audience in ID Token [<aud>] does not match the expected audience." (as STS
 *   answered Terraform Cloud's token, quoted in public troubleshooting notes);
 * - the issuer: "The issuer in ID Token <iss> does not match the expected ones: <issuer URI>"
 *   (google-github-actions/auth docs/TROUBLESHOOTING.md; the error code is the audience's, which those notes omit);
 * - the attribute condition: `unauthorized_client`, "The given credential is rejected by the attribute condition."
 *   (google.auth's OAuthError as circleci/circleci-docs#8541 quotes it);
 * - google.subject over 127 bytes: `invalid_request`, "The size of mapped attribute google.subject exceeds the 127
 *   bytes limit. ..." (cloud.google.com/iam/docs/troubleshooting-workload-identity-federation).
 */
function stsRefusal(error: string, description: string): string {
    return JSON.stringify({ error, error_description: description });
}

/**
 * google.subject's limit, in UTF-8 bytes (IAM docs, "Attribute mappings"). Google's number, kept here rather than
 * taken from deployments/escTokens.ts's GOOGLE_SUBJECT_MAX_BYTES: the program's check must not be able to move the
 * stand-in's rule with it.
 */
const SUBJECT_LIMIT_BYTES = 127;

/** The pool's resource name, `projects/<number>/locations/global/workloadIdentityPools/<id>`; `why` is STS's answer. */
export function providerAccepts(pool: string, provider: ProviderInputs, token: OidcToken): { accepted: boolean; why?: string; principals: string[] } {
    const assertion = { ...token.claims, sub: token.sub, aud: token.aud, iss: token.iss };
    const refused = (why: string) => ({ accepted: false, why, principals: [] });
    if (provider.oidc.issuerUri !== token.iss) {
        return refused(stsRefusal("invalid_grant", `The issuer in ID Token ${token.iss} does not match the expected ones: ${provider.oidc.issuerUri}`));
    }
    const ownName = `//iam.googleapis.com/${pool}/providers/${provider.workloadIdentityPoolProviderId}`;
    const audiences = provider.oidc.allowedAudiences?.length ? provider.oidc.allowedAudiences : [ownName, `https:${ownName}`];
    if (!audiences.includes(token.aud)) return refused(stsRefusal("invalid_grant", `The audience in ID Token [${token.aud}] does not match the expected audience.`));
    if (provider.attributeCondition && evaluateCel(provider.attributeCondition, assertion) !== true) {
        return refused(stsRefusal("unauthorized_client", "The given credential is rejected by the attribute condition."));
    }
    const principals: string[] = [];
    for (const [attribute, expression] of Object.entries(provider.attributeMapping)) {
        const value = evaluateCel(expression, assertion);
        if (attribute === "google.subject") {
            if (Buffer.byteLength(String(value), "utf8") > SUBJECT_LIMIT_BYTES) {
                return refused(
                    stsRefusal(
                        "invalid_request",
                        "The size of mapped attribute google.subject exceeds the 127 bytes limit. Either modify your attribute mapping or the incoming assertion to produce a mapped attribute that is less than 127 bytes.",
                    ),
                );
            }
            principals.push(`principal://iam.googleapis.com/${pool}/subject/${value}`);
        } else principals.push(`principalSet://iam.googleapis.com/${pool}/${attribute}/${value}`);
    }
    return { accepted: true, principals };
}
