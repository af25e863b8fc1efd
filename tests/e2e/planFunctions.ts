import { COMPONENT_NAMES } from "../../components/names";
import { ProgramRun } from "../../scripts/offline/runProgram";
import { RecordedResource } from "../../scripts/offline/mockCloud";
import type { FunctionSpec } from "./protocol";

export interface PlannedFunction {
    name: string;
    arn: string;
    /** The image command, e.g. `api.handler`. */
    command: string;
    environment: Record<string, string>;
    /** The alias the plan invokes it through, and the version that alias points to. */
    alias: string;
    version: string;
    logGroupName: string;
    memoryMb: number;
    timeoutSeconds: number;
}

/** What the plan gives the AWS data path: the two functions, the state machine and the bucket they share. */
export interface PlannedDataPath {
    region: string;
    bucketName: string;
    api: PlannedFunction;
    worker: PlannedFunction;
    stateMachineArn: string;
    /** The state machine's Amazon States Language definition, parsed. */
    definition: any;
    /** The health check's definition, parsed, and the input its schedule starts it with (none: Scheduler sends `{}`). */
    healthCheck: { definition: any; input?: string };
}

function plannedFunction(run: ProgramRun, suffix: string): PlannedFunction {
    const matches = run.cloud.ofType("aws:lambda/function:Function").filter((f) => f.name.endsWith(suffix));
    if (matches.length !== 1) throw new Error(`${run.stack}: expected one Lambda function named *${suffix}, found ${matches.map((f) => f.name).join(", ") || "none"}`);
    const fn: RecordedResource = matches[0];
    const commands: unknown = fn.inputs.imageConfig?.commands;
    if (!Array.isArray(commands) || commands.length !== 1) throw new Error(`${fn.name}: expected one image command, got ${JSON.stringify(commands)}`);
    const environment: Record<string, unknown> = fn.inputs.environment?.variables ?? {};
    for (const [key, value] of Object.entries(environment)) {
        if (typeof value !== "string") throw new Error(`${fn.name}: ${key} is not a known string in the plan (${JSON.stringify(value)})`);
    }
    const name = String(fn.outputs.name ?? fn.outputs.arn.split(":").pop());
    const aliases = run.cloud.ofType("aws:lambda/alias:Alias").filter((a) => a.inputs.functionName === name);
    if (aliases.length !== 1) throw new Error(`${fn.name}: expected one alias of ${name}, found ${aliases.length}`);
    return {
        name,
        arn: fn.outputs.arn,
        command: commands[0],
        environment: environment as Record<string, string>,
        alias: aliases[0].inputs.name,
        version: String(aliases[0].inputs.functionVersion),
        logGroupName: fn.inputs.loggingConfig?.logGroup ?? `/aws/lambda/${name}`,
        memoryMb: fn.inputs.memorySize,
        timeoutSeconds: fn.inputs.timeout,
    };
}

/** What lambdaHost.ts needs of a planned function. */
export function functionSpec(fn: PlannedFunction, bundleDir: string): FunctionSpec {
    const { name: functionName, arn: functionArn, command, alias, version, logGroupName, memoryMb, timeoutSeconds } = fn;
    return { command, bundleDir, functionName, functionArn, qualifier: alias, version, logGroupName, memoryMb, timeoutSeconds };
}

/** Reads the data path from a program run under mocks: exactly the values `pulumi up` would send to AWS. */
export function plannedDataPath(run: ProgramRun): PlannedDataPath {
    const stateMachine = run.cloud.one("aws:sfn/stateMachine:StateMachine", `${COMPONENT_NAMES.aws}-pipeline`);
    const healthCheck = run.cloud.one("aws:sfn/stateMachine:StateMachine", `${COMPONENT_NAMES.aws}-health`);
    return {
        region: run.cloud.one("pulumi:providers:aws", "aws").inputs.region,
        bucketName: run.cloud.one("aws:s3/bucket:Bucket").outputs.bucket,
        api: plannedFunction(run, "-api"),
        worker: plannedFunction(run, "-worker"),
        stateMachineArn: stateMachine.outputs.arn,
        definition: JSON.parse(stateMachine.inputs.definition),
        healthCheck: { definition: JSON.parse(healthCheck.inputs.definition), input: run.cloud.one("aws:scheduler/schedule:Schedule").inputs.target.input },
    };
}
