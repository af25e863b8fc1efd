import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { LambdaEcrPipeline } from "../../components/aws";
import type { LambdaEcrPipelineArgs } from "../../components/aws/args";
import { ecrPrebuiltRepository } from "../../components/aws/imageRepository";
import { CloudRunGcsService } from "../../components/gcp";
import { artifactDigest, imageIndex } from "../../scripts/offline/fakeRegistry";
import { MockCloud, UnhandledProgramErrors, runUnderMocks } from "../../scripts/offline/mockCloud";
import { deployPipeline, pipelineArgs } from "../aws/fixtures";
import { serviceArgs } from "../gcp/fixtures";
import { failedUpdate } from "../harness/failedUpdate";
import { FRAME, Printed, printedByLanguageHost } from "../harness/languageHostPrint";

/**
 * A deliberate refusal is read by the engineer running `pulumi up` as Pulumi's Node language host prints it
 * (@pulumi/pulumi cmd/run/run.js, uncaughtHandler): a RunError's message alone; a ResourceError made with hideStack its
 * message alone, under its resource; anything else "Running program '<path>' failed with an unhandled exception:" and
 * its stack into the bundle, which reads as a crash of the program.
 */
function assertReadsAsRefusal(printed: Printed, message: RegExp, urnType?: string): void {
    assert.match(printed.text, message);
    assert.doesNotMatch(printed.text, /failed with an unhandled exception/, printed.text);
    assert.doesNotMatch(printed.text, FRAME, printed.text);
    if (urnType) assert.match(printed.urn ?? "(no resource)", new RegExp(`::${urnType}::`), `shown under the component: ${printed.urn}`);
    else assert.strictEqual(printed.urn, undefined);
}

/** Every rejection of a failed run as the language host prints it (it prints each distinct one, once). */
async function printedReasons(run: Promise<unknown>, message: RegExp): Promise<Printed[]> {
    const failed = await failedUpdate(run, message);
    assert.ok(failed instanceof UnhandledProgramErrors, failed.message);
    return Promise.all(
        [...new Set(failed.reasons)].map(async (r) => {
            const printed = await printedByLanguageHost(r);
            // Its message and nothing more: a ResourceError made without hideStack prints through util.inspect, its
            // resource's fields and all (@pulumi/pulumi cmd/run/error.js, defaultErrorMessage).
            assert.strictEqual(printed.text, (r as Error).message);
            return printed;
        }),
    );
}

const PIPELINE = "multicloud:index:LambdaEcrPipeline";
const SERVICE = "multicloud:index:CloudRunGcsService";
const pipeline = (canary: LambdaEcrPipelineArgs["canary"], setup?: (c: MockCloud) => void) =>
    runUnderMocks({ stack: "prod", setup }, () => new LambdaEcrPipeline("pipeline", pipelineArgs("prod", { canary })));

