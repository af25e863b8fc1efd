import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { nodeOptionsRequiring } from "../../scripts/offline/nodeOptions";
import { scratchDir } from "../harness/tempDirs";
import type { PluginProcess } from "./pluginProcess";

const PRELOAD = path.join(__dirname, "reportLoadersOnSignal.js");

/** What a plugin process has of program.js's shortcuts (../../loader), as reportLoadersOnSignal.js reports it. */
export interface LoaderReport {
    /** The stack-trace hook in place is loader/promiseStacks.js's (skipMappingOfPromiseStacks). */
    skipsMapping: boolean;
    /** The plugin's SDK records promises through skipCapturingPromiseStacks's function. */
    skipsCapture: boolean;
    /** What the plugin's SDK records for a promise it creates now. */
    promiseStack: string;
    /** Every runtime/debuggable.js the plugin has loaded: one SDK, the plugin's own. */
    sdkCopies: string[];
    /** Whether the SDK's function serialization has loaded (deferFunctionSerialization defers it to its first use). */
    functionSerializationLoaded: boolean;
    /** Whether the SDK's Automation API has loaded (deferAutomationApi defers it to its first use). */
    automationApiLoaded: boolean;
}

/** `environment` for PluginProcess.start with reportLoadersOnSignal.js preloaded, reporting on the SDK of `packageDir`. */
export function withLoaderProbe(environment: Record<string, string | undefined>, packageDir: string): Record<string, string | undefined> {
    return {
        ...environment,
        NODE_OPTIONS: nodeOptionsRequiring(environment.NODE_OPTIONS ?? process.env.NODE_OPTIONS, PRELOAD),
        LOADER_PROBE_SDK_FROM: packageDir,
        LOADER_PROBE_REPORT: path.join(scratchDir("loader-probe"), "report.json"),
    };
}

/** The report of a plugin started with withLoaderProbe's environment, as of now. */
export async function loaderReportOf(plugin: PluginProcess, environment: Record<string, string | undefined>): Promise<LoaderReport> {
    const report = environment.LOADER_PROBE_REPORT!;
    fs.rmSync(report, { force: true });
    plugin.signal("SIGUSR2");
    for (let waited = 0; waited < 10_000; waited += 50) {
        if (fs.existsSync(report)) return JSON.parse(fs.readFileSync(report, "utf8"));
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`the plugin wrote no report in 10 s:\n${plugin.stderr}`);
}

/**
 * The plugin took program.js's shortcuts for its own SDK (`sdkCopy`, its runtime/debuggable.js) and loaded no other:
 * each promise records the placeholder, and neither function serialization nor the Automation API has loaded.
 */
export function assertShortcutsTaken(report: LoaderReport, sdkCopy: string): void {
    assert.deepStrictEqual(report.sdkCopies, [sdkCopy]);
    assert.match(report.promiseStack, /promise stack not recorded: set PULUMI_DEBUG_PROMISE_LEAKS=true/);
    assert.deepStrictEqual({ skipsMapping: report.skipsMapping, skipsCapture: report.skipsCapture }, { skipsMapping: true, skipsCapture: true });
    assert.strictEqual(report.functionSerializationLoaded, false, "the SDK's function serialization loaded without a use");
    assert.strictEqual(report.automationApiLoaded, false, "the SDK's Automation API loaded without a use");
}
