import * as pulumi from "@pulumi/pulumi";
import { Cron } from "croner";
import { z } from "zod";
import { isProductionStack } from "../config";
import { autonamingProblems } from "../config/autonaming";
import { describeValue, valueAt } from "../config/errors";
import { GCP_PROJECT_ID } from "../config/gcpProjectId";
import { PREVIEW_ENVIRONMENT, credentialsEnvironment, releaseStateEnvironment } from "./environmentNames";
import { GOOGLE_SUBJECT_MAX_BYTES, escSubject } from "./escTokens";
import { gitBranchProblem } from "./branchName";
import { branchPushSubject, githubSubject } from "./githubTokens";
import { MAX_PROJECT_FOR_TOKENS } from "./teamTokens";
import programPaths from "../config/programPaths.json";

/** deployments/ writes every ARN it makes in the commercial partition (arn:aws:), as the stacks it serves deploy there. */
const COMMERCIAL = "in the commercial partition (arn:aws:), where deployments/ and the stacks deploy";

/** Each stack's deployer's roles in its project unless the settings name others (tests/deployments/gcpRoles.spec.ts: each one needed). */
export const GCP_DEPLOYER_ROLES = [
    "roles/run.admin",
    "roles/artifactregistry.admin",
    "roles/iam.serviceAccountAdmin",
    "roles/iam.serviceAccountUser",
    "roles/secretmanager.admin",
    "roles/monitoring.editor",
    "roles/serviceusage.serviceUsageAdmin",
    "roles/storage.admin",
    "roles/containeranalysis.occurrences.viewer",
] as const;

