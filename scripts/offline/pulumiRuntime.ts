import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { mergedEnvironment } from "./environment";
import { FakeEngine, Diagnostic } from "./fakeEngine";
import { MockCloud, PROJECT, mockCloudFor } from "./mockCloud";
import { PROJECT_ROOT, StackFileConfig, readStackFile } from "../../config/stackFile";

/** How Pulumi's language host would start the program. */
export interface RuntimeWay {
    /** Pulumi.yaml `runtime.options.typescript`: whether the runner registers ts-node. */
    typescript: boolean;
    /** PULUMI_NODEJS_TRANSPILE_ONLY; unset, the runner reads tsconfig's noCheck. */
    transpileOnly?: boolean;
    /** The program argument: "." resolves package.json main (program.js), as with no `main` in Pulumi.yaml. */
    program?: string;
    /** Pulumi.yaml `runtime.options.nodeargs`: flags for node itself. */
    nodeArgs?: string[];
    /** The node the language host starts (`node` on PATH); unset, the one running this. */
    node?: string;
}

export interface RuntimeRun {
    exitCode: number | null;
    stdout: string;
    stderr: string;
    diagnostics: Diagnostic[];
    errors: string[];
    cloud: MockCloud;
    /** From spawning node until the engine had the last registration. */
    msToLastRegistration: number;
}

const RUNNER = require.resolve("@pulumi/pulumi/cmd/run");

/** A Pulumi project of this repository: its folder (Pulumi.yaml's) and name. */
export interface ProjectLocation {
    dir: string;
    name: string;
}

/** The service's project, at the repository's root. */
export const SERVICE_PROJECT: ProjectLocation = { dir: PROJECT_ROOT, name: PROJECT };

/** The way a project's Pulumi.yaml tells the language host to start it (its `main` and runtime options). */
export function projectWay(dir = PROJECT_ROOT): RuntimeWay {
    const project = parse(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8"));
    const options = project.runtime?.options ?? {};
    return {
        typescript: options.typescript ?? true,
        program: project.main ?? ".",
        nodeArgs: typeof options.nodeargs === "string" ? options.nodeargs.split(/\s+/).filter(Boolean) : [],
    };
}

/**
 * Runs the program the way `pulumi up` does: node starting `@pulumi/pulumi/cmd/run` with the stack's config in
 * PULUMI_CONFIG, connected over gRPC to a FakeEngine instead of the CLI. Nothing reaches a cloud.
 */
export async function runUnderPulumiRuntime(
    stack: string,
    way: RuntimeWay,
    settings: StackFileConfig = readStackFile(stack),
    project: ProjectLocation = SERVICE_PROJECT,
): Promise<RuntimeRun> {
    const cloud = mockCloudFor(settings.config);
    const engine = new FakeEngine(cloud, project.name, stack, settings.config);
    const address = await engine.start();
    try {
        const flags = [`--monitor=${address}`, `--engine=${address}`, `--project=${project.name}`, `--stack=${stack}`, `--root-directory=${project.dir}`, `--pwd=${project.dir}`, "--organization=organization"];
        const env: NodeJS.ProcessEnv = {
            ...mergedEnvironment(process.env, engine.environment()),
            PULUMI_CONFIG: JSON.stringify(settings.config),
            PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(settings.secretKeys),
            PULUMI_NODEJS_TYPESCRIPT: String(way.typescript),
        };
        delete env.PULUMI_NODEJS_TRANSPILE_ONLY;
        if (way.transpileOnly !== undefined) env.PULUMI_NODEJS_TRANSPILE_ONLY = String(way.transpileOnly);
        const started = performance.now();
        const child = spawn(way.node ?? process.execPath, [...(way.nodeArgs ?? []), RUNNER, ...flags, way.program ?? "."], { cwd: project.dir, env, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        const exitCode = await new Promise<number | null>((resolve, reject) => {
            child.on("error", reject);
            child.on("close", resolve);
        });
        const last = engine.lastRegistrationAt ?? performance.now();
        cloud.linkParents(engine.urns());
        return { exitCode, stdout, stderr, diagnostics: engine.diagnostics, errors: engine.errors(), cloud, msToLastRegistration: last - started };
    } finally {
        await engine.stop();
    }
}
