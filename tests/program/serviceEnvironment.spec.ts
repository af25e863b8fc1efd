import * as assert from "assert";
import { loadSettings } from "../../app/src/settings";
import { serviceEnvironment } from "../../components/image";
import { RecordedResource } from "../../scripts/offline/mockCloud";
import { runProgram } from "../../scripts/offline/runProgram";
import { SERVICE_RATE_LIMIT } from "../../config/requestLimits";
import { readStackFile } from "../../config/stackFile";
import { committedStackRun } from "../harness/committedStackRun";
import { stackServiceSettings } from "../harness/componentArgs";

/** What a container would see: plain values as given, a Secret Manager reference as a value of that secret's shape. */
function cloudRunEnvironment(service: RecordedResource): Record<string, string> {
    const envs: { name: string; value?: string; valueSource?: { secretKeyRef?: unknown } }[] = service.inputs.template.containers[0].envs;
    return Object.fromEntries(envs.map((e) => [e.name, e.valueSource?.secretKeyRef ? "s".repeat(48) : String(e.value)]));
}

/**
 * Each entry point of the image, started with exactly the environment the plan gives it, passes the service's own
 * settings check: a function whose environment fails it would fail every invocation.
 */
describe("the plan's environments pass the service's own settings check, per stack file", function () {
    this.timeout(60_000);

    for (const stack of ["dev", "prod"] as const) {
        it(stack, async () => {
            const run = await committedStackRun(stack);
            const fn = (suffix: string) => run.cloud.ofType("aws:lambda/function:Function").find((f) => f.name.endsWith(suffix))!;
            const api = fn("-api");
            const worker = fn("-worker");
            assert.deepStrictEqual(api.inputs.imageConfig.commands, ["api.handler"]);
            assert.deepStrictEqual(worker.inputs.imageConfig.commands, ["worker.handler"]);
            assert.doesNotThrow(() => loadSettings("lambda-api", api.inputs.environment.variables), "the API's environment");
            assert.doesNotThrow(() => loadSettings("lambda-worker", worker.inputs.environment.variables), "the worker's environment");
            assert.doesNotThrow(() => loadSettings("server", cloudRunEnvironment(run.cloud.one("gcp:cloudrunv2/service:Service"))), "Cloud Run's environment");
            // The settings check on the release's load (config/schema.ts, probeLoadIssues) assumes this limit.
            for (const [entry, env] of [["lambda-api", api.inputs.environment.variables], ["server", cloudRunEnvironment(run.cloud.one("gcp:cloudrunv2/service:Service"))]] as const) {
                const { RATE_LIMIT_REQUESTS, RATE_LIMIT_WINDOW_SECONDS } = loadSettings(entry, env);
                assert.deepStrictEqual({ requests: RATE_LIMIT_REQUESTS, windowSeconds: RATE_LIMIT_WINDOW_SECONDS }, SERVICE_RATE_LIMIT, `${entry}'s per-client limit`);
            }
        });
    }

    it("every entry point gets the storage deadlines the settings give it; a short Lambda timeout shortens them; Cloud Run drains before its SIGKILL", async () => {
        const { config, secretKeys } = readStackFile("dev");
        const aws = JSON.parse(config["multicloud-service:aws"]);
        const run = await runProgram("dev", { config: { ...config, "multicloud-service:aws": JSON.stringify({ ...aws, timeoutSeconds: 3 }) }, secretKeys });
        const fnEnv = (suffix: string) => run.cloud.ofType("aws:lambda/function:Function").find((f) => f.name.endsWith(suffix))!.inputs.environment.variables;
        const cloudRun = cloudRunEnvironment(run.cloud.one("gcp:cloudrunv2/service:Service"));
        for (const [what, env, entry] of [["API", fnEnv("-api"), "lambda-api"], ["worker", fnEnv("-worker"), "lambda-worker"], ["Cloud Run", cloudRun, "server"]] as const) {
            const settings = loadSettings(entry, env);
            assert.deepStrictEqual([settings.STORAGE_ATTEMPT_TIMEOUT_MS, settings.STORAGE_MAX_ATTEMPTS, settings.STORAGE_DEADLINE_MS], [2000, 3, 2400], what);
        }
        assert.ok(loadSettings("server", cloudRun).DRAIN_TIMEOUT_MS < 10_000, "Cloud Run kills the instance 10 s after SIGTERM");
        // Its log lines name their trace in the project (app/src/traceFields.ts); Cloud Run itself sets no project variable.
        assert.strictEqual(loadSettings("server", cloudRun).GOOGLE_CLOUD_PROJECT, readStackFile("dev").config["gcp:project"]);
    });

    // The client the rate limit counts is the X-Forwarded-For element TRUSTED_PROXY_HOPS from the right. Cloud Run's
    // front end appends one; an external Application Load Balancer in front appends "<client-ip>,<load-balancer-ip>"
    // (Cloud Load Balancing docs, "External Application Load Balancer overview", X-Forwarded-For header), so with 1
    // every client behind the balancer would be the balancer's own address, and share one count.
    it("Cloud Run's trusted proxies follow the ingress: 1 for the front end, 2 behind a load balancer, gcp.trustedProxyHops when set", async () => {
        const { config, secretKeys } = readStackFile("dev");
        const gcp = JSON.parse(config["multicloud-service:gcp"]);
        const hops = async (overrides: object) => {
            const run = await runProgram("dev", { config: { ...config, "multicloud-service:gcp": JSON.stringify({ ...gcp, ...overrides }) }, secretKeys });
            const env = cloudRunEnvironment(run.cloud.one("gcp:cloudrunv2/service:Service"));
            return loadSettings("server", { ...env, K_SERVICE: "pipeline-api" }).TRUSTED_PROXY_HOPS;
        };
        assert.strictEqual(await hops({ ingress: "all" }), 1);
        assert.strictEqual(await hops({ ingress: "internal" }), 1);
        assert.strictEqual(await hops({ ingress: "internal-and-cloud-load-balancing" }), 2);
        assert.strictEqual(await hops({ ingress: "internal-and-cloud-load-balancing", trustedProxyHops: 3 }), 3);
    });

    it("Cloud Run's body limits follow the instance: an eighth of its memory in flight, bodies within the request timeout", async () => {
        for (const [stack, inFlightMiB] of [["dev", 64], ["prod", 256]] as const) {
            const run = await committedStackRun(stack);
            const settings = loadSettings("server", cloudRunEnvironment(run.cloud.one("gcp:cloudrunv2/service:Service")));
            assert.strictEqual(settings.MAX_BODY_BYTES_IN_FLIGHT, inFlightMiB * 1024 * 1024, `${stack}: memory ${stack === "dev" ? "512Mi" : "2Gi"}`);
            assert.strictEqual(settings.BODY_TIMEOUT_MS, 30_000);
        }
        const { config, secretKeys } = readStackFile("dev");
        const gcp = JSON.parse(config["multicloud-service:gcp"]);
        const short = await runProgram("dev", { config: { ...config, "multicloud-service:gcp": JSON.stringify({ ...gcp, requestTimeoutSeconds: 10 }) }, secretKeys });
        assert.strictEqual(loadSettings("server", cloudRunEnvironment(short.cloud.one("gcp:cloudrunv2/service:Service"))).BODY_TIMEOUT_MS, 10_000);
    });

    it("the check can fail: the full service environment with admin features on and no token (what the worker used to get)", () => {
        const env = serviceEnvironment(stackServiceSettings("dev"), { backend: "s3", bucketName: "pipeline-bucket", objectPrefix: "input/" });
        assert.throws(() => loadSettings("lambda-worker", env as Record<string, string>), /ADMIN_TOKEN: is required/);
    });
});
