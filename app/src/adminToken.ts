import { createHash, timingSafeEqual } from "crypto";
import { Settings } from "./settings";

/** Where the admin bearer token comes from: the env (Cloud Run, by secret reference) or Secrets Manager (AWS). */
export function adminTokenSource(settings: Pick<Settings, "ADMIN_TOKEN" | "ADMIN_TOKEN_SECRET_ARN">): () => Promise<string> {
    if (settings.ADMIN_TOKEN) {
        const token = settings.ADMIN_TOKEN;
        return async () => token;
    }
    let pending: Promise<string> | undefined;
    return () => {
        pending ??= (async () => {
            const { SecretsManagerClient, GetSecretValueCommand } = require("@aws-sdk/client-secrets-manager") as typeof import("@aws-sdk/client-secrets-manager");
            const res = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: settings.ADMIN_TOKEN_SECRET_ARN }));
            if (!res.SecretString) throw new Error("the admin token secret has no value");
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
