import { createHash, generateKeyPairSync } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { EnvironmentChanges } from "../../scripts/offline/environment";

/**
 * A HOME whose AWS config has a `login_session` profile `profile` (what @aws-sdk/credential-provider-ini isLoginProfile
 * hands to credential-provider-login) and a cached session for it in ~/.aws/login/cache that expires within the SDK's
 * 5-minute refresh window, so the AWS SDK's default chain goes straight to the Signin service's CreateOAuth2Token in
 * `region` to refresh it. Returns the environment that selects it alone, as ssoProfileHome does.
 */
export function loginProfileHome(home: string, { profile, region }: { profile: string; region: string }): EnvironmentChanges {
    const session = `${profile}-session`;
    fs.mkdirSync(path.join(home, ".aws", "login", "cache"), { recursive: true });
    fs.writeFileSync(path.join(home, ".aws", "config"), [`[profile ${profile}]`, `login_session = ${session}`, `region = ${region}`, ""].join("\n"));
    // The cache file is named by the SHA-256 of the session and must carry accessToken (with accountId), clientId,
    // refreshToken and dpopKey, a P-256 key in SEC1 PEM that signs each refresh's DPoP proof
    // (@aws-sdk/credential-provider-login LoginCredentialsFetcher getTokenFilePath, loadToken, generateDpop).
    const dpopKey = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "pem", type: "sec1" }).toString();
    const expiresAt = new Date(Date.now() + 60_000).toISOString();
    const accessToken = { accessKeyId: "ASIAEXAMPLE", secretAccessKey: "secret", sessionToken: "session", accountId: "123456789012", expiresAt };
    const cacheName = createHash("sha256").update(session).digest("hex");
    fs.writeFileSync(path.join(home, ".aws", "login", "cache", `${cacheName}.json`), JSON.stringify({ accessToken, clientId: "example-client-id", refreshToken: "refresh", dpopKey }));
    return { HOME: home, AWS_PROFILE: profile, AWS_LOGIN_CACHE_DIRECTORY: undefined, AWS_CONFIG_FILE: undefined, AWS_SHARED_CREDENTIALS_FILE: undefined, AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined };
}
