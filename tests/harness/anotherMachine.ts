import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/stackFile";
import { RecordedCall, RecordedResource } from "../../scripts/offline/mockCloud";
import { inFreshNode } from "./freshNode";

/**
 * What another machine's environment holds that a program could read: a laptop with its cloud CLIs set up for
 * another project and region, the Pulumi Deployments runner, a GitHub Actions runner, a Docker setup, another time
 * zone and locale, and another user's home. The values are what such a machine would have, never the stack's.
 */
export function anotherMachineEnvironment(stack: string, home: string): NodeJS.ProcessEnv {
    fs.mkdirSync(path.join(home, ".aws"), { recursive: true });
    // The AWS CLI's and SDKs' shared config file format (AWS SDKs and Tools Reference Guide, "Shared config and credentials files").
    fs.writeFileSync(path.join(home, ".aws", "config"), "[default]\nregion = us-west-2\n\n[profile laptop]\nregion = eu-central-1\n");
    // A global git config of a Windows/WSL user (git-config(1), core.fileMode); this checkout's own config says true.
    fs.writeFileSync(path.join(home, ".gitconfig"), "[core]\n\tfileMode = false\n");
    return {
        // @pulumi/gcp provider.js: an unset project, region or zone is taken from these, first set first.
        GOOGLE_PROJECT: "someone-elses",
        GOOGLE_CLOUD_PROJECT: "someone-elses-too",
        GCLOUD_PROJECT: "someone-elses-3",
        CLOUDSDK_CORE_PROJECT: "someone-elses-4",
        GOOGLE_REGION: "us-east1",
        GCLOUD_REGION: "europe-west4",
        CLOUDSDK_COMPUTE_REGION: "europe-west1",
        GOOGLE_ZONE: "us-central1-f",
        GCLOUD_ZONE: "us-east1-b",
        CLOUDSDK_COMPUTE_ZONE: "europe-west1-b",
        GOOGLE_APPLICATION_CREDENTIALS: path.join(home, "no-such-key.json"),
        CLOUDSDK_CONFIG: path.join(home, ".config", "gcloud"),
        // @pulumi/aws provider.js: an unset region is taken from these. AWS_PROFILE reaches module loading only: the mock
        // cloud's run replaces the machine's AWS credentials with its own and unsets it (cloudApiServer.ts, cloudApiEnvironment).
        AWS_REGION: "us-west-2",
        AWS_DEFAULT_REGION: "eu-west-1",
        AWS_PROFILE: "laptop",
        AWS_CONFIG_FILE: path.join(home, ".aws", "config"),
        AWS_SHARED_CREDENTIALS_FILE: path.join(home, ".aws", "credentials"),
        // The Pulumi Deployments runner's own variables (Pulumi docs, Deployments "Environment Variables").
        PULUMI_CI_SYSTEM: "Pulumi Deployments",
        PULUMI_CI_BUILD_ID: "3b6b3f2e-5a61-4c3e-9a57-0c7d0e0b4f1a",
        PULUMI_CI_BUILD_NUMBER: "42",
        PULUMI_CI_BUILD_URL: `https://app.pulumi.com/acme/multicloud-service/${stack}/deployments/42`,
        PULUMI_CI_ORGANIZATION: "acme",
        PULUMI_CI_PROJECT: "multicloud-service",
        PULUMI_CI_STACK: stack,
        PULUMI_CI_OPERATION: "update",
        // A GitHub Actions runner's (GitHub docs, "Variables reference": default environment variables).
        CI: "true",
        GITHUB_ACTIONS: "true",
        GITHUB_WORKSPACE: home,
        GITHUB_SHA: "0123456789abcdef0123456789abcdef01234567",
        GITHUB_REF: "refs/heads/main",
        RUNNER_OS: "Linux",
        RUNNER_ARCH: "ARM64",
        RUNNER_TEMP: home,
        // Docker's client variables (Docker docs, "docker" CLI reference, environment variables): a daemon that is not
        // there, another config folder, and an amd64 default platform (Lambda runs arm64).
        DOCKER_HOST: `unix://${path.join(home, "no-docker.sock")}`,
        DOCKER_CONFIG: path.join(home, ".docker"),
        DOCKER_DEFAULT_PLATFORM: "linux/amd64",
        // UTC+12:45 (+13:45 in summer), and a locale that writes 1234.5 as "1.234,5" (toLocaleString) and sorts "ç" after
        // "c" (localeCompare). Node 24's ICU takes its default locale from LC_ALL/LANG when the process starts (set later,
        // they are not seen; tried), and the time zone from TZ whenever it is set: the run is a process of its own.
        TZ: "Pacific/Chatham",
        LANG: "tr_TR.UTF-8",
        LC_ALL: "tr_TR.UTF-8",
        HOME: home,
        XDG_CONFIG_HOME: path.join(home, ".config"),
        GIT_CONFIG_GLOBAL: path.join(home, ".gitconfig"),
        USER: "someone",
        LOGNAME: "someone",
    };
}

