/**
 * The offline plan of deployments/ (the delivery pipeline as code): `npm run plan:deployments`. Runs
 * deployments/index.ts under Pulumi's mocks with deployments/Pulumi.main.yaml's settings and prints what the one-time
 * setup would create (ESC environments, OIDC issuers and trust, teams, Deployments settings, review-stack template,
 * drift schedule) and its outputs. Bad settings print every problem and exit 1. An argument names another stack file
 * of deployments/ to plan instead of Pulumi.main.yaml, read as deployments/'s stack wherever it is kept.
 */
import { exitWhenFlushed } from "../build/exitWhenFlushed";
import { answeredArguments } from "../build/usage";
import { USAGE, deploymentsArgumentProblem } from "./deploymentsArguments";

// The plan loads the Pulumi SDK and deployments/ (about 0.3 s of CPU): --help and a wrong argument are answered before.
async function main(argv: string[]): Promise<number> {
    const answered = answeredArguments("plan:deployments", argv, USAGE, deploymentsArgumentProblem);
    if (answered !== undefined) return answered;
    const { printDeploymentsPlan } = await import("./deploymentsPlan");
    return printDeploymentsPlan(argv[0]);
}

main(process.argv.slice(2)).then(exitWhenFlushed);
