import * as assert from "assert";
import * as iam from "@pulumi/aws/iam";
import * as kms from "@pulumi/aws/kms";
import * as lambda from "@pulumi/aws/lambda";
import * as s3 from "@pulumi/aws/s3";
import * as sfn from "@pulumi/aws/sfn";
import * as sns from "@pulumi/aws/sns";
import * as cloudrunv2 from "@pulumi/gcp/cloudrunv2";
import * as gcpProjects from "@pulumi/gcp/projects";
import * as secretmanager from "@pulumi/gcp/secretmanager";
import * as storage from "@pulumi/gcp/storage";
import * as pulumi from "@pulumi/pulumi";
import { providerSettingsSchema } from "../../config/schema";
import { mockCloudFor, runUnderMocks, valueOf } from "../../scripts/offline/mockCloud";

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

    // Before: the name for most of these (the mock's fallback), a made-up ID for the function URL and role policy, a
    // 32-hex key ID, and a regional domain name without its region. What each is: the ID `pulumi import` takes, as
    // each @pulumi/aws typing documents it (sns/topic.d.ts "using the topic `arn`", and so on).
    it("answers AWS resource IDs in the provider's own forms", async () => {
        const { cloud } = await runUnderMocks({ stack: "dev", config: { "aws:region": "eu-west-1" } }, () => {
            new sns.Topic("t", { name: "alarms" });
            new iam.Policy("p", { name: "pol", policy: "{}" });
            new sfn.StateMachine("m", { name: "pipe", roleArn: "arn:aws:iam::123456789012:role/r", definition: "{}" });
            new kms.Key("k", {});
            new kms.Alias("a", { name: "alias/signing", targetKeyId: "k" });
            new lambda.FunctionUrl("u", { functionName: "api", qualifier: "live", authorizationType: "AWS_IAM" });
            new iam.RolePolicy("rp", { role: "runtime", name: "inline", policy: "{}" });
            new s3.Bucket("b", { bucket: "objects" });
        });
        const idOf = (type: string) => cloud.one(type).id;
        assert.strictEqual(idOf("aws:sns/topic:Topic"), "arn:aws:sns:eu-west-1:123456789012:alarms");
        assert.strictEqual(idOf("aws:iam/policy:Policy"), "arn:aws:iam::123456789012:policy/pol");
        assert.strictEqual(idOf("aws:sfn/stateMachine:StateMachine"), "arn:aws:states:eu-west-1:123456789012:stateMachine:pipe");
        assert.match(String(idOf("aws:kms/key:Key")), /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        assert.strictEqual(cloud.one("aws:kms/key:Key").outputs.arn, `arn:aws:kms:eu-west-1:123456789012:key/${idOf("aws:kms/key:Key")}`);
        assert.deepStrictEqual([idOf("aws:kms/alias:Alias"), cloud.one("aws:kms/alias:Alias").outputs.arn], ["alias/signing", "arn:aws:kms:eu-west-1:123456789012:alias/signing"]);
        assert.strictEqual(idOf("aws:lambda/functionUrl:FunctionUrl"), "api/live");
        assert.strictEqual(idOf("aws:iam/rolePolicy:RolePolicy"), "runtime:inline");
        assert.deepStrictEqual([idOf("aws:s3/bucket:Bucket"), cloud.one("aws:s3/bucket:Bucket").outputs.bucketRegionalDomainName], ["objects", "objects.s3.eu-west-1.amazonaws.com"]);
    });

    // Before: the mock's fallback (the input name, or a made-up one) for each IAM member, and a version named by the
    // project's ID. terraform-provider-google: tpgiamresource/resource_iam_member.go (resource ID/role/member) and
    // each updater's GetResourceId; secretmanager/resource_secret_manager_secret_version.go (the answer's name).
    it("answers Google IAM member and secret version IDs in the provider's own forms", async () => {
        const member = "serviceAccount:runtime@multicloud-service-dev.iam.gserviceaccount.com";
        const { cloud } = await runUnderMocks({ stack: "dev", config: { "gcp:project": "multicloud-service-dev", "gcp:region": "asia-northeast1" } }, () => {
            new storage.BucketIAMMember("g", { bucket: "objects", role: "roles/storage.objectUser", member });
            new cloudrunv2.ServiceIamMember("i", { name: "svc", location: "asia-northeast1", role: "roles/run.invoker", member });
            new gcpProjects.IAMMember("p", { project: "multicloud-service-dev", role: "roles/viewer", member });
            new secretmanager.SecretVersion("v", { secret: "projects/multicloud-service-dev/secrets/db", secretData: "x" });
        });
        const idOf = (type: string) => cloud.one(type).id;
        assert.strictEqual(idOf("gcp:storage/bucketIAMMember:BucketIAMMember"), `b/objects/roles/storage.objectUser/${member}`);
        assert.strictEqual(idOf("gcp:cloudrunv2/serviceIamMember:ServiceIamMember"), `projects/multicloud-service-dev/locations/asia-northeast1/services/svc/roles/run.invoker/${member}`);
        assert.strictEqual(idOf("gcp:projects/iAMMember:IAMMember"), `multicloud-service-dev/roles/viewer/${member}`);
        assert.match(String(idOf("gcp:secretmanager/secretVersion:SecretVersion")), /^projects\/\d+\/secrets\/db\/versions\/1$/);
    });

    // The plan of a stack file without aws:region or gcp:region shows where the program would deploy (its schema's defaults).
    it("stands in the program's default regions for a stack file that names none", () => {
        const defaults = providerSettingsSchema.parse({});
        assert.deepStrictEqual(mockCloudFor({}).region, { aws: defaults["aws:region"], gcp: defaults["gcp:region"] });
    });

    it("starts each run from an empty cloud", async () => {
        const { cloud } = await runUnderMocks({ stack: "prod" }, () => new Holder("other"));
        assert.deepStrictEqual(cloud.resources.map((r) => r.name), ["other", "other-bucket"]);
    });

    // terraform-provider-aws lambda/function_data_source.go: a qualifier reads the version (GetFunction); none lists the
    // versions first (ListVersionsByFunction), whose own error is reported. Before, both said "couldn't find resource".
    it("answers a function that is not there as the Lambda data source does, with and without a qualifier", async () => {
        const reads: Record<string, string> = {};
        await runUnderMocks({ stack: "dev", config: { "aws:region": "eu-west-1" } }, async () => {
            for (const qualifier of ["live", undefined]) {
                await lambda.getFunction({ functionName: "api", qualifier }).catch((err: Error) => (reads[qualifier ?? "none"] = err.message));
            }
        });
        assert.match(reads.live, /reading Lambda Function \(api\): couldn't find resource/);
        assert.match(
            reads.none,
            /reading Lambda Function \(api\) latest version: operation error Lambda: ListVersionsByFunction, https response error StatusCode: 404, RequestID: [0-9a-f-]{36}, ResourceNotFoundException: Function not found: arn:aws:lambda:eu-west-1:123456789012:function:api$/m,
        );
    });
});