/** What the program registered and asked, as JSON carries it. */
export interface MachineRun {
    resources: RecordedResource[];
    calls: RecordedCall[];
    outputs: Record<string, unknown>;
    /** What the run's process saw of its machine (another machine's only). */
    machine?: { locale: string; timeZone: string; cwd: string; home: string };
}

/**
 * `run` (a script expression: a promise of the run's resources, calls and outputs) in a node process of its own,
 * started in `cwd` with `env` on top of this one's, after `setup` (its requires): nothing of the program is loaded yet,
 * so what it reads when its modules load is read from that environment too. The SDK's function serialization and
 * Automation API are deferred first, as program.js defers them before anything loads the SDK (setup's requires load it
 * ahead of the program).
 */
function runElsewhere(setup: string, run: string, env: NodeJS.ProcessEnv, cwd: string): MachineRun {
    const script = `
        require(${JSON.stringify(path.join(PROJECT_ROOT, "tests/harness/transpile.js"))});
        require(${JSON.stringify(path.join(PROJECT_ROOT, "loader/deferFunctionSerialization.js"))}).deferFunctionSerialization();
        require(${JSON.stringify(path.join(PROJECT_ROOT, "loader/deferAutomationApi.js"))}).deferAutomationApi();
        ${setup}
        ${run}.then(
            (recorded) => console.log(JSON.stringify({
                ...recorded,
                machine: { locale: Intl.DateTimeFormat().resolvedOptions().locale, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone, cwd: process.cwd(), home: require("os").homedir() },
            })),
            (err) => { console.error(err); process.exitCode = 1; },
        );`;
    return inFreshNode(script, env, cwd);
}

/** The program for `stack` under the mock cloud (runProgram), on another machine (runElsewhere). */
export function runOnAnotherMachine(stack: string, env: NodeJS.ProcessEnv, cwd: string): MachineRun {
    return runElsewhere(
        `const { runProgram } = require(${JSON.stringify(path.join(PROJECT_ROOT, "scripts/offline/runProgram.ts"))});`,
        `runProgram(${JSON.stringify(stack)}).then((run) => ({ resources: run.cloud.resources, calls: run.cloud.calls, outputs: run.outputs }))`,
        env,
        cwd,
    );
}

/** deployments/ (stack main, Pulumi.main.yaml's settings) under the mock cloud, on another machine (runElsewhere). */
export function runDeploymentsOnAnotherMachine(env: NodeJS.ProcessEnv, cwd: string): MachineRun {
    return runElsewhere(
        `const { deploymentsRegistrations } = require(${JSON.stringify(path.join(PROJECT_ROOT, "tests/deployments/deploymentsPlan.ts"))});
        const { valueOf } = require(${JSON.stringify(path.join(PROJECT_ROOT, "scripts/offline/mockCloud.ts"))});`,
        `deploymentsRegistrations().then(async (run) => ({ resources: run.cloud.resources, calls: run.cloud.calls, outputs: await valueOf(run.result) }))`,
        env,
        cwd,
    );
}

/**
 * That a run on another machine saw that machine (its locale, time zone, folder and home), and registered and asked
 * what a clean run here did: the same resources (type, name, parent, provider, dependencies, options and inputs, and
 * the mock cloud's answer to them), invokes and stack outputs. `here` as JSON carries it, so both sides compare alike;
 * nothing is masked, since two runs under mocks record the same bytes (tried): whatever differs came from the machine.
 */
export function assertSameRunElsewhere(elsewhere: MachineRun, here: MachineRun, home: string): void {
    const { machine } = elsewhere;
    assert.deepStrictEqual({ ...machine, cwd: fs.realpathSync(machine!.cwd) }, { locale: "tr-TR", timeZone: "Pacific/Chatham", cwd: fs.realpathSync(home), home }, "the run saw another machine");
    const byUrn = (run: MachineRun) => new Map(run.resources.map((r) => [r.urn, r]));
    const [there, cleanly] = [byUrn(elsewhere), byUrn(here)];
    assert.deepStrictEqual([...there.keys()].sort(), [...cleanly.keys()].sort(), "the set of resources");
    for (const [urn, r] of cleanly) assert.deepStrictEqual(there.get(urn), r, `${r.type} ${r.name}`);
    assert.deepStrictEqual(elsewhere.calls, here.calls, "the invokes");
    assert.deepStrictEqual(elsewhere.outputs, here.outputs, "the stack outputs");
}
