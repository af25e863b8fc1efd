import * as fs from "fs";
import * as path from "path";

/**
 * Writes the workload identity federation file google-github-actions/auth writes with a service_account (as every
 * workflow here gives it), its STS token_url and IAM Credentials' impersonation URL at `url`, its subject token (GitHub's
 * OIDC token there) `eyJhbGciOiJSUzI1NiJ9.github.oidc`; returns its path.
 */
export function workloadIdentityFile(dir: string, url: string, account: string): string {
    const subjectToken = path.join(dir, "github-oidc-token");
    fs.writeFileSync(subjectToken, "eyJhbGciOiJSUzI1NiJ9.github.oidc");
    const credentials = path.join(dir, "gha-creds-1.json");
    fs.writeFileSync(
        credentials,
        JSON.stringify({
            type: "external_account",
            audience: "//iam.googleapis.com/projects/123456789/locations/global/workloadIdentityPools/github/providers/github",
            subject_token_type: "urn:ietf:params:oauth:token-type:jwt",
            token_url: `${url}/v1/token`,
            service_account_impersonation_url: `${url}/v1/projects/-/serviceAccounts/${account}:generateAccessToken`,
            credential_source: { file: subjectToken, format: { type: "text" } },
        }),
    );
    return credentials;
}
