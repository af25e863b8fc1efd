import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { PROJECT_ROOT } from "../../config/stackFile";
import { pinnedCliVersion } from "../../deployments/executorImage";

describe("every Pulumi project of this repository requires the CLI of .pulumi.version", () => {
    const pinned = pinnedCliVersion();
    for (const project of ["Pulumi.yaml", "deployments/Pulumi.yaml"]) {
        // At least the pinned CLI, not exactly it (a bare version is an exact match in the range syntax the CLI parses,
        // blang/semver ParseRange): Deployments runs one executor image, .pulumi.version's on main, for every branch's
        // review stack, so an exact pin would refuse every branch made before a raise until it is rebased.
        it(`${project}: requiredPulumiVersion is >=${pinned}: an older CLI refused, a newer one (Deployments' image after a raise) admitted`, () => {
            assert.strictEqual(parse(fs.readFileSync(path.join(PROJECT_ROOT, project), "utf8")).requiredPulumiVersion, `>=${pinned}`);
        });
    }
});
