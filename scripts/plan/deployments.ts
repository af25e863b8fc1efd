/**
 * The offline plan of deployments/ (the delivery pipeline as code): `npm run plan:deployments`. Runs
 * deployments/index.ts under Pulumi's mocks with deployments/Pulumi.main.yaml's settings and prints what the one-time
 * setup would create (ESC environments, OIDC issuers and trust, teams, Deployments settings, review-stack template,
 * drift schedule) and its outputs. Bad settings print every problem and exit 1.
 */
import * as path from "path";
import { PROJECT_ROOT, readStackFileAt } from "../../config/stackFile";
import { runUnderMocks, maskSecrets, valueOf } from "../offline/mockCloud";
import { renderReport } from "./render";

const PROJECT = "multicloud-service-deployments";

async function main(): Promise<number> {
    const { config, secretKeys } = readStackFileAt(path.join(PROJECT_ROOT, "deployments", "Pulumi.main.yaml"));
    try {
        const program = require("../../deployments/index");
        const run = await runUnderMocks({ stack: "main", project: PROJECT, config, secretKeys }, () => (program.default ?? program)());
        const outputs = maskSecrets(await valueOf(run.result as object)) as Record<string, unknown>;
        const heading = `Offline plan of deployments/ (stack "main"; Pulumi mocks: no cloud account, nothing is created)`;
        const outputLines = Object.entries(outputs).map(([k, v]) => `  ${k}  ${JSON.stringify(v)}`);
        console.log(renderReport(heading, run.cloud.resources, [["Outputs", outputLines]]));
        return 0;
    } catch (err) {
        console.error(`plan:deployments: ${(err as Error).message}`);
        return 1;
    }
}

main().then((code) => process.exit(code));