/** A predefined role as part of a resource's name: `roles/run.admin` is `run-admin`. */
export const gcpRoleNamePart = (role: string) => role.replace(/^roles\//, "").replace(/\./g, "-");

/** The paths whose changes are worth a deployment: the program and the service, not docs (config/programPaths.json). */
export const DEPLOY_PATHS: string[] = programPaths.paths;

/** A stack of settings.stacks: its name is also its accounts', roles' and environments' names in both clouds. */
const STACK_NAME = /^[a-z0-9-]+$/;
const stackNameProblem = (name: unknown) => `${JSON.stringify(name)} is not a stack name of lowercase letters, digits and '-', which name its accounts and roles in both clouds`;

/** `repo:<owner>/<name>`, each part with or without its ID after an '@' (settings.githubSubjectPrefix). */
const GITHUB_SUBJECT_PREFIX = /^repo:[^/:\s]+\/[^/:\s]+$/;

export const settingsSchema = z.strictObject({
    organization: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/, { error: "must be a Pulumi organization name" }),
    repository: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, { error: "must be owner/name of the GitHub repository" }),
    /**
     * The start of the `sub` claim of the repository's GitHub Actions tokens, before `:ref:`, `:environment:` or
     * `:pull_request`, which every trust of the workflows matches exactly. GitHub changed it for repositories created,
     * renamed or transferred from 2026-07-15, and for those that opt in: owner and name carry their immutable IDs after
     * an `@`, `repo:<owner>@<owner id>/<name>@<repository id>`, where older ones have `repo:<owner>/<name>` (GitHub
     * docs, OpenID Connect, "Immutable subject claims"). Asked, not guessed: the repository's OIDC settings show it.
     */
    githubSubjectPrefix: z.string().regex(GITHUB_SUBJECT_PREFIX, { error: "must be repo:<owner>/<name> as the repository's GitHub Actions tokens name it (with the IDs, e.g. repo:my-org@123456/my-repo@456789, for a repository made from 2026-07-15): its OIDC settings show it" }),
    /**
     * The image roles' trust names refs/heads/<branch>, and IAM takes a policy document only of tab, line feed, carriage
     * return and U+0020 to U+00FF (CreateRole's AssumeRolePolicyDocument, policyDocumentType, pattern
     * "[\u0009\u000A\u000D\u0020-\u00FF]+": botocore data/iam/2010-05-08/service-2.json); GitHub takes any Unicode name
     * git takes (branchName.ts).
     */
    branch: z
        .string()
        .min(1)
        .regex(/^[\u0009\u000A\u000D\u0020-\u00FF]+$/, {
            error: (issue) => `must be a branch name of characters IAM takes in a policy document (tab, line feed, carriage return, U+0020 to U+00FF): the image roles' trust names refs/heads/<branch> (got ${JSON.stringify(issue.input)})`,
        })
        .superRefine((branch, ctx) => {
            const problem = gitBranchProblem(branch);
            if (problem) ctx.addIssue({ code: "custom", message: `${problem}: Deployments would watch, and the image roles trust, a branch nobody can push` });
        })
        .default("main"),
    /** Also the start of the team tokens' names, which Pulumi Cloud allows 40 characters (teamTokens.ts). */
    project: z
        .string()
        .max(MAX_PROJECT_FOR_TOKENS, { error: `must be at most ${MAX_PROJECT_FOR_TOKENS} characters: the team tokens are named <project>-deployers-<6 hex>, and Pulumi Cloud allows 40` })
        // Pulumi's project names take letters, digits, `-`, `_` and `.` (pulumi/pulumi sdk/go/common/tokens/project.go);
        // the signing key's alias alias/<project>-image-signing takes no `.` (terraform-provider-aws kms validNameForResource).
        .regex(/^[A-Za-z0-9_-]+$/, { error: "must be the service's Pulumi project name (Pulumi.yaml name) of letters, digits, '-' and '_': it also names the KMS alias alias/<project>-image-signing, which takes no '.'" })
        .default("multicloud-service"),
    /**
     * The people who may open prod's credentials environment (the releasers team), by Pulumi Cloud username. The
     * program owns every team's membership: the provider's Team sets exactly its `members` on each update (pulumi-
     * pulumiservice resources/team.go), so someone added in the console is removed at the next `up` after a refresh.
     */
    releasers: z
        .array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, { error: "must be a Pulumi Cloud username" }))
        .default([])
        // The Team keeps its members as Pulumi Cloud lists them, once each, and diffs them against `members` as given:
        // a name listed twice is an update of the team at every `up`, which changes nothing (pulumi-pulumiservice v1.3.0
        // provider/pkg/resources/team.go: Create and Update store the service's list; AddMemberToTeam ignores its 409).
        .superRefine((names, ctx) => {
            names.forEach((name, index) => {
                if (names.indexOf(name) < index) ctx.addIssue({ code: "custom", path: [index], message: `${name} is listed already: the releasers team would show an update at every up, one that changes nothing` });
            });
        }),
    /** Raise it to rotate the team tokens Deployments runs with: each gets a new token under a new name. */
    tokenGeneration: z.int().min(1).default(1),
    gcpProject: z.string().regex(GCP_PROJECT_ID, { error: "must be a Google Cloud project ID" }),
    /**
     * IAM OIDC providers the AWS account already has, by ARN. IAM allows one provider per issuer URL, so creating a
     * second fails the first `up` (EntityAlreadyExists); an existing one is used as it is, and must list this program's
     * audience among its client IDs (docs/setup.md). Unset: the program creates the provider.
     */
    existingAwsOidcProviders: z
        .strictObject({
            pulumi: z.string().regex(/^arn:aws:iam::\d{12}:oidc-provider\/api\.pulumi\.com\/oidc$/, { error: `must be the ARN of the account's IAM OIDC provider for api.pulumi.com/oidc, ${COMMERCIAL}` }).optional(),
            github: z.string().regex(/^arn:aws:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/, { error: `must be the ARN of the account's IAM OIDC provider for token.actions.githubusercontent.com, ${COMMERCIAL}` }).optional(),
        })
        .default({}),
    /**
     * Managed policies for the deploy role: deploying this program creates functions, buckets, queues... Its IAM is
     * the delegated policy deployments/workloadRoles.ts adds; a policy granting all of IAM would undo that.
     */
    awsPolicyArns: z
        .array(
            z
                .string()
                .regex(/^arn:aws:iam::(aws|\d{12}):policy\//, { error: `must be an IAM policy ARN, ${COMMERCIAL}` })
                .refine((arn) => !/:policy\/(IAMFullAccess|AdministratorAccess)$/.test(arn), {
                    error: "must not grant all of IAM: the deploy role's IAM is its delegated policy (the service's own roles, under the workload boundary), and this would let a review stack's code rewrite any role",
                }),
        )
        .min(1),
    gcpDeployerRoles: z
        // A predefined role's name is roles/<role ID>, and "A role ID may contain alphanumeric characters, underscores
        // (_), and periods (.). It must contain a minimum of 3 characters and a maximum of 64 characters." (IAM API v1,
        // CreateRoleRequest.roleId). Custom roles (projects/<p>/roles/<id>) are not taken: grants are named after roles/.
        .array(
            z.string().regex(/^roles\/[A-Za-z0-9_.]{3,64}$/, {
                error: "must be a predefined role's name, roles/<role ID>: a role ID may contain alphanumeric characters, underscores (_), and periods (.), and must contain a minimum of 3 characters and a maximum of 64 characters (Google Cloud IAM)",
            }),
        )
        .default([...GCP_DEPLOYER_ROLES])
        // Each role is one grant per stack, named after the role (deploy-<stack>-<role ID>): a role listed twice
        // would be two resources of one name, which the engine refuses before sending anything, "Duplicate resource
        // URN '<urn>'; try giving it a unique name" (pulumi/pulumi sdk/go/common/diag/errors.go,
        // GetDuplicateResourceURNError). Pulumi's mocks register both.
        .superRefine((roles, ctx) => {
            const seen = new Map<string, string>();
            roles.forEach((role, index) => {
                const first = seen.get(gcpRoleNamePart(role));
                if (first !== undefined) ctx.addIssue({ code: "custom", path: [index], message: `${role} is listed already (${first}): each role is granted once per stack, under a name made of it` });
                else seen.set(gcpRoleNamePart(role), role);
            });
        }),
    /**
     * Publish policy/ to Pulumi Cloud and enforce it with policy groups (deployments/policyGroups.ts): production
     * stacks preventative, the other deployed stacks audit. Policy groups are a Pulumi Cloud feature of the editions
     * deployments/ already needs (Enterprise and up, docs/setup.md); false leaves the pack to the workflows'
     * `--policy-pack` alone, as before.
     */
    policyGroups: z.boolean({ error: "must be true or false: whether deployments/ publishes policy/ and enforces it with Pulumi Cloud policy groups" }).default(true),
    stacks: z.record(
        z.string().regex(STACK_NAME),
        z.strictObject({
            /** Deploy on every push to the branch (dev). Off: released from GitHub (prod) or a review-stack template. */
            deployOnPush: z.boolean(),
            /** The template of review stacks: one dev-like stack per pull request, destroyed on merge or close. */
            reviewTemplate: z.boolean().default(false),
            /** Released by deploy-prod.yml in the GitHub environment of the stack's name, with the image of this stack promoted. */
            promoteFrom: z.string().optional(),
            /** Drift detection (Pulumi Deployments refresh preview), a cron expression in UTC. */
            driftSchedule: z
                .string()
                .regex(/^(\S+\s+){4}\S+$/, { error: "must be a cron expression of five fields" })
                .superRefine((cron, ctx) => {
                    const problem = cronProblem(cron);
                    if (problem) ctx.addIssue({ code: "custom", message: `${JSON.stringify(cron)} is not a cron expression Pulumi Cloud can run: ${problem}` });
                })
                .optional(),
        }),
        { error: (issue) => (issue.code === "invalid_key" ? stackNameProblem(issue.input) : undefined) },
    ).refine((stacks) => Object.keys(stacks).length > 0, {
        error: "names no stack: deployments/ sets up Pulumi Deployments, credentials and releases for the stacks listed here, and would make its roles, teams and environments for none: list the service's stacks (deployments/Pulumi.main.yaml lists dev, prod and review)",
    }),
}).superRefine((s, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
    // Pulumi Cloud reads an issuer policy's claim values as patterns: `.` matches exactly one character, and nothing
    // escapes it (Pulumi docs, "OIDC issuers": claim values' wildcards). A sibling repository differing at the dot
    // would get this one's releasers and previewers tokens.
    if (s.repository.includes(".")) {
        issue(["repository"], `${s.repository} has a '.', which Pulumi Cloud's OIDC issuer policies match as any one character (they have no escape), so another repository of the organization would get this one's Pulumi tokens: use a repository whose name has none`);
    }
    // The prefix names this repository: its owner and name, both with their IDs after an '@' or neither. GitHub
    // chose '@' because no owner or repository name can hold one (its docs, "Immutable subject claims"); an ID after a
    // '-' (as its announcement showed it) would also be another owner's or repository's name.
    // A prefix that is not repo:<owner>/<name> has no owner or name to compare: its own rule above names it.
    if (GITHUB_SUBJECT_PREFIX.test(s.githubSubjectPrefix)) {
        const prefixParts = s.githubSubjectPrefix.slice("repo:".length).split("/");
        const [owner, name] = s.repository.toLowerCase().split("/");
        const [prefixOwner, prefixName] = prefixParts.map((part) => part.toLowerCase());
        const form = (part: string, of: string) => (part.startsWith(`${of}@`) && /^\d+$/.test(part.slice(of.length + 1)) ? "id" : part === of ? "name" : "other");
        const [ownerIs, nameIs] = [form(prefixOwner, owner), form(prefixName, name)];
        if (ownerIs === "other" || ownerIs !== nameIs) {
            issue(["githubSubjectPrefix"], `${s.githubSubjectPrefix} is not the subject of ${s.repository}'s tokens: it is repo:${s.repository}, or repo:<owner>@<owner id>/<name>@<repository id> with this repository's owner and name (GitHub's immutable subject claims)`);
        } else {
            // GitHub takes a name in any case but its tokens carry one spelling, the repository's own, in `sub` as in
            // `repository` and `job_workflow_ref`; Google's attribute condition and the provenance check compare exactly
            // (google-github-actions/auth docs/TROUBLESHOOTING.md: "GitHub does not distinguish between 'foobar' and
            // 'FooBar', but Google Cloud does").
            const spelled = prefixParts.map((part) => part.replace(/@\d+$/, "")).join("/");
            if (spelled !== s.repository) {
                issue(["repository"], `${s.repository} is spelled ${spelled} in githubSubjectPrefix: GitHub's tokens carry one spelling, and Google's attribute condition and the provenance check compare names exactly, so write both as the tokens do`);
            }
        }
    }
    // Every ESC environment deployments/ makes is its own: a stack's credentials environment has the stack's name, so a
    // stack named like the preview environment or like a released stack's release state would be given two definitions
    // of one environment, and the engine refuses the second Environment of one name before anything is sent:
    // "Duplicate resource URN '<urn>'; try giving it a unique name" (pulumi/pulumi sdk/go/common/diag/errors.go,
    // GetDuplicateResourceURNError). Pulumi's mocks register both.
    for (const name of Object.keys(s.stacks)) {
        const environment = credentialsEnvironment(name);
        if (environment === PREVIEW_ENVIRONMENT) {
            issue(["stacks", name], `its credentials environment would be ${s.project}/${environment}, the environment pull requests' previews open (read-only): name the stack otherwise`);
        }
        const released = Object.keys(s.stacks).find((other) => isReleased(s, other) && releaseStateEnvironment(other) === environment);
        if (released) {
            issue(["stacks", name], `its credentials environment would be ${s.project}/${environment}, where ${released}'s release keeps its state: name the stack otherwise`);
        }
    }
    const templates = Object.entries(s.stacks).filter(([, stack]) => stack.reviewTemplate).map(([name]) => name);
    if (templates.length > 1) issue(["stacks"], `at most one review-stack template (got ${templates.join(", ")})`);
    for (const environment of [...Object.keys(s.stacks), PREVIEW_ENVIRONMENT]) {
        const subject = escSubject(s.organization, `${s.project}/${environment}`);
        if (Buffer.byteLength(subject) > GOOGLE_SUBJECT_MAX_BYTES) {
            const at = environment in s.stacks ? ["stacks", environment] : ["organization"];
            issue(at, `ESC's token subject for environment ${s.project}/${environment} of organization ${s.organization} has ${Buffer.byteLength(subject)} bytes; Google Cloud maps at most ${GOOGLE_SUBJECT_MAX_BYTES} (shorten the name)`);
        }
    }
    // Google's workload identity pool maps GitHub's subject too: the image push on the branch, each released stack's environment.
    const githubSubjects = [
        ...(Object.values(s.stacks).some((stack) => stack.deployOnPush) ? [{ subject: branchPushSubject(s), at: ["branch"] }] : []),
        ...Object.keys(s.stacks).filter((name) => isReleased(s, name)).map((name) => ({ subject: githubSubject.environment(s.githubSubjectPrefix, name), at: ["stacks", name] })),
    ];
    for (const { subject, at } of githubSubjects) {
        if (Buffer.byteLength(subject) > GOOGLE_SUBJECT_MAX_BYTES) {
            issue(at, `GitHub's token subject ${subject} has ${Buffer.byteLength(subject)} bytes; Google Cloud maps at most ${GOOGLE_SUBJECT_MAX_BYTES} (shorten the repository, branch or stack name)`);
        }
    }
    for (const [name, stack] of Object.entries(s.stacks)) {
        const at = (key: string) => ["stacks", name, key];
        // The longest of its roles' names decides: one message, with the one limit that fits them all.
        const role = awsRoleLogicalNames(name, stack).reduce((a, b) => (b.length > a.length ? b : a));
        const length = role.length + AUTONAME_SUFFIX.length;
        if (length > IAM_ROLE_NAME_MAX) {
            issue(["stacks", name], `the AWS role ${role} would be named ${role}${AUTONAME_SUFFIX} (Pulumi's auto-name), ${length} characters; IAM allows ${IAM_ROLE_NAME_MAX}: shorten the stack name to at most ${name.length - (length - IAM_ROLE_NAME_MAX)}`);
        }
        if (isProductionStack(name)) {
            if (stack.deployOnPush) issue(at("deployOnPush"), "must be false in a production stack: it is released from deploy-prod.yml");
            if (stack.reviewTemplate) issue(at("reviewTemplate"), "must be false in a production stack: review stacks run pull requests' code");
        }
        if (stack.reviewTemplate && stack.deployOnPush) issue(at("deployOnPush"), "must be false in a review-stack template (it is a template, never deployed itself)");
        if (stack.reviewTemplate && stack.promoteFrom) issue(at("promoteFrom"), "a review-stack template is not released");
        if (stack.promoteFrom !== undefined) {
            const source = Object.hasOwn(s.stacks, stack.promoteFrom) ? s.stacks[stack.promoteFrom] : undefined;
            if (!source) issue(at("promoteFrom"), `names no stack of settings.stacks (${Object.keys(s.stacks).join(", ")})`);
            else if (!source.deployOnPush) issue(at("promoteFrom"), `${stack.promoteFrom} builds no image: only a stack deployed on push does`);
            if (stack.deployOnPush) issue(at("deployOnPush"), "a released stack does not deploy on push");
        }
    }
});