describe("a refusal during `pulumi up` prints as a refusal, not as a crash with a stack trace", () => {
    it("a stable version Lambda reports Failed: the message alone, under the LambdaEcrPipeline", async () => {
        const canary = { stableVersion: "7", weightPercent: 0 };
        const apiName = (await deployPipeline("prod", { canary })).fn("api").outputs.name;
        const message = /aws\.canary\.stableVersion is 7, whose state Lambda reports as Failed \(ImageDeleted\)/;
        const printed = await printedReasons(
            pipeline(canary, (c) => c.awsApis.versionStates.set(`${apiName}:7`, { State: "Failed", StateReasonCode: "ImageDeleted" })),
            message,
        );
        for (const p of printed) assertReadsAsRefusal(p, message, PIPELINE);
    });

    it("the API's and the worker's stable versions on different images: the message alone, under the LambdaEcrPipeline", async () => {
        const message = /aws\.canary\.stableVersion is 7, which runs \S+, but release\.workerStableVersion is 4, which runs \S+: the API and the worker run one image/;
        const printed = await printedReasons(pipeline({ stableVersion: "7", weightPercent: 0, workerStableVersion: "4" }), message);
        for (const p of printed) assertReadsAsRefusal(p, message, PIPELINE);
    });

    it("a Cloud Run stable revision Cloud Run does not have: the message alone, under the CloudRunGcsService", async () => {
        const message = /canary\.stableRevision names revision service-00007-abc, which Cloud Run does not have/;
        const printed = await printedReasons(
            runUnderMocks(
                { stack: "prod", setup: (c) => c.cloudRun.deletedRevisions.add("service-00007-abc") },
                () => new CloudRunGcsService("service", serviceArgs("prod", { canary: { stableRevision: "service-00007-abc", percent: 0 } })),
            ),
            message,
        );
        for (const p of printed) assertReadsAsRefusal(p, message, SERVICE);
    });

    it("a prebuilt image ECR describes as an index (no component at hand where it is found): the message alone", async () => {
        const index = imageIndex([{ os: "linux", architecture: "arm64" }, { os: "linux", architecture: "amd64" }]);
        const message = /is an image index \(application\/vnd\.oci\.image\.index\.v1\+json\), which Lambda does not run/;
        const printed = await printedReasons(
            runUnderMocks(
                { stack: "dev", setup: (c) => void c.registry.pushArtifact("built-in-ci", "ci-7", index) },
                () => new LambdaEcrPipeline("pipeline", pipelineArgs("dev", { image: { prebuilt: `111111111111.dkr.ecr.ap-northeast-1.amazonaws.com/built-in-ci@${artifactDigest(index)}` } })),
            ),
            message,
        );
        for (const p of printed) assertReadsAsRefusal(p, message);
    });

    it("a prebuilt image outside ECR, to verify: the message alone", async () => {
        const err = await ecrPrebuiltRepository("ap-northeast-1")("ghcr.io", "example/service").then(
            () => assert.fail("refused"),
            (e: unknown) => e,
        );
        assertReadsAsRefusal(await printedByLanguageHost(err), /prebuilt image ghcr\.io\/example\/service is not in Amazon ECR/);
    });

    it("a second LambdaEcrPipeline of one environment, refused as it is constructed: the message alone", async () => {
        const err = await runUnderMocks({ stack: "dev" }, () => [new LambdaEcrPipeline("pipeline", pipelineArgs("dev")), new LambdaEcrPipeline("orders", pipelineArgs("dev", { imageRegistriesOf: "dev" }))]).then(
            () => assert.fail("refused"),
            (e: unknown) => e,
        );
        assertReadsAsRefusal(await printedByLanguageHost(err), /^LambdaEcrPipeline "orders" has environment "dev", as LambdaEcrPipeline "pipeline" has/);
    });
});

// The printed form above is checked for one refusal of each kind; this keeps a new one from being a plain Error. A plain
// Error (or a ResourceError without hideStack) is for a bug of this program, whose stack helps: each is named here.
describe("the components throw a plain Error only for a bug of their own", () => {
    const BUGS: Record<string, string[]> = {
        "gcp/apiActivation.ts": ["no activation probe for"],
        "gcp/cloudRunQuota.ts": ["is not a CPU limit", "is not a memory limit"], // the settings schema took them already
        "aws/awsClient.ts": ["new Error(failed, { cause: err })"], // an AWS answer no reader here expects
        "image/serviceImage.ts": ["cannot be read through the registry API, so it"], // a lookup wired without a reader
        "image/ociRegistry.ts": ["HTTP 404", "new Error(message)", "asked for a login this client does not know"],
    };
    const root = path.join(__dirname, "../../components");
    const files = fs.readdirSync(root, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));

    it("every `new Error(` in components/ is one of the bugs named here, and no ResourceError shows its stack", () => {
        const unnamed: string[] = [];
        for (const file of files) {
            const lines = fs.readFileSync(path.join(root, file), "utf8").split("\n");
            lines.forEach((line, i) => {
                if (/\bnew Error\(/.test(line) && !(BUGS[file.split(path.sep).join("/")] ?? []).some((bug) => line.includes(bug))) unnamed.push(`${file}:${i + 1}: ${line.trim()}`);
                if (/new pulumi\.ResourceError\(/.test(line) && !/,\s*true\)/.test(line)) unnamed.push(`${file}:${i + 1}: a ResourceError without hideStack: ${line.trim()}`);
            });
        }
        assert.deepStrictEqual(unnamed, [], "throw refusal(message, component) (components/refusal.ts), or name the bug in BUGS");
    });
});
