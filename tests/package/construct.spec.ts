import * as assert from "assert";
import * as path from "path";
import { pipelineArgs } from "../aws/fixtures";
import { FakeEngine } from "../../scripts/offline/fakeEngine";
import { PROJECT, mockCloudFor } from "../../scripts/offline/mockCloud";
import { PROJECT_ROOT, readStackFile } from "../../scripts/offline/stackFile";
import { PluginProcess } from "./pluginProcess";

/** The stack files' args with the program's own image source (index.ts builds app/). */
const APP = { image: { build: { context: path.join(PROJECT_ROOT, "app") } } };
const STACKS = ["dev", "prod"] as const;

describe("the package's plugin, started as the CLI starts it, answers construct", function () {
    this.timeout(60_000);
    const plugin = new PluginProcess();
    const engines = new Map<string, { engine: FakeEngine; address: string }>();

    before(async () => {
        for (const stack of STACKS) {
            const engine = new FakeEngine(mockCloudFor(readStackFile(stack).config), PROJECT, stack);
            engines.set(stack, { engine, address: await engine.start() });
        }
        await plugin.start(engines.get("dev")!.address);
    });
    after(async () => {
        await plugin.stop();
        for (const { engine } of engines.values()) await engine.stop();
    });

    it("refuses bad args from another language, naming each", async () => {
        const { address } = engines.get("dev")!;
        const inputs = { ...pipelineArgs("dev", APP), image: { build: { context: "app" }, prebuilt: `r@sha256:${"a".repeat(64)}` }, architecture: "amd64" };
        await assert.rejects(
            plugin.construct({ project: PROJECT, stack: "dev", monitor: address, type: "multicloud:index:LambdaEcrPipeline", name: "bad", inputs }),
            /image sets both build and prebuilt: set exactly one[\s\S]*architecture must be one of "x86_64", "arm64" \(got "amd64"\)/,
        );
    });
});