/** IAM's longest role name, which pulumi-aws's auto-name keeps to (provider/resources.go: tfbridge.AutoName("name", 64, "-")). */
const IAM_ROLE_NAME_MAX = 64;
/** What the auto-name appends to a role's logical name: `-` and 7 random hex digits (pulumi-terraform-bridge AutoName). */
const AUTONAME_SUFFIX = "-xxxxxxx";

/** The logical names of the AWS roles deployments/awsOidc.ts makes for a stack: its deployer, image pusher and promoter. */
export function awsRoleLogicalNames(stack: string, options: { deployOnPush: boolean; promoteFrom?: string }): string[] {
    return [`deploy-${stack}`, ...(options.deployOnPush ? [`image-${stack}`] : []), ...(options.promoteFrom !== undefined ? [`promote-${stack}`] : [])];
}

/** Stacks deploy-prod.yml releases from GitHub: those with an image to promote. */
export const isReleased = (s: Pick<DeploymentsSettings, "stacks">, stack: string) => s.stacks[stack].promoteFrom !== undefined;

export type DeploymentsSettings = z.infer<typeof settingsSchema>;

const SETTINGS_KEY = "multicloud-service-deployments:settings";

export function loadSettings(): DeploymentsSettings {
    // Not requireObject: its "pulumi config set ... <value>" does not fit an object, nor a stack file that is another
    // project's (the offline plan takes any file).
    // A key written with no value (`settings:`) reaches the program as "" (pulumi/pulumi sdk/go/common/workspace/loaders.go,
    // checkForEmptyConfig), which getObject would refuse as "not a valid JSON object" without saying what to do.
    const config = new pulumi.Config();
    const text = config.get("settings");
    if (text === undefined || text === "") {
        throw new pulumi.RunError(
            `${SETTINGS_KEY} ${text === undefined ? "is not set" : "has no value"}; nothing was deployed: this stack reads its settings object from deployments/Pulumi.<stack>.yaml (deployments/Pulumi.main.yaml is the example; docs/setup.md)`,
        );
    }
    const raw = settingsJson(text);
    const parsed = settingsSchema.safeParse(raw);
    const issues = [...(parsed.error?.issues ?? []), ...stacksZodDrops(raw)];
    const autonaming = autonamingProblems(
        pulumi.runtime.allConfig(),
        "the image signing key's policy names this stack's roles as <logical name>-??????? (deployments/imageSigningKey.ts), so under other names its image roles could not sign and its deploy roles would no longer be kept from the key's policy, and the roles' name lengths are checked for that suffix",
    );
    if (!parsed.success || autonaming.length > 0 || issues.length > 0) {
        const lines = [
            ...autonaming.map((p) => `  - ${p.key}: ${p.message}`),
            ...issues.map((i) => `  - ${[SETTINGS_KEY, ...i.path].join(".")}: ${withValueShown(i, raw)}`),
        ];
        throw settingsRefusal(lines);
    }
    return parsed.data;
}

