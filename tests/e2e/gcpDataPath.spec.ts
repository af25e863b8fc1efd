import * as assert from "assert";
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import { FakeGcs, startFakeGcs } from "../../app/tests/gcs/fakeGcs";
import { freePort } from "../../app/tests/helpers";
import { RecordedResource } from "../../scripts/offline/mockCloud";
import { serviceNode } from "../../scripts/test/serviceNode";
import { PROJECT_ROOT } from "../../config/stackFile";
import { BUNDLE_DIR, ensureFreshBundles } from "./appBundles";
import { startedBeforeStoppedAfter } from "../harness/suiteProcesses";
import { committedStackRun } from "../harness/committedStackRun";

/**
 * The GCP data path end to end, once per stack file: the built server bundle with exactly the environment the
 * plan gives the Cloud Run container (a Secret Manager reference becomes the secret's value), plus what Cloud
 * Run provides (PORT, K_SERVICE, K_REVISION, K_CONFIGURATION: its container runtime contract, "Environment
 * variables"; K_SERVICE is what tells the service one front end adds to X-Forwarded-For) and the SDK's documented
 * emulator variable, against the GCS stand-in.
 */
const TOKEN = "t".repeat(48);

function cloudRunEnvironment(service: RecordedResource): Record<string, string> {
    const envs: { name: string; value?: string; valueSource?: { secretKeyRef?: unknown } }[] = service.inputs.template.containers[0].envs;
    return Object.fromEntries(envs.map((e) => [e.name, e.valueSource?.secretKeyRef ? TOKEN : String(e.value)]));
}

/** What Cloud Run itself sets in every container of a revision (PORT aside). */
function cloudRunContract(service: RecordedResource): Record<string, string> {
    // The provider names the service (auto-naming): its name is an output.
    const name = service.outputs.name;
    assert.match(String(name), /^service-[0-9a-f]+$/, "the service's name");
    return { K_SERVICE: name, K_REVISION: `${name}-00001-abc`, K_CONFIGURATION: name };
}

describe("the GCP data path end to end, per stack file", function () {
    this.timeout(60_000);
    before(() => ensureFreshBundles(["server.js"]));

    for (const stack of ["dev", "prod"] as const) {
        describe(stack, () => {
            let gcs: FakeGcs;
            let child: ChildProcess;
            let url: string;
            let env: Record<string, string>;
            let output = "";
            startedBeforeStoppedAfter(start, async () => {
                if (child && child.exitCode === null) {
                    child.kill("SIGTERM");
                    await new Promise((r) => child.once("exit", r));
                }
                await gcs?.close();
            });
            async function start(): Promise<void> {
                const run = await committedStackRun(stack);
                const service = run.cloud.one("gcp:cloudrunv2/service:Service");
                env = cloudRunEnvironment(service);
                gcs = await startFakeGcs([env.BUCKET_NAME]);
                const port = await freePort();
                assert.deepStrictEqual(Object.keys(env).filter((k) => k === "PORT" || k.startsWith("K_") || k === "STORAGE_EMULATOR_HOST"), [], "Cloud Run sets PORT and K_*; the plan must not");
                const platform = { ...cloudRunContract(service), PORT: String(port) };
                child = spawn(serviceNode(PROJECT_ROOT), [path.join(BUNDLE_DIR, "server.js")], { env: { ...env, ...platform, STORAGE_EMULATOR_HOST: gcs.url }, stdio: ["ignore", "pipe", "pipe"] });
                child.stdout!.on("data", (d) => (output += d));
                child.stderr!.on("data", (d) => (output += d));
                url = `http://127.0.0.1:${port}`;
                for (const deadline = Date.now() + 10_000; ; ) {
                    if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}: ${output}`);
                    const ready = await fetch(`${url}/ready`).catch(() => undefined);
                    if (ready?.status === 200) break;
                    if (Date.now() > deadline) throw new Error(`not ready: ${output}`);
                    await new Promise((r) => setTimeout(r, 50));
                }
            }

            it("uploads into the plan's bucket under its prefix, renames a taken name, checks names in bulk, and is ready", async () => {
                const put = (name: string, body: string) => fetch(`${url}/objects/${name}`, { method: "PUT", body, headers: { "content-type": "text/plain" } });
                const first = await put("notes.txt", "one");
                assert.strictEqual(first.status, 201, `${await first.clone().text()}\n${output}`);
                assert.deepStrictEqual(await first.json(), { name: "notes.txt", renamed: false, bytes: 3 });
                assert.deepStrictEqual(await (await put("notes.txt", "two")).json(), { name: "notes-1.txt", renamed: true, bytes: 3 });
                const stored = gcs.bucket(env.BUCKET_NAME);
                assert.strictEqual(stored.get(`${env.OBJECT_PREFIX}notes.txt`)?.bytes.toString(), "one");
                assert.strictEqual(stored.get(`${env.OBJECT_PREFIX}notes-1.txt`)?.bytes.toString(), "two");
                const exists = await fetch(`${url}/objects/exists`, { method: "POST", body: JSON.stringify({ names: ["notes.txt", "notes-1.txt", "notes-2.txt"] }), headers: { "content-type": "application/json" } });
                assert.deepStrictEqual(await exists.json(), { exists: { "notes.txt": true, "notes-1.txt": true, "notes-2.txt": false } });
                assert.strictEqual(await (await fetch(`${url}/objects/notes-1.txt`)).text(), "two");
                assert.strictEqual((await fetch(`${url}/ready`)).status, 200);
            });

            it(`the admin routes: ${stack === "dev" ? "behind the token" : "absent"}`, async () => {
                const admin = (token?: string) => fetch(`${url}/admin/cache`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
                if (env.ADMIN_FEATURES_ENABLED === "true") {
                    assert.strictEqual((await admin()).status, 401);
                    assert.strictEqual((await admin("wrong")).status, 401);
                    assert.strictEqual((await admin(TOKEN)).status, 200);
                } else {
                    assert.strictEqual(stack, "prod", "only prod has no admin features");
                    assert.strictEqual((await admin(TOKEN)).status, 404);
                }
            });
        });
    }
});
