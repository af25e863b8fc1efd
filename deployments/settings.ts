import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";

/** The paths whose changes are worth a deployment: the program and the service, not docs. */
export const DEPLOY_PATHS = [
    "index.ts",
    "program.js",
    "scripts/build/**",
    "scripts/runtime/**",
    "config/**",
    "components/**",
    "app/**",
    "Pulumi.yaml",
    "Pulumi.*.yaml",
    "package.json",
    "package-lock.json",
    "tsconfig.json",
];

export const settingsSchema = z.strictObject({
    organization: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/, { message: "must be a Pulumi organization name" }),
    repository: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, { message: "must be owner/name of the GitHub repository" }),
    branch: z.string().min(1).default("main"),
    project: z.string().default("multicloud-service"),
    gcpProject: z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, { message: "must be a Google Cloud project ID" }),
    /** Managed policies for the deploy role: deploying this program creates roles, functions, buckets... */
    awsPolicyArns: z.array(z.string().regex(/^arn:aws[a-z-]*:iam::(aws|\d{12}):policy\//, { message: "must be an IAM policy ARN" })).min(1),
    gcpDeployerRoles: z.array(z.string().regex(/^roles\//)).default(["roles/run.admin", "roles/artifactregistry.admin", "roles/iam.serviceAccountAdmin", "roles/iam.serviceAccountUser", "roles/secretmanager.admin", "roles/monitoring.editor", "roles/serviceusage.serviceUsageAdmin", "roles/storage.admin"]),
    stacks: z.record(
        z.string().regex(/^[a-z0-9-]+$/),
        z.strictObject({
            /** Deploy on every push to the branch (dev). Off: by hand or on a release tag (prod). */
            deployOnPush: z.boolean(),
        }),
    ),
});

export type DeploymentsSettings = z.infer<typeof settingsSchema>;

export function loadSettings(): DeploymentsSettings {
    const raw = new pulumi.Config().requireObject<unknown>("settings");
    const parsed = settingsSchema.safeParse(raw);
    if (!parsed.success) {
        const lines = parsed.error.issues.map((i) => `  - multicloud-service-deployments:settings.${i.path.join(".")}: ${i.message}`);
        throw new pulumi.RunError(`invalid settings; nothing was deployed:\n${lines.join("\n")}`);
    }
    return parsed.data;
}
