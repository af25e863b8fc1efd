import * as pulumi from "@pulumi/pulumi";
import * as pulumiservice from "@pulumi/pulumiservice";
import { SUBJECT_ATTRIBUTES } from "./escTokens";
import { escYaml } from "./escYaml";
import { DeploymentsSettings, isReleased } from "./settings";
import { refusal } from "../components/refusal";

import { PREVIEW_ENVIRONMENT, credentialsEnvironment, releaseStateEnvironment } from "./environmentNames";

export { PREVIEW_ENVIRONMENT, credentialsEnvironment, releaseStateEnvironment };

/**
 * How long a released stack's credentials last, taken just before deploy-prod.yml's release step: its second Pulumi
 * login and ESC's AWS session, counted from there to the end of the release step's timeout-minutes.
 */
export const RELEASE_CREDENTIALS_MINUTES = 240;
const DEFAULT_CREDENTIALS_MINUTES = 60;

/** How long the credentials an environment hands out last: a released stack's cover its whole release job. */
export function credentialsMinutes(s: DeploymentsSettings, stack: string): number {
    return isReleased(s, stack) ? RELEASE_CREDENTIALS_MINUTES : DEFAULT_CREDENTIALS_MINUTES;
}

export interface Login {
    awsRoleArn: pulumi.Input<string>;
    gcpServiceAccount: pulumi.Input<string>;
    /** Whose ID token the release presents to a new revision: the release's own account, for a released stack. */
    releaseServiceAccount?: pulumi.Input<string>;
    minutes: number;
}

export interface GcpFederation {
    /** The identity pool project's number: gcp-login's `project` is the numerical project ID. */
    projectNumber: pulumi.Input<string>;
    poolId: pulumi.Input<string>;
    providerId: pulumi.Input<string>;
}

/**
 * An environment that logs in to AWS (aws-login) and Google Cloud (gcp-login) by OIDC and hands the credentials to
 * `pulumi up` and the workflows as the variables each SDK reads. The Pulumi Google Cloud provider reads
 * GOOGLE_OAUTH_ACCESS_TOKEN; gcloud reads CLOUDSDK_AUTH_ACCESS_TOKEN.
 */
function loginDefinition(login: Login, gcp: GcpFederation, session: string, project: string, permissionsBoundary: pulumi.Input<string>) {
    return pulumi.all([login.awsRoleArn, login.gcpServiceAccount, login.releaseServiceAccount ?? login.gcpServiceAccount, gcp.projectNumber, gcp.poolId, gcp.providerId, permissionsBoundary]).apply(([roleArn, serviceAccount, releaseServiceAccount, projectNumber, workloadPoolId, providerId, boundary]) =>
        escYaml({
            values: {
                // The deploy role writes only roles under this boundary (deployments/workloadRoles.ts): the stack asks
                // for it (merged into the stack file's object, the stack's own keys winning).
                pulumiConfig: { [`${project}:aws`]: { permissionsBoundary: boundary } },
                aws: { login: { "fn::open::aws-login": { oidc: { roleArn, sessionName: session, duration: `${login.minutes}m`, subjectAttributes: SUBJECT_ATTRIBUTES } } } },
                gcp: { login: { "fn::open::gcp-login": { project: Number(projectNumber), oidc: { workloadPoolId, providerId, serviceAccount, subjectAttributes: SUBJECT_ATTRIBUTES } } } },
                environmentVariables: {
                    AWS_ACCESS_KEY_ID: "${aws.login.accessKeyId}",
                    AWS_SECRET_ACCESS_KEY: "${aws.login.secretAccessKey}",
                    AWS_SESSION_TOKEN: "${aws.login.sessionToken}",
                    GOOGLE_OAUTH_ACCESS_TOKEN: "${gcp.login.accessToken}",
                    CLOUDSDK_AUTH_ACCESS_TOKEN: "${gcp.login.accessToken}",
                    // Whose ID token the release's probe presents to a new Cloud Run revision (release/probe/cloudRunTransport.ts):
                    // gcp-login hands out an access token only, and Cloud Run takes an ID token.
                    RELEASE_GCP_SERVICE_ACCOUNT: releaseServiceAccount,
                    // What a job holding these credentials may still start (deployments/checkReleaseWindow.ts).
                    RELEASE_CREDENTIALS_MINUTES: String(login.minutes),
                },
            },
        }),
    );
}

/**
 * Fails the `up` when ESC did not take an environment's definition although the provider reported success: its
 * Update drops the API's error and returns revision 0 (pulumi-pulumiservice v1.3.0 environment.go, Update), and the
 * state then holds the new definition as if ESC had it, so no later `up` sends it again. A refresh reads ESC's back.
 */
function failWhenEscRefused(env: pulumiservice.Environment, path: string): void {
    env.revision.apply((revision) => {
        if (pulumi.runtime.isDryRun() || revision === undefined || revision > 0) return;
        throw refusal(
            `ESC did not take the new definition of ${path}: the provider reports revision 0, which it returns when ESC refused the update (it drops the error). ` +
                "The state now holds the new definition as if ESC had it: run `pulumi up --refresh` (in deployments/) to read ESC's back and send it again, and `pulumi env get " +
                `${path}\` to see what ESC holds.`,
            env,
        );
    });
}

/**
 * One credentials environment per stack (imported by its stack file), one read-only `preview` for pull requests, and
 * for each released stack the environment its release state lives in. The state environment starts empty and is
 * then the release's to write: this program never resets it (ignoreChanges), and never deletes it (retainOnDelete):
 * ESC's delete takes an environment's whole revision history with it, and the stable and rolled-back versions in it
 * cannot be made again. Taking the stack out of the settings, or destroying this project, only revokes the grants on
 * it; the credentials environments go, as their definitions are this program's, over roles that go in the same `up`.
 */
export function createEscEnvironments(s: DeploymentsSettings, logins: Record<string, Login>, preview: Login, gcp: GcpFederation, permissionsBoundary: pulumi.Input<string>) {
    const environment = (name: string, yaml: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions) => {
        const env = new pulumiservice.Environment(`esc-${name}`, { organization: s.organization, project: s.project, name, yaml: pulumi.output(yaml).apply((text) => new pulumi.asset.StringAsset(text)) }, opts);
        failWhenEscRefused(env, `${s.organization}/${s.project}/${name}`);
        return env;
    };
    const stacks: Record<string, pulumiservice.Environment> = {};
    const releaseState: Record<string, pulumiservice.Environment> = {};
    for (const [stack, login] of Object.entries(logins)) {
        stacks[stack] = environment(credentialsEnvironment(stack), loginDefinition(login, gcp, `${s.project}-${stack}`, s.project, permissionsBoundary));
        if (isReleased(s, stack)) {
            releaseState[stack] = environment(releaseStateEnvironment(stack), escYaml({ values: { pulumiConfig: {} } }), { ignoreChanges: ["yaml"], retainOnDelete: true });
        }
    }
    const previewEnvironment = environment(PREVIEW_ENVIRONMENT, loginDefinition(preview, gcp, `${s.project}-preview`, s.project, permissionsBoundary));
    const byName: Record<string, pulumiservice.Environment> = { [PREVIEW_ENVIRONMENT]: previewEnvironment };
    for (const [stack, env] of Object.entries(stacks)) byName[credentialsEnvironment(stack)] = env;
    for (const [stack, env] of Object.entries(releaseState)) byName[releaseStateEnvironment(stack)] = env;
    return { stacks, releaseState, preview: previewEnvironment, byName };
}

export type EscEnvironments = ReturnType<typeof createEscEnvironments>;
