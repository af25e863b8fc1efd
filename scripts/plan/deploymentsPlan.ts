/** The offline plan of deployments/: deployments.ts answers the arguments first, and loads this module (the Pulumi SDK, deployments/) only to plan. */
import * as path from "path";
import { isPlainObject } from "../../config/plainObject";
import { PROJECT_ROOT, readStackFileAt } from "../../config/stackFile";
import { MockCloud, printDiagnosticsOfFailure, runUnderMocks, valueOf } from "../offline/mockCloud";
import { printDiagnostics } from "../offline/programMessages";
import { programOfModule } from "../offline/programModule";
import { maskSecrets } from "../offline/registeredInputs";
import { oidcAudiences } from "../../deployments/awsOidc";
import { renderReport } from "./render";
import { renderFixedNames } from "./fixedNames";

const PROJECT = "multicloud-service-deployments";
/** deployments/' one stack, which any file planned here stands for. */
const STACK = "main";

/** Prints the plan of `stackFile` (deployments/Pulumi.main.yaml when none); a failure is printed here and answers 1. */
export async function printDeploymentsPlan(stackFile: string | undefined): Promise<number> {
    try {
        // The file stands for deployments/'s stack wherever it is kept: read as `pulumi up` in deployments/ would read it.
        const deployments = path.join(PROJECT_ROOT, "deployments");
        const { config, secretKeys } = readStackFileAt(stackFile !== undefined ? path.resolve(stackFile) : path.join(deployments, "Pulumi.main.yaml"), deployments, STACK);
        const program = programOfModule(require("../../deployments/index"));
        // An account's existing OIDC providers cannot be read offline: the plan takes them as listing the audiences
        // deployments/ checks for, and says so; `pulumi preview` reads them.
        const existing = existingOidcProviders(config);
        const setup = (cloud: MockCloud) => existing.forEach(({ arn, audience }) => cloud.oidcProviders.set(arn, [audience]));
        const run = await runUnderMocks({ stack: STACK, project: PROJECT, config, secretKeys, setup }, program);
        printDiagnostics(run.cloud);
        const outputs = maskSecrets(await valueOf(run.result as object)) as Record<string, unknown>;
        const heading = `Offline plan of deployments/ (stack "${STACK}"; Pulumi mocks: no cloud account, nothing is created)`;
        const outputLines = Object.entries(outputs).map(([k, v]) => `  ${k}  ${JSON.stringify(v)}`);
        const assumed = existing.map(({ arn, audience }) => `  ${arn} is taken to list ${audience} among its client IDs (offline: not read; pulumi preview checks it)`);
        console.log(
            renderReport(heading, run.cloud.resources, [
                ["Names already taken fail the first up", renderFixedNames(run.cloud.resources)],
                ["Outputs", outputLines],
                ...(assumed.length ? [["Existing OIDC providers", assumed] as [string, string[]]] : []),
            ]),
        );
        return 0;
    } catch (err) {
        printDiagnosticsOfFailure(err);
        console.error(`plan:deployments: ${(err as Error).message}`);
        return 1;
    }
}

/** The existing providers the settings name, with the audience each must list (deployments/awsOidc.ts). */
function existingOidcProviders(config: Record<string, string>): { arn: string; audience: string }[] {
    // Read before the program checks the settings: settings that are not an object are left to its error, which names
    // the key, rather than failing here on JSON.parse or a property of null.
    const settings = parsedObject(config[`${PROJECT}:settings`] ?? "{}");
    const existing = settings?.existingAwsOidcProviders;
    if (typeof existing !== "object" || existing === null) return [];
    const audiences: Record<string, string> = oidcAudiences(String(settings?.organization));
    return Object.entries(existing as Record<string, unknown>).flatMap(([issuer, arn]) => (typeof arn === "string" && arn && audiences[issuer] ? [{ arn, audience: audiences[issuer] }] : []));
}

function parsedObject(text: string): Record<string, unknown> | undefined {
    try {
        const value: unknown = JSON.parse(text);
        return isPlainObject(value) ? value : undefined;
    } catch {
        return undefined;
    }
}
