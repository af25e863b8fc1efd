import * as assert from "assert";
import { createRequire } from "module";
import { FakeEngine } from "../../scripts/offline/fakeEngine";
import { mockCloudFor } from "../../scripts/offline/mockCloud";

const sdkRequire = createRequire(require.resolve("@pulumi/pulumi/proto/resource_grpc_pb"));
const resourceProto = sdkRequire("./resource_pb");
const { Struct } = sdkRequire("google-protobuf/google/protobuf/struct_pb");

/**
 * A fake engine for project p, stack dev, with `config`, and its monitor's registerResource and invoke called directly
 * (a random: resource is given a length of 8).
 */
function handlersOf(config: Record<string, string> = {}) {
    const engine = new FakeEngine(mockCloudFor({}), "p", "dev", config);
    const handlers = (engine as unknown as { monitorHandlers(): Record<string, (call: unknown, callback: (err: Error | null, response?: any) => void) => void> }).monitorHandlers();
    const register = (type: string, name: string, provider = "", custom = true) =>
        new Promise<{ err: Error | null; ref?: string }>((resolve) => {
            const request = new resourceProto.RegisterResourceRequest();
            request.setType(type);
            request.setName(name);
            request.setCustom(custom);
            request.setProvider(provider);
            request.setObject(Struct.fromJavaScript(type.startsWith("random:") ? { length: 8 } : {}));
            handlers.registerResource({ request }, (err, response) => resolve({ err, ref: response && `${response.getUrn()}::${response.getId()}` }));
        });
    const invoke = (tok: string, provider = "") =>
        new Promise<Error | null>((resolve) => {
            const request = new resourceProto.ResourceInvokeRequest();
            request.setTok(tok);
            request.setArgs(Struct.fromJavaScript({}));
            request.setProvider(provider);
            handlers.invoke({ request }, (err) => resolve(err));
        });
    return { engine, register, invoke };
}

// The engine resolves a custom resource's explicit provider in its registry: "bad provider reference '<ref>' for
// resource '<urn>': <why>" (2006) and "unknown provider '<ref>' for resource '<urn>'" (2007) (pulumi/pulumi
// pkg/resource/deploy/step_generator.go, loadResourceProvider; sdk/go/common/diag/errors.go), and an invoke's, "Invoke:
// unknown provider '<ref>' -> '<ref>'" (pkg/resource/deploy/source_eval.go, getProviderFromSource).
describe("the fake engine resolves explicit provider references as the engine does", () => {
    const { engine, register, invoke: invokeOf } = handlersOf();
    const invoke = (provider: string) => invokeOf("aws:index/getRegion:getRegion", provider);

    it("takes a registered provider's reference, and refuses one it never registered or cannot parse", async () => {
        const { ref } = await register("pulumi:providers:aws", "mine");
        assert.strictEqual((await register("aws:s3/bucket:Bucket", "ok", ref)).err, null);
        assert.strictEqual(await invoke(ref!), null);
        const stranger = "urn:pulumi:dev::p::pulumi:providers:aws::other::1111";
        assert.strictEqual((await register("aws:s3/bucket:Bucket", "b", stranger)).err?.message, `unknown provider '${stranger}' for resource 'urn:pulumi:dev::p::aws:s3/bucket:Bucket::b'`);
        assert.strictEqual((await register("aws:s3/bucket:Bucket", "c", `${ref!.slice(0, ref!.lastIndexOf("::"))}::another-id`)).err?.message.startsWith("unknown provider '"), true);
        assert.strictEqual((await register("aws:s3/bucket:Bucket", "d", "no-separator")).err?.message, "bad provider reference 'no-separator' for resource 'urn:pulumi:dev::p::aws:s3/bucket:Bucket::d': expected '::' in provider reference 'no-separator'");
        assert.strictEqual((await invoke(stranger))?.message, `Invoke: unknown provider '${stranger}' -> '${stranger}'`);
        // The engine reports a registration's refusal itself, as an error diagnostic (step_generator.go, bailDiag); an
        // invoke's is only the error the SDK receives (source_eval.go, Invoke).
        assert.strictEqual(engine.errors().length, 3, engine.errors().join("\n"));
        assert.match(engine.errors()[0], /^unknown provider '.*' for resource 'urn:pulumi:dev::p::aws:s3\/bucket:Bucket::b'$/);
        assert.match(engine.errors()[2], /^bad provider reference 'no-separator' for resource /);
        // A component has no provider of its own: the engine resolves none for it.
        assert.strictEqual((await register("test:index:Component", "e", stranger, false)).err, null);
    });
});

// `pulumi:disable-default-providers` makes the engine refuse a custom resource or invoke of a listed package (or of any
// but `pulumi`, with "*") that names no provider: "Default provider for '<pkg>' disabled. '<urn or token>' must use an
// explicit provider." (pulumi/pulumi pkg/resource/deploy/default_providers.go, shouldDenyRequest; step_generator.go,
// loadResourceProvider; source_eval.go, getProviderFromSource, prefixed "Invoke: " by Invoke; sdk/go/common/diag/errors.go,
// GetDefaultProviderDenied).
describe("the fake engine refuses a disabled default provider as the engine does", () => {
    it("refuses an aws: resource and invoke on the default provider when the key lists aws, and takes random's", async () => {
        const { engine, register, invoke } = handlersOf({ "pulumi:disable-default-providers": JSON.stringify(["aws", "gcp"]) });
        assert.strictEqual((await register("aws:s3/bucket:Bucket", "b")).err?.message, "Default provider for 'aws' disabled. 'urn:pulumi:dev::p::aws:s3/bucket:Bucket::b' must use an explicit provider.");
        assert.strictEqual((await invoke("aws:index/getRegion:getRegion"))?.message, "Invoke: Default provider for 'aws' disabled. 'aws:index/getRegion:getRegion' must use an explicit provider.");
        assert.strictEqual((await register("random:index/randomPassword:RandomPassword", "r")).err, null);
        assert.deepStrictEqual(engine.errors(), ["Default provider for 'aws' disabled. 'urn:pulumi:dev::p::aws:s3/bucket:Bucket::b' must use an explicit provider."]);
    });

    it("refuses every package's default provider with \"*\", and none without the key", async () => {
        const star = handlersOf({ "pulumi:disable-default-providers": '["*"]' });
        assert.match((await star.register("random:index/randomPassword:RandomPassword", "r")).err?.message ?? "", /^Default provider for 'random' disabled\./);
        const none = handlersOf({});
        assert.strictEqual((await none.register("aws:s3/bucket:Bucket", "b")).err, null);
    });

    // shouldDenyRequest: `if req.Package().Name().String() == "pulumi" { ... return false, nil }` ("we always allow"),
    // before the key is read: "*" bars every package but pulumi's own.
    it("lets the pulumi package's invokes through even with \"*\"", async () => {
        const star = handlersOf({ "pulumi:disable-default-providers": '["*"]' });
        const err = await star.invoke("pulumi:pulumi:getResource");
        assert.doesNotMatch(err?.message ?? "", /Default provider for 'pulumi' disabled/);
    });

    // shouldDenyRequest: an empty list is stored as "", not "[]" ("we don't encode a empty json list, we just encode the
    // empty string"), and denies nothing rather than failing to parse.
    it("takes an empty pulumi:disable-default-providers (\"\") as none barred", async () => {
        const empty = handlersOf({ "pulumi:disable-default-providers": "" });
        assert.strictEqual((await empty.register("aws:s3/bucket:Bucket", "b")).err, null);
        assert.deepStrictEqual(empty.engine.errors(), []);
    });
});
