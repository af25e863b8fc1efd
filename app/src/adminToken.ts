import { createHash, timingSafeEqual } from "crypto";
import { awsClientConfig } from "./awsClientConfig";
import { dependencyCall } from "./dependencyCall";
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
 * Where the admin bearer token comes from: the env (Cloud Run, by secret reference) or Secrets Manager (AWS), read
 * with the storage calls' timeouts, retries and deadline; a failed read is tried again by the next request.
 */
export function adminTokenSource(settings: TokenSettings): () => Promise<string> {
    if (settings.ADMIN_TOKEN) {
        const token = settings.ADMIN_TOKEN;
        return async () => token;
    }
    let pending: Promise<string> | undefined;
    return () => {
        pending ??= (async () => {
            const sdk = require("@aws-sdk/client-secrets-manager") as typeof import("@aws-sdk/client-secrets-manager");
            const client = new sdk.SecretsManagerClient(awsClientConfig(storageTimeouts(settings)) as import("@aws-sdk/client-secrets-manager").SecretsManagerClientConfig);
            const signal = AbortSignal.timeout(settings.STORAGE_DEADLINE_MS);
            const command = new sdk.GetSecretValueCommand({ SecretId: settings.ADMIN_TOKEN_SECRET_ARN });
            const res = await dependencyCall(AdminTokenUnavailable, "reading the admin token", signal, () => client.send(command, { abortSignal: signal }));
            if (!res.SecretString) throw new AdminTokenUnavailable("the admin token secret has no value", false);
            return res.SecretString;
        })().catch((err) => {
            pending = undefined;
            throw err;
        });
        return pending;
    };
}

/** Compares in constant time: both sides are hashed to equal length first. */
export function tokensMatch(presented: string, expected: string): boolean {
    const a = createHash("sha256").update(presented).digest();
    const b = createHash("sha256").update(expected).digest();
    return timingSafeEqual(a, b);
}
