import * as assert from "assert";
import { RecordedResource } from "../../scripts/offline/mockCloud";
import { renderCounts } from "../../scripts/plan/render";

describe("the plan's counts (scripts/plan/render.ts)", () => {
    // A component (custom: false) creates nothing in a cloud itself: the total splits what an `up` creates from the
    // components that group it.
    it("counts each type, most first, and splits the total into cloud resources and components", () => {
        const at = (type: string, name: string, custom: boolean) => ({ type, name, custom, inputs: {}, outputs: {}, urn: `urn:pulumi:dev::p::${type}::${name}` }) as RecordedResource;
        const lines = renderCounts([
            at("multicloud:index:LambdaEcrPipeline", "pipeline", false),
            at("multicloud:index:CloudRunGcsService", "service", false),
            at("aws:lambda/function:Function", "api", true),
            at("aws:lambda/function:Function", "worker", true),
            at("aws:ecr/repository:Repository", "repository", true),
        ]);
        assert.deepStrictEqual(
            lines.map((l) => l.trim().split(/\s{2,}/)),
            [
                ["aws:lambda/function:Function", "2"],
                ["aws:ecr/repository:Repository", "1"],
                ["multicloud:index:CloudRunGcsService", "1"],
                ["multicloud:index:LambdaEcrPipeline", "1"],
                ["total", "5", "(3 cloud resources, 2 components)"],
            ],
        );
    });
});
