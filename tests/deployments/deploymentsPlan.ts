import * as assert from "assert";
import * as path from "path";
import { parse } from "yaml";
import { MockCloud, RecordedResource, runUnderMocks, valueOf } from "../../scripts/offline/mockCloud";
import { PROJECT_ROOT, readStackFileAt } from "../../config/stackFile";
import { escDecodeErrors } from "../harness/escDecoder";
import * as pulumi from "@pulumi/pulumi";
import { loadSettings, settingsSchema } from "../../deployments/settings";

export const DEPLOYMENTS_PROJECT = "multicloud-service-deployments";
export const ORG = "my-pulumi-org";
export const REPO = "my-github-org/multicloud-service";
/** Pulumi.main.yaml's githubSubjectPrefix: the repository's, with its owner's and its own IDs (GitHub's immutable subject claims). */
export const SUBJECT = "repo:my-github-org@1234567/multicloud-service@987654321";

/**
 * deployments/ under mocks with Pulumi.main.yaml's settings (`change` edits them first), as the specs read it;
 * `setup` prepares the mock cloud first.
 */
export async function deploymentsPlan(change: (settings: any) => void = () => {}, setup?: (cloud: MockCloud) => void) {
    const settings = committedSettings();
    change(settings);
    const run = await deploymentsRegistrations(setup, settings);
    const resources = run.cloud.resources;
    const environments = await Promise.all(
        resources
            .filter((r) => r.type === "pulumiservice:index:Environment")
            .map(async (r) => {
                const text: string = await r.inputs.yaml.text;
                return { resource: r, name: `${r.inputs.project}/${r.inputs.name}`, definition: parse(text) as any, decodeErrors: escDecodeErrors(text) };
            }),
    );
    return { resources, environments, outputs: await valueOf(run.result as any), ...lookups(resources) };
}

/** deployments/Pulumi.main.yaml's config, as committed. */
export const committedConfig = () => readStackFileAt(path.join(PROJECT_ROOT, "deployments", "Pulumi.main.yaml")).config;
export const committedSettings = () => JSON.parse(committedConfig()[`${DEPLOYMENTS_PROJECT}:settings`]);

/** Mocks for reading the settings alone (loadedSettings): reading them registers no resource and calls nothing. */
export function mockSettingsReadOnly(): Promise<void> {
    return pulumi.runtime.setMocks({ newResource: () => assert.fail("reading the settings registers nothing"), call: () => assert.fail("reading the settings calls nothing") }, DEPLOYMENTS_PROJECT, "main", false);
}

/**
 * What loadSettings made of `text` as Pulumi.main.yaml's settings: the settings, or the error it threw. In-process,
 * under the mocks the caller set (mockSettingsReadOnly), without running the program.
 */
export function loadedSettings(text: string): { settings?: unknown; error?: unknown } {
    pulumi.runtime.setAllConfig({ ...committedConfig(), [`${DEPLOYMENTS_PROJECT}:settings`]: text }, []);
    try {
        return { settings: loadSettings() };
    } catch (error) {
        return { error };
    }
}

/** Pulumi.main.yaml's settings as deployments/ reads them (defaults filled in). */
export const parsedCommittedSettings = () => settingsSchema.parse(committedSettings());

/** The committed settings, and what `read` finds in each of their stacks' files (as deployments/index.ts's perStack reads them). */
export function committedStackFiles<T>(read: (stack: string, project: string) => T) {
    const s = parsedCommittedSettings();
    return { s, files: Object.fromEntries(Object.keys(s.stacks).map((stack) => [stack, read(stack, s.project)])) };
}

/**
 * deployments/ under mocks until every resource it started has been registered: rejects with what failed the `up`.
 * `program`: another copy of deployments/index.ts's program (one run from a scratch project).
 */
export function deploymentsRegistrations(setup?: (cloud: MockCloud) => void, settings: unknown = committedSettings(), program: () => unknown = require("../../deployments/index")) {
    return runUnderMocks({ stack: "main", project: DEPLOYMENTS_PROJECT, setup, config: { ...committedConfig(), [`${DEPLOYMENTS_PROJECT}:settings`]: JSON.stringify(settings) } }, () => program());
}

