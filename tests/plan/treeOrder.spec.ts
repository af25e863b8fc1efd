import * as assert from "assert";
import { RecordedResource } from "../../scripts/offline/mockCloud";
import { ProgramRun } from "../../scripts/offline/runProgram";
import { renderDiff } from "../../scripts/plan/diff";
import { renderFixedNames } from "../../scripts/plan/fixedNames";
import { renderCounts, renderTree } from "../../scripts/plan/render";
import { inTreeOrder } from "../../scripts/plan/treeOrder";
import { committedStackRun } from "../harness/committedStackRun";

/**
 * The same resources as registered in another run: the top-level ones (providers, components) in the same order, as
 * the program registers them one after the other, but what each component registers interleaved the other way
 * round (the last component's resources first), each component's in its own order. Each cloud's resources register as its API
 * answers arrive, so under load one run can interleave the clouds unlike the next (CI saw the names section of the
 * quick start's plan differ between two runs of one commit).
 */
function interleavedOtherwise(resources: RecordedResource[]): RecordedResource[] {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const topOf = (r: RecordedResource): RecordedResource => {
        let top = r;
        while (top.parentUrn && byUrn.has(top.parentUrn)) top = byUrn.get(top.parentUrn)!;
        return top;
    };
    const topIndex = new Map(resources.filter((r) => topOf(r) === r).map((r, i) => [r.urn, i]));
    const rank = (r: RecordedResource) => (topOf(r) === r ? -1 : topIndex.size - topIndex.get(topOf(r).urn)!);
    return [...resources].sort((a, b) => rank(a) - rank(b));
}

function withResources(run: ProgramRun, resources: RecordedResource[]): ProgramRun {
    return { ...run, cloud: Object.assign(Object.create(Object.getPrototypeOf(run.cloud)), run.cloud, { resources }) };
}

describe("the plan lists resources in the tree's order, whatever order they registered in", function () {
    this.timeout(60_000);
    let dev: ProgramRun;
    let prod: ProgramRun;
    before(async () => {
        dev = await committedStackRun("dev");
        prod = await committedStackRun("prod");
    });

    it("the reordering really changes the registration order (else the checks below prove nothing)", () => {
        const reordered = interleavedOtherwise(dev.cloud.resources);
        assert.notDeepStrictEqual(reordered.map((r) => r.urn), dev.cloud.resources.map((r) => r.urn));
        assert.strictEqual(reordered.length, dev.cloud.resources.length);
    });

    it("the tree, the names already taken, and the diff between two stacks read the same", () => {
        const reordered = interleavedOtherwise(dev.cloud.resources);
        assert.deepStrictEqual(renderTree(reordered), renderTree(dev.cloud.resources));
        assert.deepStrictEqual(renderFixedNames(reordered), renderFixedNames(dev.cloud.resources));
        const diff = renderDiff(dev, prod);
        assert.strictEqual(renderDiff(withResources(dev, reordered), withResources(prod, interleavedOtherwise(prod.cloud.resources))), diff);
        assert.match(diff, /resources differ/);
    });

    // Before, the top followed the registration order too: once the program awaited the GCP provider before making the
    // components (its quota read), the GCP component reached the engine first and the plan's sections changed order.
    it("two components that reached the engine the other way round: the same tree, the same names, the same diff", () => {
        const componentsSwapped = (resources: RecordedResource[]) => {
            const [pipeline, service] = ["pipeline", "service"].map((name) => resources.findIndex((r) => !r.parentUrn && r.name === name));
            const swapped = [...resources];
            [swapped[pipeline], swapped[service]] = [swapped[service], swapped[pipeline]];
            return swapped;
        };
        const swapped = componentsSwapped(dev.cloud.resources);
        assert.notDeepStrictEqual(swapped.map((r) => r.urn), dev.cloud.resources.map((r) => r.urn));
        assert.deepStrictEqual(renderTree(swapped), renderTree(dev.cloud.resources));
        assert.deepStrictEqual(renderFixedNames(swapped), renderFixedNames(dev.cloud.resources));
        assert.strictEqual(renderDiff(withResources(dev, swapped), prod), renderDiff(dev, prod));
    });

    it("the names already taken follow the tree: AWS's component first, as its tree comes first", () => {
        const lines = renderFixedNames(interleavedOtherwise(dev.cloud.resources)).filter((l) => /^ {2}\S+ {2}\(/.test(l));
        const clouds = lines.map((l) => (/\((aws|gcp):/.exec(l) ?? [])[1]);
        assert.deepStrictEqual(clouds, [...clouds].sort(), lines.join("\n"));
    });
});

/** A resource as the mocks record it: a component (custom: false) when its type is one of ours. */
const at = (type: string, name: string, parentUrn?: string) =>
    ({ type, name, custom: !type.startsWith("multicloud:"), inputs: {}, outputs: {}, urn: `urn:pulumi:dev::p::${type}::${name}`, parentUrn }) as RecordedResource;

describe("the tree's top level (scripts/plan/treeOrder.ts)", () => {
    // The providers head the plan, above the components that use them, whatever their names: a component named before
    // "aws" alphabetically ("api") does not push the provider down among the resources.
    it("lists the providers first, then the rest by name, each followed by its children", () => {
        const api = at("multicloud:index:Api", "api");
        const resources = [api, at("aws:lambda/function:Function", "api-fn", api.urn), at("pulumi:providers:gcp", "gcp"), at("pulumi:providers:aws", "aws"), at("multicloud:index:Zone", "zone")];
        assert.deepStrictEqual(
            inTreeOrder(resources).map(({ resource, depth }) => `${depth} ${resource.name}`),
            ["0 aws", "0 gcp", "0 api", "1 api-fn", "0 zone"],
        );
    });
});

describe("the plan's counts (scripts/plan/render.ts)", () => {
    // A component (custom: false) creates nothing in a cloud itself: the total splits what an `up` creates from the
    // components that group it.
    it("counts each type, most first, and splits the total into cloud resources and components", () => {
        const lines = renderCounts([
            at("multicloud:index:LambdaEcrPipeline", "pipeline"),
            at("multicloud:index:CloudRunGcsService", "service"),
            at("aws:lambda/function:Function", "api"),
            at("aws:lambda/function:Function", "worker"),
            at("aws:ecr/repository:Repository", "repository"),
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
