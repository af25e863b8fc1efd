import * as assert from "assert";
import { Provider as GcpProvider } from "@pulumi/gcp/provider";
import * as storage from "@pulumi/gcp/storage";
import * as pulumi from "@pulumi/pulumi";
import { GRANT_PROPAGATION_MS } from "../../components/gcp/grantPropagation";
import { REAL_CLOCK, waitClock } from "../../components/waitClock";
import { UnhandledProgramErrors, runUnderMocks } from "../../scripts/offline/mockCloud";
import { failedUpdate } from "./failedUpdate";

// Pulumi's language host fails the update on an error the program raised inside an output; under mocha, which traps
// unhandled rejections and lets them go, such a run used to end as if it had passed.
describe("a run under mocks fails where the update would", () => {
    it("an apply that throws, feeding a resource: the run fails with its message, and the resource is not registered", async () => {
        const program = () => {
            const name = pulumi.output("objects").apply((n): string => {
                throw new Error(`no bucket named ${n} today`);
            });
            new storage.Bucket("objects", { name, location: "ASIA-NORTHEAST1" });
        };
        const failure = await failedUpdate(runUnderMocks({ stack: "dev" }, program), /no bucket named objects today/);
        assert.ok(failure instanceof UnhandledProgramErrors);
        assert.deepStrictEqual(failure.cloud.ofType("gcp:storage/bucket:Bucket"), []);
    });

    it("an apply that throws with nothing depending on it fails the run too", async () => {
        await failedUpdate(
            runUnderMocks({ stack: "dev" }, () => {
                pulumi.output(1).apply(() => {
                    throw new Error("a check that failed");
                });
            }),
            /^a check that failed/,
        );
    });

    it("a GCP provider with an empty zone is refused, as the provider's own check of its settings refuses it", async () => {
        const program = () => new GcpProvider("gcp", { project: "p", region: "asia-northeast1", zone: "" });
        await failedUpdate(runUnderMocks({ stack: "dev" }, program), /pulumi:providers:gcp::gcp: gcp:zone: expected a non-empty string/);
        // An empty `credentials` too (ValidateCredentials: "reject empty strings", terraform-provider-google provider_validators.go).
        await failedUpdate(runUnderMocks({ stack: "dev" }, () => new GcpProvider("gcp", { project: "p", region: "asia-northeast1", credentials: "" })), /pulumi:providers:gcp::gcp: gcp:credentials: expected a non-empty string/);
        const unset = await runUnderMocks({ stack: "dev" }, () => new GcpProvider("gcp", { project: "p", region: "asia-northeast1" }));
        assert.strictEqual(unset.cloud.one("pulumi:providers:gcp").inputs.project, "p");
    });

    // The engine's own check: "Duplicate resource URN '<urn>'; try giving it a unique name" (pulumi/pulumi
    // sdk/go/common/diag/errors.go, GetDuplicateResourceURNError, 2001). A URN holds the parents' types, not their names.
    it("a second resource of one URN is refused in the engine's words; one of the same name under another parent type is not", async () => {
        class Holder extends pulumi.ComponentResource {
            constructor(name: string, type = "test:index:Holder") {
                super(type, name);
                new storage.Bucket("objects", { location: "ASIA-NORTHEAST1" }, { parent: this });
            }
        }
        const twice = runUnderMocks({ stack: "dev" }, () => {
            new Holder("a");
            new Holder("b");
        });
        const failure = await failedUpdate(twice, /^a resource was refused, which fails the update:\n {2}gcp:storage\/bucket:Bucket::objects: Duplicate resource URN 'urn:pulumi:dev::multicloud-service::test:index:Holder\$gcp:storage\/bucket:Bucket::objects'; try giving it a unique name$/);
        assert.strictEqual(failure.cloud.ofType("gcp:storage/bucket:Bucket").length, 1, "the second is not registered");
        const { cloud } = await runUnderMocks({ stack: "dev" }, () => {
            new Holder("a");
            new Holder("b", "test:index:OtherHolder");
        });
        assert.strictEqual(cloud.ofType("gcp:storage/bucket:Bucket").length, 2);
    });

    // The engine's URN holds every ancestor's type (pulumi/pulumi pkg/resource/deploy, generateURN: the parent's
    // QualifiedType), where the mock monitor's holds the nearest parent's only.
    it("a resource's URN holds its grandparents' types too: one of the same name under parents of one type but grandparents of two is not refused", async () => {
        class Holder extends pulumi.ComponentResource {
            constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
                super("test:index:Holder", name, {}, opts);
                new storage.Bucket("objects", { location: "ASIA-NORTHEAST1" }, { parent: this });
            }
        }
        class Outer extends pulumi.ComponentResource {
            constructor(type: string, name: string) {
                super(type, name);
                new Holder("holder", { parent: this });
            }
        }
        const { cloud } = await runUnderMocks({ stack: "dev" }, () => {
            new Outer("test:index:Outer", "a");
            new Outer("test:index:OtherOuter", "b");
        });
        assert.strictEqual(cloud.ofType("gcp:storage/bucket:Bucket").length, 2);
        await failedUpdate(
            runUnderMocks({ stack: "dev" }, () => {
                new Outer("test:index:Outer", "a");
                new Outer("test:index:Outer", "b");
            }),
            /^a resource was refused, which fails the update:\n {2}test:index:Holder::holder: Duplicate resource URN 'urn:pulumi:dev::multicloud-service::test:index:Outer\$test:index:Holder::holder'; try giving it a unique name$/,
        );
    });

    it("a run whose outputs all resolve ends, and the next run sees none of an earlier run's failures", async () => {
        await failedUpdate(runUnderMocks({ stack: "dev" }, () => void pulumi.output(1).apply(() => Promise.reject(new Error("earlier")))), /earlier/);
        const { cloud } = await runUnderMocks({ stack: "dev" }, () => void new storage.Bucket("objects", { location: "ASIA-NORTHEAST1" }));
        assert.strictEqual(cloud.ofType("gcp:storage/bucket:Bucket").length, 1);
    });

    it("a program that throws after starting a read (a component refused as it is constructed): the read ends in its own run, not in the next", async () => {
        // The first component's reads (an account's limits, an image's digest) run on after the second one threw; before,
        // the run restored the machine's environment at once, and their failure landed among the next run's rejections.
        const refused = runUnderMocks({ stack: "dev" }, () => {
            new storage.Bucket("objects", { name: pulumi.output("objects").apply(async (n) => (await new Promise((ready) => setTimeout(ready, 50)), Promise.reject(new Error(`late read of ${n}`)))), location: "ASIA-NORTHEAST1" });
            throw new Error("the second component refused");
        });
        await assert.rejects(refused, /the second component refused/);
        const { cloud } = await runUnderMocks({ stack: "dev" }, async () => {
            new storage.Bucket("later", { location: "ASIA-NORTHEAST1" });
            await new Promise((ready) => setTimeout(ready, 100));
        });
        assert.strictEqual(cloud.ofType("gcp:storage/bucket:Bucket").length, 1);
    });
});

