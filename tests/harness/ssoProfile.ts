import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { EnvironmentChanges } from "../../scripts/offline/environment";

/**
 * A HOME whose AWS config has an SSO profile `profile` (sso-session form, as `aws configure sso` writes it) and an
 * unexpired token for it in ~/.aws/sso/cache, so the AWS SDK's default chain goes straight to SSO's
 * GetRoleCredentials in `ssoRegion`, at portal.sso.<ssoRegion>.amazonaws.com. Returns the environment that selects it
 * alone: no static key pair beside it (with AWS_PROFILE set the SDK skips one, but warns "Multiple credential sources
 * detected": @aws-sdk/credential-provider-node defaultProvider).
 */
export function ssoProfileHome(home: string, { profile, ssoRegion, expiresInMs = 3_600_000 }: { profile: string; ssoRegion: string; expiresInMs?: number }): EnvironmentChanges {
    const session = `${profile}-session`;
    fs.mkdirSync(path.join(home, ".aws", "sso", "cache"), { recursive: true });
    fs.writeFileSync(
        path.join(home, ".aws", "config"),
        [
            `[profile ${profile}]`,
            `sso_session = ${session}`,
            "sso_account_id = 123456789012",
            "sso_role_name = Deployer",
            `[sso-session ${session}]`,
            "sso_start_url = https://example-start.awsapps.com/start",
            `sso_region = ${ssoRegion}`,
            "",
        ].join("\n"),
    );
    // The cache file is named by the SHA-1 of the session's name and read for accessToken and expiresAt
    // (@smithy/core config getSSOTokenFilepath, getSSOTokenFromFile; @aws-sdk/token-providers fromSso): a token
    // valid long past the SDK's 5-minute refresh window is used as it is, with no call to SSO OIDC.
    const cacheName = createHash("sha1").update(session).digest("hex");
    const expiresAt = new Date(Date.now() + expiresInMs).toISOString();
    fs.writeFileSync(path.join(home, ".aws", "sso", "cache", `${cacheName}.json`), JSON.stringify({ startUrl: "https://example-start.awsapps.com/start", region: ssoRegion, accessToken: "sso-access-token", expiresAt }));
    return { HOME: home, AWS_PROFILE: profile, AWS_CONFIG_FILE: undefined, AWS_SHARED_CREDENTIALS_FILE: undefined, AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined };
}
