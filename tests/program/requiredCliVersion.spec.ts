import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { PROJECT_ROOT } from "../../config/stackFile";
import { pinnedCliVersion } from "../../deployments/executorImage";

describe("every Pulumi project of this repository requires the CLI of .pulumi.version", () => {
    const pinned = pinnedCliVersion();
    for (const project of ["Pulumi.yaml", "deployments/Pulumi.yaml"]) {
        it(`${project}: requiredPulumiVersion is exactly ${pinned}`, () => {
            // A bare version is an exact match in the range syntax the CLI parses (blang/semver ParseRange: no operator is "=").
            assert.strictEqual(parse(fs.readFileSync(path.join(PROJECT_ROOT, project), "utf8")).requiredPulumiVersion, pinned);
        });
    }
});
