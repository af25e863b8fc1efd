import * as assert from "assert";
import * as s3 from "@pulumi/aws/s3";
import * as pulumi from "@pulumi/pulumi";
import { runUnderMocks, valueOf } from "../../scripts/offline/mockCloud";

class Holder extends pulumi.ComponentResource {
    readonly bucketName: pulumi.Output<string>;
    constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:test:Holder", name, {}, opts);
        const bucket = new s3.Bucket(`${name}-bucket`, { forceDestroy: true }, { parent: this });
        this.bucketName = bucket.bucket;
        this.registerOutputs({ bucketName: this.bucketName });
    }
}

describe("the offline mock cloud", () => {
    it("records inputs, computes provider outputs and links children to their parent", async () => {
        const { cloud, result } = await runUnderMocks({ stack: "dev", config: { "aws:region": "eu-west-1" } }, () => new Holder("h"));
        const bucket = cloud.one("aws:s3/bucket:Bucket");
        assert.strictEqual(bucket.inputs.forceDestroy, true);
        assert.match(await valueOf(result.bucketName), /^h-bucket-[0-9a-f]{7}$/);
        assert.strictEqual(bucket.parentUrn, cloud.one("multicloud:test:Holder").urn);
        assert.match(bucket.urn, /^urn:pulumi:dev::multicloud-service::multicloud:test:Holder\$aws:s3\/bucket:Bucket::h-bucket$/);
    });

    it("starts each run from an empty cloud", async () => {
        const { cloud } = await runUnderMocks({ stack: "prod" }, () => new Holder("other"));
        assert.deepStrictEqual(cloud.resources.map((r) => r.name), ["other", "other-bucket"]);
    });
});
