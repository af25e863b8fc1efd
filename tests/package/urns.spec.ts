import * as assert from "assert";
import before from "./fixtures/urnsBeforePackage.json";
import { committedStackRegistrations } from "../harness/committedStackRegistrations";
import { claims } from "../harness/engineUrns";

describe("the move to package tokens replaces nothing in existing stacks", function () {
    for (const stack of ["dev", "prod"] as const) {
        it(`${stack}: every resource the program had before is found again, by URN or alias, by exactly one resource`, async () => {
            const old = before[stack];
            const now = await committedStackRegistrations(stack);
            const { lost, shared } = claims(old, now);
            assert.deepStrictEqual(lost, [], "these would be deleted (and their successors created)");
            assert.deepStrictEqual(shared, [], "these would be claimed twice");
            // The token did change (else this test would prove nothing about aliases): the components and every
            // child are registered under new URNs and reach their old ones through aliases only.
            const moved = now.filter((r) => !old.includes(r.urn) && r.aliases.some((a) => old.includes(a)));
            const movedUrns = moved.map((r) => r.urn);
            for (const expected of [
                "::multicloud:index:LambdaEcrPipeline::pipeline",
                "::multicloud:index:LambdaEcrPipeline$aws:lambda/function:Function::pipeline-api",
                "::multicloud:index:CloudRunGcsService::service",
                "::multicloud:index:CloudRunGcsService$gcp:cloudrunv2/service:Service::service",
            ]) {
                assert.ok(movedUrns.some((urn) => urn.endsWith(expected)), `${expected} is registered under the package token and aliased`);
            }
            assert.strictEqual(moved.length + now.filter((r) => old.includes(r.urn)).length, old.length, "every old resource is accounted for once");
        });
    }
});
