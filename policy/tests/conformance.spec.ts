import * as assert from "assert";
import { readStackFile } from "../../config/stackFile";
import { runProgram } from "../../scripts/offline/runProgram";
import { committedStackRun } from "../../tests/harness/committedStackRun";
import { sharedPerArgs } from "../../tests/harness/shared";
import { isUnknownInput } from "../../scripts/offline/registeredInputs";
import { checkConformance } from "./conformance";
import { RecordedResource } from "../../scripts/offline/mockCloud";

/** Dev's expected advisories (docs/policy.md): none today. A new one must be added here and there. */
const DEV_ADVISORIES: string[] = [];

/**
 * The preview of a new stack (`pulumi preview` on a pull request before the first `up`): every other resource's output
 * is unknown, and reaches the pack as the engine sends it (conformance.ts, UNKNOWN_ON_THE_WIRE).
 */
const firstPreview = sharedPerArgs((stack: "dev" | "prod") => runProgram(stack, { preview: true, setup: (c) => (c.freshAccount = true) }));

/** Each of `expected` ("<policy> <resource>") is among what the check reported. */
function assertReported(found: Set<string>, expected: string[]): void {
    for (const e of expected) assert.ok(found.has(e), `${e} not reported: ${[...found].join("; ")}`);
}

describe("policy pack conformance: every rule against every resource of the programs", function () {
    this.timeout(60_000);

    it("prod has no violation under the prod pack config", async () => {
        const run = await committedStackRun("prod");
        assert.deepStrictEqual(await checkConformance(run.cloud.resources, require("../config/prod.json")), []);
    });

    it("dev has only the advisories docs/policy.md lists", async () => {
        const run = await committedStackRun("dev");
        const found = (await checkConformance(run.cloud.resources, require("../config/dev.json"))).map((v) => `${v.policy}: ${v.resource}`);
        assert.deepStrictEqual(found, DEV_ADVISORIES);
    });

    it("the check can fail: dev's settings (admin and debug on) judged as production are reported", async () => {
        const run = await committedStackRun("dev");
        const found = await checkConformance(run.cloud.resources, require("../config/prod.json"));
        const admin = found.filter((v) => v.policy === "admin-and-debug-off-in-prod");
        assert.ok(admin.some((v) => v.resource === "aws:lambda/function:Function pipeline-api"), JSON.stringify(found));
        assert.ok(admin.some((v) => v.resource === "gcp:cloudrunv2/service:Service service"), JSON.stringify(found));
    });

    // docs/policy.md: without a config the rules read the stack as production. The CLI sends each rule's schema defaults
    // when no --policy-pack-config is given (reconcilePolicyPackConfig, as pkg/resource/analyzer/config.go).
    it("without a pack config (`--policy-pack policy` alone) dev's admin and debug flags are judged as production", async () => {
        const run = await committedStackRun("dev");
        const admin = (await checkConformance(run.cloud.resources, {})).filter((v) => v.policy === "admin-and-debug-off-in-prod");
        assert.ok(admin.some((v) => v.resource === "aws:lambda/function:Function pipeline-api"), JSON.stringify(admin));
    });

    // Before, the rules that report something present (a plain secret, a wildcard action, a basic role) fired only on
    // hand-written props in rules.spec.ts: a property read under another name than the program's resources have would
    // have passed everywhere. Here each is planted in one of the program's own resources, in the shape it registered.
    it("the check can fail on the program's own resources: a plain secret, a wildcard action and a basic role planted in them are reported", async () => {
        const run = await committedStackRun("prod");
        // Planted in the inputs, which is what a resource rule is given (conformance.ts).
        const planted = run.cloud.resources.map((r) => {
            const inputs = structuredClone(r.inputs);
            if (r.type === "aws:lambda/function:Function" && r.name === "pipeline-api") inputs.environment.variables.DB_PASSWORD = "hunter2";
            if (r.type === "gcp:cloudrunv2/service:Service") inputs.template.containers[0].envs.push({ name: "API_KEY", value: "hunter2" });
            if (r.type === "aws:iam/rolePolicy:RolePolicy" && r.name === "pipeline-worker") {
                const policy = JSON.parse(inputs.policy);
                policy.Statement.push({ Effect: "Allow", Action: "*", Resource: "*" });
                inputs.policy = JSON.stringify(policy);
            }
            if (r.type === "gcp:storage/bucketIAMMember:BucketIAMMember") inputs.role = "roles/editor";
            return { ...r, inputs };
        });
        const found = new Set((await checkConformance(planted, require("../config/prod.json"))).map((v) => `${v.policy} ${v.resource.split(" ")[0]}`));
        assertReported(found, [
            "no-secrets-in-plain-env aws:lambda/function:Function",
            "no-secrets-in-plain-env gcp:cloudrunv2/service:Service",
            "no-wildcard-iam-actions aws:iam/rolePolicy:RolePolicy",
            "no-basic-or-project-storage-admin-roles gcp:storage/bucketIAMMember:BucketIAMMember",
        ]);
    });

    // A first preview hands the rules unknowns (the IAM documents and the bucket policy built from new ARNs, the
    // functions' BUCKET_NAME, the state machines' log group, a new service account's email): a rule that crashes on
    // one, or meets it and is skipped whole by the SDK ("can't run policy ... during preview"), fails here.
    for (const stack of ["prod", "dev"] as const) {
        it(`the first preview of ${stack}: the unknowns it holds reach the rules as the engine sends them, and no rule crashes or is skipped`, async () => {
            const run = await firstPreview(stack);
            const found = await checkConformance(run.cloud.resources, require(`../config/${stack}.json`), { firstPreview: true });
            assert.deepStrictEqual(found.map((v) => `${v.policy}: ${v.resource}: ${v.message}`), stack === "prod" ? [] : DEV_ADVISORIES);
        });
    }

    it("the check can fail in the first preview: violations planted beside the unknowns are reported", async () => {
        const run = await firstPreview("prod");
        const planted = run.cloud.resources.map((r) => {
            const inputs = structuredClone(r.inputs);
            if (r.type === "aws:lambda/function:Function" && r.name === "pipeline-api") {
                assert.ok(isUnknownInput(inputs.environment.variables.BUCKET_NAME), "BUCKET_NAME is a new bucket's name, unknown in this preview");
                inputs.environment.variables.DEBUG = "true";
            }
            if (r.type === "gcp:cloudrunv2/service:Service") {
                assert.ok(inputs.template.containers[0].envs.some((e: { value?: unknown }) => isUnknownInput(e.value)), "one of the service's envs is unknown in this preview");
                inputs.template.containers[0].envs.push({ name: "API_KEY", value: "hunter2" });
            }
            if (r.type === "aws:sfn/stateMachine:StateMachine" && r.name === "pipeline-pipeline") {
                assert.ok(isUnknownInput(inputs.loggingConfiguration.logDestination), "the log group's ARN is unknown in this preview");
                inputs.tracingConfiguration = { enabled: false };
            }
            if (r.type === "gcp:storage/bucketIAMMember:BucketIAMMember") {
                assert.ok(isUnknownInput(inputs.member), "the new service account's email is unknown in this preview");
                inputs.role = "roles/editor";
            }
            return { ...r, inputs };
        });
        const found = new Set((await checkConformance(planted, require("../config/prod.json"), { firstPreview: true })).map((v) => `${v.policy} ${v.resource}`));
        assertReported(found, [
            "admin-and-debug-off-in-prod aws:lambda/function:Function pipeline-api",
            "no-secrets-in-plain-env gcp:cloudrunv2/service:Service service",
            "state-machine-tracing-and-logging aws:sfn/stateMachine:StateMachine pipeline-pipeline",
            "no-basic-or-project-storage-admin-roles gcp:storage/bucketIAMMember:BucketIAMMember service-objects",
        ]);
    });

    it("a rule that reads an unknown is reported as the SDK reports it: one advisory in @pulumi/policy's words", async () => {
        const urn = "urn:pulumi:prod::multicloud-service::aws:lambda/function:Function::api";
        const fn: RecordedResource = {
            type: "aws:lambda/function:Function",
            name: "api",
            custom: true,
            urn,
            outputs: {},
            options: { protect: false, retainOnDelete: false },
            dependsOn: [],
            deleteBeforeReplace: false,
            ignoreChanges: [],
            propertyDependencies: {},
            inputs: { packageType: "Image", tracingConfig: { __pulumiUnknown: true }, tags: { project: "multicloud-service", environment: "prod", "managed-by": "pulumi" } },
        };
        const found = (await checkConformance([fn], require("../config/prod.json"))).filter((v) => v.policy === "lambda-tracing-active");
        // server.js, makeAnalyzeRpcFun (UnknownValueError), and proxy.js, UnknownValueError (an unknown string, as the engine sends it).
        assert.deepStrictEqual(found.map((v) => v.message), [
            `can't run policy 'lambda-tracing-active' from policy pack 'multicloud-service@v${require("../package.json").version}' during preview: string value at .tracingConfig can't be known during preview`,
        ]);
    });

    it("the pack config reaches the rules as the configured pack has it: a rule set to disabled is not run, the others still are", async () => {
        const run = await committedStackRun("prod");
        // Every Lambda function planted without tracing: reported by lambda-tracing-active unless that rule is disabled.
        const untraced = run.cloud.resources.map((r) => (r.type === "aws:lambda/function:Function" ? { ...r, inputs: { ...r.inputs, tracingConfig: { mode: "PassThrough" } } } : r));
        const policies = async (config: Record<string, unknown>) => new Set((await checkConformance(untraced, config)).map((v) => v.policy));
        assert.ok((await policies(require("../config/prod.json"))).has("lambda-tracing-active"));
        // @pulumi/policy server.js, makeAnalyzeRpcFun: `if (enforcementLevel === "disabled" ...) continue`.
        assert.deepStrictEqual([...(await policies({ ...require("../config/prod.json"), "lambda-tracing-active": "disabled" }))], []);
        assert.deepStrictEqual([...(await policies({ all: "disabled", "lambda-tracing-active": { enforcementLevel: "mandatory" } }))], ["lambda-tracing-active"]);
    });

    it("a public Cloud Run invoker in prod is reported unless the pack config opts in", async () => {
        const { config, secretKeys } = readStackFile("prod");
        const gcp = { ...JSON.parse(config["multicloud-service:gcp"]), publicInvoker: true, allowPublicInvokerInProd: true };
        const run = await runProgram("prod", { config: { ...config, "multicloud-service:gcp": JSON.stringify(gcp) }, secretKeys });
        const strict = await checkConformance(run.cloud.resources, require("../config/prod.json"));
        assert.deepStrictEqual(strict.map((v) => v.policy), ["no-public-iam-members"]);
        const optedIn = await checkConformance(run.cloud.resources, { ...require("../config/prod.json"), "no-public-iam-members": { environment: "prod", allowPublicCloudRun: true } });
        assert.deepStrictEqual(optedIn, []);
    });
});