/** The settings' problems, one a line (`  - <key>: <problem>`), under the headline that says nothing was deployed. */
const settingsRefusal = (lines: readonly string[]) => new pulumi.RunError(`invalid settings; nothing was deployed:\n${lines.join("\n")}`);

/**
 * The settings text as JSON. The CLI hands a YAML object under the key over as JSON text, and anything else as it is
 * written (`settings: yes`, `pulumi config set settings '{'`), where getObject threw the SDK's ConfigTypeError, which
 * says neither what the settings are nor where they go.
 */
function settingsJson(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        throw settingsRefusal([
            `  - ${SETTINGS_KEY}: is no JSON (got ${describeValue(text)}): the settings are one object, written as YAML under the key in deployments/Pulumi.<stack>.yaml (deployments/Pulumi.main.yaml is the example; docs/setup.md)`,
        ]);
    }
}

/**
 * An issue's message with the value it refused, as the service's settings show it (config/parse.ts): zod's own
 * messages ("Invalid input: expected string, received number", a regex's rule) name the rule only. The settings' own
 * rules (custom issues, a stack name's) quote what they refuse already.
 */
function withValueShown(issue: { code?: string; path: PropertyKey[]; message: string }, raw: unknown): string {
    const value = valueAt(raw, issue.path);
    if (issue.code === "custom" || issue.code === "invalid_key" || issue.code === "unrecognized_keys" || value === undefined || issue.message.includes("(got ")) return issue.message;
    return `${issue.message} (got ${describeValue(value)})`;
}

