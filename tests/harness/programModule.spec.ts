import * as assert from "assert";
import { programOfModule } from "../../scripts/offline/programModule";

// The Node language host requires a CommonJS program and runs its exports only when they are a Function; anything else
// is the stack's outputs as they are (@pulumi/pulumi cmd/run/run.js, runProgram). Only an ES module's `default` is
// unwrapped, so a CommonJS `exports.default` program never runs under `pulumi up`.
describe("the offline runs take a program from its module as the Node language host does", () => {
    it("runs a module that is a function, and takes an exports.default function as an output, not as the program", async () => {
        let ran = 0;
        const program = async () => ((ran += 1), { url: "u" });
        assert.deepStrictEqual(await programOfModule(program)(), { url: "u" });
        assert.strictEqual(ran, 1);
        const cjsDefault = { default: program };
        assert.strictEqual(await programOfModule(cjsDefault)(), cjsDefault);
        assert.strictEqual(ran, 1, "an exports.default function is not called");
    });
});
