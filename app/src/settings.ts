import * as z from "zod";
import { bodyLimitFor } from "./bodyLimits";
import { EntryPoint } from "./entryPoint";
import { RESULTS_PREFIX } from "./resultKeys";

const MiB = 1024 * 1024;
/** Bodies held in memory at once by default: with about as much again for the runtime, fits a 256 MiB instance. */
const DEFAULT_BODY_BYTES_IN_FLIGHT = 64 * MiB;
/** Per client per window: 100 a second on average, well above what one honest client of this API sends. */
const DEFAULT_RATE_LIMIT_REQUESTS = 6000;
const flag = z.enum(["true", "false"]).transform((v) => v === "true");
/**
 * A whole number written in decimal digits. Not z.coerce.number(): Number() reads "0x1F90" as 8080, "1e3" as 1000 and
 * " 500" as 500, so a mistyped value would pass as some other number.
 */
const whole = (min: number, max: number, tooLarge?: string) =>
    z
        .string()
        .regex(/^[0-9]+$/, { message: "must be a whole number in decimal digits" })
        // Digits are a whole number already. One past 2^53 (Infinity past 1.8e308) is just too large: kept at 2^53, over
        // every maximum here, it is refused once, by the range; zod's int() and finite checks each listed it again.
        .transform((digits) => Math.min(Number(digits), 2 ** 53))
        .pipe(z.number().min(min).max(max, tooLarge));