/**
 * The issue zod never raises for a stack it leaves out of settings.stacks: a record skips a `__proto__` key, which its
 * assignment would take for the object's prototype (zod v4 core schemas.js, $ZodRecord). JSON.parse makes it an own key.
 */
function stacksZodDrops(raw: unknown): { code: "custom"; path: string[]; message: string }[] {
    const stacks = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>).stacks : undefined;
    const dropped = typeof stacks === "object" && stacks !== null && Object.hasOwn(stacks, "__proto__");
    return dropped ? [{ code: "custom", path: ["stacks", "__proto__"], message: stackNameProblem("__proto__") }] : [];
}

/**
 * What each field of standard five-field cron takes: numbers, `*`, lists, ranges and steps, and in the month and
 * day-of-week fields their three-letter names. Pulumi Cloud's REST API describes its schedules' cron as "standard
 * 5-field cron syntax (MIN HOUR DOM MON DOW) and is evaluated in UTC" (CreateScheduledDeploymentRequest.scheduleCron in
 * the API's OpenAPI document, pulumi/pulumi-pulumiservice v1.3.0 provider/pkg/cloud/spec.json; the drift schedule's
 * scheduleCron is the same API's cron, its example one for every 4 hours). croner, which checks the ranges below, also takes
 * its own extensions, `L` (last), `W` (nearest weekday), `#` (nth weekday) and `?`, which that syntax has not.
 */
