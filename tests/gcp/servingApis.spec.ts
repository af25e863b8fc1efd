import * as assert from "assert";
import * as projects from "@pulumi/gcp/projects";
import * as pulumi from "@pulumi/pulumi";
import { runUnderMocks, valueOf } from "../../scripts/offline/mockCloud";
import { servingApis } from "../../components/gcp/apiActivation";
import { CloudRunGcsService, CloudRunGcsServiceArgs } from "../../components/gcp";
import { serviceArgs } from "./fixtures";

/**
 * Every resource that needs an API depends on the wait for the APIs. Each output made from an output walks every object
 * its value reaches (@pulumi/pulumi output.js containsUnknowns, in the Output's constructor), and the SDK makes several
 * from a `dependsOn` output for each resource (resource.js mergeOptions, runtime/dependsOn.js
 * gatherExplicitDependencies): a wait whose value held the services walked their object graphs (their parent, providers
 * and outputs: 85,220 objects in one run of prod) again for each. The services come with the wait as its resources.
 */
describe("servingApis: the wait for the Google APIs holds no resources in its value", function () {
    this.timeout(60_000);
    const APIS = ["run", "iam"];

    for (const preview of [false, true]) {
        it(`${preview ? "a preview" : "an up"}: what depends on it depends on every API's service, and its value holds no resource`, async () => {
            const { cloud, result } = await runUnderMocks({ stack: "dev", preview }, () => {
                const services = APIS.map((api) => new projects.Service(`api-${api}`, { project: "p", service: `${api}.googleapis.com` }));
                const apis = servingApis(services, APIS, { id: "p", number: "123" }, "asia-northeast1", "token");
                new projects.Service("needs-apis", { project: "p", service: "monitoring.googleapis.com" }, { dependsOn: apis });
                return { apis };
            });
            const urnOf = (name: string) => cloud.resources.find((r) => r.name === name)!.urn;
            assert.deepStrictEqual(cloud.resources.find((r) => r.name === "needs-apis")!.dependsOn, APIS.map((api) => urnOf(`api-${api}`)));
            if (preview) return;
            const held = ((await valueOf(result.apis)) ?? []).filter((v) => pulumi.Resource.isInstance(v)).map((r) => r.constructor.name);
            assert.deepStrictEqual(held, [], "the wait's value holds resources, walked again for each resource that waits on it");
        });
    }
});

/**
 * What the component's resources wait on beside the APIs (the bucket grant, the uptime check's invoker grant) comes with
 * the wait as its resources too (components/dependsOnResources.ts): a `dependsOn` output whose value held them walked
 * their object graphs again (16,153 objects in one run of prod; 646 once none held any).
 */
describe("CloudRunGcsService: no resource's dependsOn output holds resources in its value", function () {
    this.timeout(120_000);
    const prebuilt = `europe-west1-docker.pkg.dev/ci-images-project/releases/service@sha256:${"d".repeat(64)}`;
    const cases: [string, Partial<CloudRunGcsServiceArgs>][] = [
        ["the dev stack's service", {}],
        ["a prebuilt image in another project (Cloud Run's agent waits for the Cloud Run API)", { image: { prebuilt } }],
    ];

    for (const [what, overrides] of cases) {
        it(what, async () => {
            const holding: string[] = [];
            const watchDependsOn: pulumi.ResourceTransformation = ({ type, name, opts }) => {
                if (pulumi.Output.isInstance(opts.dependsOn)) {
                    (opts.dependsOn as pulumi.Output<unknown>).apply((value) => {
                        if (Array.isArray(value) && value.some((v) => pulumi.Resource.isInstance(v))) holding.push(`${type}::${name}`);
                    });
                }
                return undefined;
            };
            const { cloud } = await runUnderMocks({ stack: "dev", setup: (c) => (c.registry.mode = "all") }, () => new CloudRunGcsService("service", serviceArgs("dev", overrides), { transformations: [watchDependsOn] }));
            assert.ok(cloud.ofType("gcp:cloudrunv2/service:Service").length === 1, "the component registered its service");
            assert.deepStrictEqual(holding.sort(), [], "registered with a dependsOn output whose value holds resources, walked again for each output the SDK makes from it");
        });
    }
});
