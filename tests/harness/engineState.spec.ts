import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { readStackFile } from "../../config/stackFile";
import { secretInput as secret } from "../../scripts/offline/registeredInputs";
import { engineState } from "./engineUrns";

/** A component with one plain and one secret output, as a component of the program registers them. */
class Probe extends pulumi.ComponentResource {
    constructor() {
        super("multicloud:test:Probe", "probe");
        this.registerOutputs({ plain: "component-plain", hidden: pulumi.secret("component-secret") });
    }
}

// tests/program/stateSecrets.spec.ts finds a leak only in what engineState hands it: an output left out is a leak unseen.
describe("engineState: the state a spec reads for secrets (tests/harness/engineUrns.ts)", function () {
    this.timeout(60_000);

    it("holds the stack's outputs and a component's registered outputs, each secret in its wire form", async () => {
        const program = () => {
            new Probe();
            return { plain: "stack-plain", hidden: pulumi.secret("stack-secret") };
        };
        const { registrations, stackOutputs } = await engineState("dev", { program, stackFile: readStackFile("dev") });
        assert.deepStrictEqual(stackOutputs, { plain: "stack-plain", hidden: secret("stack-secret") });
        const probe = registrations.find((r) => r.type === "multicloud:test:Probe");
        assert.deepStrictEqual(probe?.wire.outputs, { plain: "component-plain", hidden: secret("component-secret") });
    });
});
