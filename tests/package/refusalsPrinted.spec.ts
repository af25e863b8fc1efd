import * as assert from "assert";
import { pipelineArgs } from "../aws/fixtures";
import { FakeEngine } from "../../scripts/offline/fakeEngine";
import { PROJECT, mockCloudFor } from "../../scripts/offline/mockCloud";
import { readStackFile } from "../../config/stackFile";
import { PluginProcess } from "./pluginProcess";
import { startedBeforeStoppedAfter } from "../harness/suiteProcesses";
import { FRAME, printedByLanguageHost } from "../harness/languageHostPrint";
import { refusal } from "../../components/refusal";
import { NoAnswer } from "../../components/noAnswer";
import { LastingRefusal } from "../../components/lastingRefusal";
import { QuotaRefusal } from "../../components/gcp/cloudRunQuota";
import { UngrantableReservation } from "../../components/aws/accountConcurrency";
import { SigningKeyRefusal } from "../../components/image/signingKey";
import { UnrunnableImage } from "../../components/image/unrunnableImage";
import { ImageVerificationError } from "../../components/image/imageVerification";
import { ImageNotFoundError } from "../../components/image/imageResolution";

/**
 * A refusal met inside the component (in an apply, after the construct's checks) reaches a package caller through the
 * SDK's provider server (@pulumi/pulumi provider/server.js): its main() logs every unhandled rejection to the engine as
 * `log.error(err.stack || err.message || "" + err)`, whatever its class, and the construct fails with the error's
 * message. So the engine's error diagnostics must hold the refusal's message and no stack frame into the plugin's
 * bundle, as the program path prints a RunError or a hidden-stack ResourceError (tests/program/refusalsPrinted.spec.ts).
 */

async function until<T>(found: () => T | undefined, timeoutMs = 10_000): Promise<T | undefined> {
    for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
        const value = found();
        if (value !== undefined) return value;
    }
    return found();
}

describe("a refusal inside a construct reaches the package caller as its message, not a stack trace", function () {
    this.timeout(120_000);
    const plugin = new PluginProcess();
    let engine: FakeEngine;
    let address: string;

    startedBeforeStoppedAfter(async () => {
        engine = new FakeEngine(mockCloudFor(readStackFile("prod").config), PROJECT, "prod");
        address = await engine.start();
        await plugin.start(address, engine.environment());
    }, async () => {
        await plugin.stop();
        await engine?.stop();
    });

    it("the API's and the worker's stable versions on different images (the mock's Lambda runs each version's own image): the message alone", async () => {
        const message = /aws\.canary\.stableVersion is 7, which runs \S+, but release\.workerStableVersion is 4, which runs \S+: the API and the worker run one image/;
        const canary = { stableVersion: "7", weightPercent: 0, workerStableVersion: "4" };
        const refused = await plugin
            .construct({ project: PROJECT, stack: "prod", monitor: address, type: "multicloud:index:LambdaEcrPipeline", name: "mismatched-stable", inputs: pipelineArgs("prod", { canary }) })
            .then(() => assert.fail("the construct was accepted"), (err: Error) => err.message);
        assert.match(refused, message);
        // The provider server's log of the rejection (no resource: log.error(message)) may reach the engine after the
        // construct has failed.
        const logged = await until(() => engine.diagnostics.find((d) => d.severity === "error" && !d.urn && message.test(d.message)));
        assert.ok(logged, `the provider server's log of the refusal:\n${engine.errors().join("\n---\n")}`);
        for (const e of engine.errors()) assert.doesNotMatch(e, FRAME, `an error diagnostic with a stack:\n${e}`);
        // The plugin's stderr, which the CLI shows as well (pulumi/pulumi sdk/go/common/resource/plugin/plugin.go, runtrace).
        assert.doesNotMatch(plugin.stderr, FRAME, plugin.stderr);
    });
});

// What the plugin cannot set up cheaply (a refusal of each class met inside a construct): the stack the provider server
// logs is each one's own line, read as it is logged (after the SDK has prefixed the message); the language host's
// printing is unchanged (the message alone), and a bug of the program keeps its frames.
describe("every refusal class has no frames in its stack; a bug keeps them", () => {
    const refusals: [string, Error][] = [
        ["refusal()", refusal("refused")],
        ["NoAnswer", new NoAnswer("NoAnswer refused")],
        ["LastingRefusal", new LastingRefusal("LastingRefusal refused")],
        ["QuotaRefusal", new QuotaRefusal("QuotaRefusal refused")],
        ["UngrantableReservation", new UngrantableReservation("UngrantableReservation refused")],
        ["SigningKeyRefusal", new SigningKeyRefusal("SigningKeyRefusal refused")],
        ["UnrunnableImage", new UnrunnableImage("UnrunnableImage refused")],
        ["ImageVerificationError", new ImageVerificationError("repo", "sha256:00", ["no signature"])],
        ["ImageNotFoundError", new ImageNotFoundError("c-1", { description: "ECR repository r (ap-northeast-1)" } as never, 0, "image.yml")],
    ];
    for (const [what, err] of refusals) {
        it(`${what}: its stack is "<name>: <message>", as the message reads when logged`, async () => {
            const message = err.message;
            assert.strictEqual(err.stack, `${err.name}: ${message}`);
            // As the SDK's serializer rewrites it (@pulumi/pulumi runtime/rpc.js, serializeAllProperties).
            err.message = `error serializing property "qualifier": ${message}`;
            assert.strictEqual(err.stack, `${err.name}: error serializing property "qualifier": ${message}`);
            assert.strictEqual((await printedByLanguageHost(err)).text, err.message);
        });
    }
    it("a plain Error keeps its frames", () => assert.match(new Error("a bug").stack ?? "", FRAME));
});