const STANDARD_CRON_FIELDS: [string, RegExp][] = [
    ["minute", /^[\d*,/-]+$/],
    ["hour", /^[\d*,/-]+$/],
    ["day of month", /^[\d*,/-]+$/],
    ["month", /^([\d*,/-]|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)+$/i],
    ["day of week", /^([\d*,/-]|SUN|MON|TUE|WED|THU|FRI|SAT)+$/i],
];

/**
 * Why a five-field cron expression cannot be run, or undefined: a value out of its field's range or a character no
 * field takes ("61 * * * *"), which Pulumi Cloud would refuse only mid-`up`, when the schedule is created (its REST
 * API takes standard five-field cron in UTC). croner checks each field's range and characters; its own extensions
 * (L, W, #, ?), which are not standard cron, are refused first (STANDARD_CRON_FIELDS).
 */
function cronProblem(cron: string): string | undefined {
    const fields = cron.trim().split(/\s+/);
    // Fewer or more fields are the schema's own message ("must be a cron expression of five fields"), said once.
    if (fields.length !== STANDARD_CRON_FIELDS.length) return undefined;
    for (const [index, [name, standard]] of STANDARD_CRON_FIELDS.entries()) {
        if (!standard.test(fields[index])) return `its ${name} field ${JSON.stringify(fields[index])} is not standard five-field cron (numbers, *, lists, ranges, steps, and names of months and days), which Pulumi Cloud's schedules take; L, W, # and ? are croner's extensions`;
    }
    try {
        // A date no month has (30 February, 31 April) is a valid expression that never fires: drift would go unseen.
        if (new Cron(cron, { paused: true, timezone: "UTC" }).nextRun() === null) return "it names a day no month has, so it would never run";
        return undefined;
    } catch (err) {
        return (err as Error).message.replace(/^CronPattern: /, "");
    }
}