// In an update the program's messages go to the engine, which shows them with the update; under mocks the SDK, with
// no engine, prints them (log/index.js: `console.warn("warning: [runtime] ...")`), which filled npm test's output and
// put the offline plan's progress lines on stdout ahead of its --json.
describe("a run under mocks receives the program's messages and spends no wait", () => {
    const sdkLog = { info: pulumi.log.info, warn: pulumi.log.warn };
    it("info and warnings go to cloud.diagnostics in order, and nothing reaches the console", async () => {
        const printed: string[] = [];
        const { log, warn } = console;
        console.log = console.warn = (...args: unknown[]) => void printed.push(args.join(" "));
        let cloud;
        try {
            ({ cloud } = await runUnderMocks({ stack: "dev" }, async () => {
                const bucket = new storage.Bucket("objects", { location: "ASIA-NORTHEAST1" });
                await pulumi.log.info("waiting for the bucket", bucket);
                await pulumi.log.warn("the bucket is public");
            }));
        } finally {
            Object.assign(console, { log, warn });
        }
        assert.deepStrictEqual(cloud.diagnostics, [
            { severity: "info", message: "waiting for the bucket" },
            { severity: "warning", message: "the bucket is public" },
        ]);
        assert.deepStrictEqual(printed, []);
        assert.strictEqual(pulumi.log.warn, sdkLog.warn, "the SDK's own log functions are back after the run");
        assert.strictEqual(pulumi.log.info, sdkLog.info);
    });

    it("a spec's own log function stays in place for the run", async () => {
        const seen: string[] = [];
        const warn = pulumi.log.warn;
        pulumi.log.warn = async (message: string) => void seen.push(message);
        try {
            const { cloud } = await runUnderMocks({ stack: "dev" }, () => void pulumi.log.warn("mine"));
            assert.deepStrictEqual(seen, ["mine"]);
            assert.deepStrictEqual(cloud.diagnostics, []);
        } finally {
            pulumi.log.warn = warn;
        }
    });

    it("a propagation wait passes at once on a clock that moves on by it, noted in cloud.waits; the real clock is back after", async () => {
        const { cloud, result } = await runUnderMocks({ stack: "dev" }, async () => {
            const before = waitClock.now();
            await waitClock.sleep(GRANT_PROPAGATION_MS);
            return waitClock.now() - before;
        });
        assert.strictEqual(result, GRANT_PROPAGATION_MS);
        assert.deepStrictEqual(cloud.waits, [GRANT_PROPAGATION_MS]);
        assert.strictEqual(waitClock.sleep, REAL_CLOCK.sleep);
        assert.strictEqual(waitClock.now, REAL_CLOCK.now);
    });

    it("another copy of the clock's module (program.js's bundle has one) shares the same clocks", () => {
        const file = require.resolve("../../components/waitClock");
        const first = require.cache[file];
        delete require.cache[file];
        try {
            const copy = require(file) as typeof import("../../components/waitClock");
            assert.notStrictEqual(require.cache[file], first, "a second module instance");
            assert.strictEqual(copy.waitClock, waitClock);
            assert.strictEqual(copy.REAL_CLOCK, REAL_CLOCK);
        } finally {
            require.cache[file] = first;
        }
    });
});
