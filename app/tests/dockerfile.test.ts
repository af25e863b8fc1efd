import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { dockerfileStages } from "./dockerfileStages";

const stages = dockerfileStages();
const build = stages.find((s) => s.name === "build");
const final = stages[stages.length - 1];
const nodeMajor = (image: string) => Number(/\/lambda\/nodejs:(\d+)[@.-]/.exec(image)?.[1]);

describe("the Dockerfile", () => {
    it("every FROM is pinned by digest (@sha256:)", () => {
        for (const stage of stages) assert.match(stage.image, /@sha256:[0-9a-f]{64}$/, stage.image);
    });

    it("the build stage runs on the build machine's platform (--platform=$BUILDPLATFORM)", () => {
        assert.ok(build, "a stage named build");
        assert.ok(build.flags.includes("--platform=$BUILDPLATFORM"), build.flags.join(" "));
        assert.notEqual(build, final);
    });

    it("the final stage has no RUN (so a cross-architecture build needs no emulation)", () => {
        assert.deepEqual(final.instructions.filter((i) => i.keyword === "RUN"), []);
        assert.ok(!final.flags.some((f) => f.startsWith("--platform")), "the final stage takes the target platform");
        assert.deepEqual([...new Set(final.instructions.map((i) => i.keyword))].sort(), ["CMD", "COPY", "ENV", "USER"]);
    });

    // An image's user is the default its container runs as (OCI image spec, config `User`), root without one; Cloud Run
    // sets none of its own (its v1 API's SecurityContext.runAsUser, "Defaults to user specified in image metadata", may
    // not be set there), and the Lambda base image names none: without a USER of its own the service ran as root on
    // Cloud Run (Lambda runs its own least-privileged user whatever the image says). nobody, as
    // asTheRuntimesRunIt.test.ts runs the bundles.
    it("the final stage runs as nobody (65534), not root", () => {
        const users = final.instructions.filter((i) => i.keyword === "USER").map((i) => i.args);
        assert.equal(users.at(-1), "65534:65534", `the final stage's user: ${users.at(-1) ?? "unset (root)"}`);
    });

    it("the build stage copies every local module build.mjs imports (a missing one fails `docker build` at `npm run build`)", () => {
        const imports = [...readFileSync(path.join(__dirname, "..", "build.mjs"), "utf8").matchAll(/from "\.\/([^"]+)"/g)].map((m) => m[1]);
        assert.ok(imports.includes("buildOptions.mjs"), "build.mjs's options module");
        const copied = build!.instructions.filter((i) => i.keyword === "COPY").flatMap((i) => i.args.split(/\s+/).slice(0, -1));
        for (const file of imports) assert.ok(copied.includes(file), `the build stage does not COPY ${file}`);
    });

    it("the base image's Node major is the one these tests run on", () => {
        const testedMajor = Number(process.versions.node.split(".")[0]);
        for (const stage of stages) assert.equal(nodeMajor(stage.image), testedMajor, `${stage.image} vs node ${process.version}`);
    });
});

describe("the Dockerfile parser", () => {
    it("finds flags, names, joined continuation lines, and ignores comments", () => {
        const parsed = dockerfileStages("# c\nARG X=1\nFROM --platform=$BUILDPLATFORM a@sha256:1 AS build\nRUN one \\\n  two\nfrom b\n# RUN no\nCOPY --from=build /x /y\n");
        assert.deepEqual(parsed, [
            { flags: ["--platform=$BUILDPLATFORM"], image: "a@sha256:1", name: "build", instructions: [{ keyword: "RUN", args: "one two" }] },
            { flags: [], image: "b", name: undefined, instructions: [{ keyword: "COPY", args: "--from=build /x /y" }] },
        ]);
    });
});
