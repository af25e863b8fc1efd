/**
 * The offline plan of deployments/ (the delivery pipeline as code): `npm run plan:deployments`. Runs
 * deployments/index.ts under Pulumi's mocks with deployments/Pulumi.main.yaml's settings and prints what the one-time
 * setup would create (ESC environments, OIDC issuers and trust, teams, Deployments settings, review-stack template,
 * drift schedule) and its outputs. Bad settings print every problem and exit 1. An argument names another stack file
 * of deployments/ to plan instead of Pulumi.main.yaml.
 */
import * as path from "path";
import { PROJECT_ROOT, readStackFileAt } from "../../config/stackFile";
import { MockCloud, printDiagnosticsOfFailure, runUnderMocks, valueOf } from "../offline/mockCloud";
import { printDiagnostics } from "../offline/programMessages";
import { programOfModule } from "../offline/programModule";
import { maskSecrets } from "../offline/registeredInputs";
import { oidcAudiences } from "../../deployments/awsOidc";
import { renderReport } from "./render";
import { renderFixedNames } from "./fixedNames";
import { exitWhenFlushed } from "../build/exitWhenFlushed";
import { answeredArguments } from "../build/usage";

const PROJECT = "multicloud-service-deployments";

const USAGE = [
    "usage: npm run plan:deployments -- [<stack-file>]",
    "  <stack-file>   a stack file of deployments/ to plan instead of deployments/Pulumi.main.yaml",
].join("\n");

async function main(argv: string[]): Promise<number> {
    const answered = answeredArguments("plan:deployments", argv, USAGE, { positional: "stack file" });
    if (answered !== undefined) return answered;
    try {
        const { config, secretKeys } = readStackFileAt(argv[0] ? path.resolve(argv[0]) : path.join(PROJECT_ROOT, "deployments", "Pulumi.main.yaml"));
        const program = programOfModule(require("../../deployments/index"));
        // An account's existing OIDC providers cannot be read offline: the plan takes them as listing the audiences
        // deployments/ checks for, and says so; `pulumi preview` reads them.
        const existing = existingOidcProviders(config);
        const setup = (cloud: MockCloud) => existing.forEach(({ arn, audience }) => cloud.oidcProviders.set(arn, [audience]));
        const run = await runUnderMocks({ stack: "main", project: PROJECT, config, secretKeys, setup }, program);
        printDiagnostics(run.cloud);
        const outputs = maskSecrets(await valueOf(run.result as object)) as Record<string, unknown>;
        const heading = `Offline plan of deployments/ (stack "main"; Pulumi mocks: no cloud account, nothing is created)`;
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
        return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
    } catch {
        return undefined;
    }
}

main(process.argv.slice(2)).then(exitWhenFlushed);
