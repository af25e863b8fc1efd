import { createHash, timingSafeEqual } from "crypto";
import { awsClientConfig } from "./awsClientConfig";
import { dependencyCall } from "./dependencyCall";
import { keptFor } from "./keptFor";
import { DependencyFailure } from "./dependencyFailure";
import { Settings } from "./settings";
import { storageTimeouts } from "./storage/storageTimeouts";

/** The admin token could not be read from Secrets Manager. */
export class AdminTokenUnavailable extends DependencyFailure {
    readonly answers = { logged: "reading the admin token failed", unavailable: "admin token unavailable, retry later", refused: "the admin token could not be read" };
    constructor(message: string, transient: boolean, options?: { cause?: unknown }) {
        super(message, transient, options);
        this.name = "AdminTokenUnavailable";
    }
}

type TokenSettings = Pick<Settings, "ADMIN_TOKEN" | "ADMIN_TOKEN_SECRET_ARN" | "STORAGE_ATTEMPT_TIMEOUT_MS" | "STORAGE_MAX_ATTEMPTS" | "STORAGE_DEADLINE_MS">;

/**
 * How long a token read from Secrets Manager is used before it is read again. The secret's ARN, all the function's
 * configuration holds, stays the same when its value is replaced (a new SecretVersion, or put-secret-value after a
 * leak), so nothing starts a new execution environment: without a re-read a warm one would accept the old token, and
 * refuse the new one, for as long as it lives. Five minutes is the longest cache AWS's own Parameters and Secrets
 * Lambda extension allows (its SECRETS_MANAGER_TTL).
 */
export const ADMIN_TOKEN_REFRESH_MS = 5 * 60 * 1000;

/**
 * Where the admin bearer token comes from: the env (Cloud Run, by a secret reference pinned to a version, so a new
 * value is a new revision) or Secrets Manager (AWS), read with the storage calls' timeouts, retries and deadline,
 * again after ADMIN_TOKEN_REFRESH_MS; a failed read is tried again by the next request, and the old value is not
 * used meanwhile (a token replaced because it leaked must stop working). The interval is kept by the monotonic clock
 * (keptFor): a wall-clock step back (an NTP correction) must not keep a replaced token longer.
 */
export function adminTokenSource(settings: TokenSettings): () => Promise<string> {
    if (settings.ADMIN_TOKEN) {
        const token = settings.ADMIN_TOKEN;
        return async () => token;
    }
    let client: import("@aws-sdk/client-secrets-manager").SecretsManagerClient | undefined;
    return keptFor(async () => {
        const sdk = require("@aws-sdk/client-secrets-manager") as typeof import("@aws-sdk/client-secrets-manager");
        client ??= new sdk.SecretsManagerClient(awsClientConfig(storageTimeouts(settings)) as import("@aws-sdk/client-secrets-manager").SecretsManagerClientConfig);
        const signal = AbortSignal.timeout(settings.STORAGE_DEADLINE_MS);
        const command = new sdk.GetSecretValueCommand({ SecretId: settings.ADMIN_TOKEN_SECRET_ARN });
        const res = await dependencyCall(AdminTokenUnavailable, "reading the admin token", signal, () => client!.send(command, { abortSignal: signal }));
        if (!res.SecretString) throw new AdminTokenUnavailable("the admin token secret has no value", false);
        return res.SecretString;
    }, ADMIN_TOKEN_REFRESH_MS);
}

/** Compares in constant time: both sides are hashed to equal length first. */
export function tokensMatch(presented: string, expected: string): boolean {
    const a = createHash("sha256").update(presented).digest();
    const b = createHash("sha256").update(expected).digest();
    return timingSafeEqual(a, b);
}
