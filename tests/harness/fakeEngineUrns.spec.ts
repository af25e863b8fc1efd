import * as assert from "assert";
import { createRequire } from "module";
import { FakeEngine } from "../../scripts/offline/fakeEngine";
import { mockCloudFor } from "../../scripts/offline/mockCloud";

const sdkRequire = createRequire(require.resolve("@pulumi/pulumi/proto/resource_grpc_pb"));
const resourceProto = sdkRequire("./resource_pb");
const { Struct } = sdkRequire("google-protobuf/google/protobuf/struct_pb");

// The engine's check: "Duplicate resource URN '<urn>'; try giving it a unique name" (pulumi/pulumi
// sdk/go/common/diag/errors.go, GetDuplicateResourceURNError), on the URN it builds: every ancestor's type, the root
// stack's left out (pkg/resource/deploy, generateURN).
describe("the fake engine refuses a second resource of one URN, as the engine builds URNs", () => {
    it("the root stack's type is not in the URN it names, and a grandparent's type tells two resources apart", async () => {
        const engine = new FakeEngine(mockCloudFor({}), "p", "dev");
        // The handler the language runtime's registrations reach over gRPC.
        const { registerResource } = (engine as unknown as { monitorHandlers(): Record<string, (call: unknown, callback: (err: Error | null, response?: any) => void) => void> }).monitorHandlers();
        const register = (type: string, name: string, parent = "") =>
            new Promise<{ err: Error | null; urn?: string }>((resolve) => {
                const request = new resourceProto.RegisterResourceRequest();
                request.setType(type);
                request.setName(name);
                request.setParent(parent);
                request.setObject(Struct.fromJavaScript({}));
                registerResource({ request }, (err, response) => resolve({ err, urn: response?.getUrn() }));
            });
        const root = await register("pulumi:pulumi:Stack", "p-dev");
        const outer = await register("test:index:Outer", "a", root.urn);
        const otherOuter = await register("test:index:OtherOuter", "b", root.urn);
        const holders = [await register("test:index:Holder", "h", outer.urn), await register("test:index:Holder", "h", otherOuter.urn)];
        const buckets = await Promise.all(holders.map((h) => register("gcp:storage/bucket:Bucket", "objects", h.urn)));
        assert.deepStrictEqual(buckets.map((b) => b.err), [null, null]);
        // The URNs it answers are the engine's too: what the program reads as each resource's `urn`.
        assert.strictEqual(outer.urn, "urn:pulumi:dev::p::test:index:Outer::a");
        assert.deepStrictEqual(buckets.map((b) => b.urn), [
            "urn:pulumi:dev::p::test:index:Outer$test:index:Holder$gcp:storage/bucket:Bucket::objects",
            "urn:pulumi:dev::p::test:index:OtherOuter$test:index:Holder$gcp:storage/bucket:Bucket::objects",
        ]);
        const message = "Duplicate resource URN 'urn:pulumi:dev::p::test:index:Outer::a'; try giving it a unique name";
        assert.strictEqual((await register("test:index:Outer", "a", root.urn)).err?.message, message);
        // The engine reports it itself, as an error diagnostic (step_generator.go, bailDiag): the update's error.
        assert.deepStrictEqual(engine.errors(), [message]);
    });
});