export type DeploymentsPlan = Awaited<ReturnType<typeof deploymentsPlan>>;

function lookups(resources: RecordedResource[]) {
    const ofType = (type: string) => resources.filter((r) => r.type === type);
    return {
        ofType,
        role: (name: string) => ofType("aws:iam/role:Role").find((r) => r.name === name),
        roles: () => ofType("aws:iam/role:Role"),
        trustOf: (role: RecordedResource) => JSON.parse(role.inputs.assumeRolePolicy),
        deploymentSettings: (stack: string) => ofType("pulumiservice:index:DeploymentSettings").find((r) => r.inputs.stack === stack),
        providers: () => ofType("gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider"),
        pool: () => ofType("gcp:iam/workloadIdentityPool:WorkloadIdentityPool")[0],
        accounts: () => ofType("gcp:serviceaccount/account:Account"),
        /** Who may impersonate a service account (its roles/iam.workloadIdentityUser members). */
        impersonators: (email: string) =>
            ofType("gcp:serviceaccount/iAMMember:IAMMember")
                .filter((b) => b.inputs.role === "roles/iam.workloadIdentityUser" && String(b.inputs.serviceAccountId).endsWith(`/serviceAccounts/${email}`))
                .map((b) => b.inputs.member as string),
        /** The project roles a member holds. */
        grantsOf: (member: string) => ofType("gcp:projects/iAMMember:IAMMember").filter((g) => g.inputs.member === member),
    };
}

/** Whether a role may change anything: any policy beyond ReadOnlyAccess, or an inline policy with a write action. */
export function awsRoleWrites(role: RecordedResource): boolean {
    const managed: string[] = role.inputs.managedPolicyArns ?? [];
    const inline: any[] = role.inputs.inlinePolicies ?? [];
    // ValidateStateMachineDefinition changes nothing: access level Read (Service Authorization Reference, Step Functions).
    const readOnlyAction = /^([a-z0-9-]+:(Get|List|Describe|BatchGet|BatchCheck|GetDownloadUrlForLayer)|states:ValidateStateMachineDefinition$)/;
    const inlineWrites = inline.some((p) =>
        JSON.parse(p.policy).Statement.some((s: any) => s.Effect === "Allow" && [s.Action].flat().some((a: string) => !readOnlyAction.test(a))),
    );
    return managed.some((arn) => arn !== "arn:aws:iam::aws:policy/ReadOnlyAccess") || inlineWrites;
}

const READ_ONLY_GCP_ROLES = new Set(["roles/viewer", "roles/iam.securityReviewer", "roles/artifactregistry.reader"]);

/**
 * Whether a service account holds any project role that can change something, or any role on a service account: each
 * such grant (token creation, impersonation, ID tokens) lets it act as, or for, that other account.
 */
export function gcpAccountWrites(plan: DeploymentsPlan, email: string): boolean {
    const member = `serviceAccount:${email}`;
    const onAccounts = plan.ofType("gcp:serviceaccount/iAMMember:IAMMember").filter((g) => g.inputs.member === member);
    return plan.grantsOf(member).some((g) => !READ_ONLY_GCP_ROLES.has(g.inputs.role)) || onAccounts.length > 0;
}

/** The ESC logins an environment defines: `fn::open::aws-login` / `fn::open::gcp-login` blocks at any depth. */
export function escLogins(definition: any): { platform: "aws" | "gcp"; block: any }[] {
    const found: { platform: "aws" | "gcp"; block: any }[] = [];
    const visit = (node: any) => {
        if (!node || typeof node !== "object") return;
        for (const [key, value] of Object.entries<any>(node)) {
            if (key === "fn::open::aws-login") found.push({ platform: "aws", block: value });
            else if (key === "fn::open::gcp-login") found.push({ platform: "gcp", block: value });
            else visit(value);
        }
    };
    visit(definition?.values);
    return found;
}