/** Everything the service reads from its environment; the infrastructure sets these per stack. */
const schemaFor = (entry: EntryPoint) => {
    const body = bodyLimitFor(entry);
    return z
        .object({
            PORT: whole(1, 65535).default(8080),
            STORAGE_BACKEND: z.enum(["memory", "s3", "gcs"]).default("memory"),
            BUCKET_NAME: z.string().min(3).max(255).optional(),
            OBJECT_PREFIX: z
                .string()
                .max(256)
                .regex(/^([a-z0-9._-]+\/)+$/, "must be segments of a-z, 0-9, . _ - each ending with / (e.g. input/)")
                .refine((p) => !p.startsWith(RESULTS_PREFIX), `must not be under ${RESULTS_PREFIX}: uploads there would pass for the worker's results`)
                .default("objects/"),
            CACHE_MAX_ENTRIES: whole(1, 1_000_000).default(10_000),
            CACHE_TTL_SECONDS: whole(1, 86_400).default(3600),
            BATCH_SIZE: whole(1, 1000).default(100),
            RETENTION_DAYS: whole(1, 3653).default(30),
            ADMIN_FEATURES_ENABLED: flag.default(false),
            DEBUG: flag.default(false),
            LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
            MAX_BODY_BYTES: whole(1, body.maxBytes, body.tooLarge).default(body.defaultBytes),
            MAX_BODY_BYTES_IN_FLIGHT: whole(1, 16 * 1024 * MiB).optional(),
            BODY_TIMEOUT_MS: whole(100, 600_000).default(30_000),
            DRAIN_TIMEOUT_MS: whole(0, 600_000).default(10_000),
            STORAGE_ATTEMPT_TIMEOUT_MS: whole(50, 120_000).default(2000),
            STORAGE_MAX_ATTEMPTS: whole(1, 10).default(3),
            STORAGE_DEADLINE_MS: whole(100, 600_000).default(6000),
            RATE_LIMIT_REQUESTS: whole(1, 1_000_000).default(DEFAULT_RATE_LIMIT_REQUESTS),
            RATE_LIMIT_WINDOW_SECONDS: whole(1, 3600).default(60),
            TRUSTED_PROXY_HOPS: whole(0, 10).optional(),
            /** Set by Cloud Run: there, one front end appends the client's address to X-Forwarded-For. */
            K_SERVICE: z.string().optional(),
            /** Set by the program on Cloud Run (Cloud Run sets no project variable): log lines name their request's trace in it. */
            GOOGLE_CLOUD_PROJECT: z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, "must be a Google Cloud project ID").optional(),
            APP_VERSION: z.string().max(64).default("dev"),
            STATE_MACHINE_ARN: z.string().regex(/^arn:aws[a-z-]*:states:/, "must be a Step Functions state machine ARN").optional(),
            ADMIN_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
            ADMIN_TOKEN_SECRET_ARN: z.string().regex(/^arn:aws[a-z-]*:secretsmanager:/, "must be a Secrets Manager secret ARN").optional(),
        })
        .superRefine((s, ctx) => {
            if (s.STORAGE_BACKEND !== "memory" && !s.BUCKET_NAME) {
                ctx.addIssue({ code: "custom", path: ["BUCKET_NAME"], message: `is required when STORAGE_BACKEND is ${s.STORAGE_BACKEND}` });
            }
            if (s.STORAGE_DEADLINE_MS < s.STORAGE_ATTEMPT_TIMEOUT_MS) {
                ctx.addIssue({ code: "custom", path: ["STORAGE_DEADLINE_MS"], message: `must be at least STORAGE_ATTEMPT_TIMEOUT_MS (${s.STORAGE_ATTEMPT_TIMEOUT_MS}): one attempt has to fit in the deadline` });
            }
            if (s.MAX_BODY_BYTES_IN_FLIGHT !== undefined && s.MAX_BODY_BYTES_IN_FLIGHT < s.MAX_BODY_BYTES) {
                ctx.addIssue({ code: "custom", path: ["MAX_BODY_BYTES_IN_FLIGHT"], message: `must be at least MAX_BODY_BYTES (${s.MAX_BODY_BYTES}): a body that large could never be taken in` });
            }
            // The drain cuts bodies still arriving when only STORAGE_DEADLINE_MS is left, so the uploads it took in can finish.
            if (entry === "server" && s.DRAIN_TIMEOUT_MS <= s.STORAGE_DEADLINE_MS) {
                ctx.addIssue({ code: "custom", path: ["DRAIN_TIMEOUT_MS"], message: `must be more than STORAGE_DEADLINE_MS (${s.STORAGE_DEADLINE_MS}): a request in flight at SIGTERM may wait that long on storage` });
            }
            if (s.ADMIN_FEATURES_ENABLED && !s.ADMIN_TOKEN && !s.ADMIN_TOKEN_SECRET_ARN) {
                ctx.addIssue({ code: "custom", path: ["ADMIN_TOKEN"], message: "is required (or ADMIN_TOKEN_SECRET_ARN) when ADMIN_FEATURES_ENABLED is true" });
            }
        })
        .transform((s) => ({
            ...s,
            MAX_BODY_BYTES_IN_FLIGHT: s.MAX_BODY_BYTES_IN_FLIGHT ?? Math.max(DEFAULT_BODY_BYTES_IN_FLIGHT, s.MAX_BODY_BYTES),
            TRUSTED_PROXY_HOPS: s.TRUSTED_PROXY_HOPS ?? (s.K_SERVICE ? 1 : 0),
        }));
};

export type Settings = z.infer<ReturnType<typeof schemaFor>>;

export class SettingsError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "SettingsError";
    }
}

/** Validated settings, or a SettingsError naming every bad variable (values of secrets are never shown). */
export function loadSettings(entry: EntryPoint, env: NodeJS.ProcessEnv = process.env): Settings {
    const schema = schemaFor(entry);
    const known = Object.fromEntries(Object.keys(schema.in.shape).filter((k) => env[k] !== undefined && env[k] !== "").map((k) => [k, env[k]]));
    const result = schema.safeParse(known);
    if (result.success) return result.data;
    const lines = result.error.issues.map((i) => {
        const name = String(i.path[0]);
        const shown = /TOKEN/.test(name) ? "" : ` (got ${JSON.stringify(known[name] ?? null)})`;
        return `${name}: ${i.message}${shown}`;
    });
    throw new SettingsError(`invalid settings:\n  ${lines.join("\n  ")}`);
}
