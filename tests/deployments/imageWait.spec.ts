import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { UP_MINUTES } from "../../release/stack/automationStack";
import { UP_MINUTES_AFTER_IMAGE, checkImageWaits } from "../../deployments/imageWait";
import { stackImageWaitMinutes } from "../../deployments/stackTargets";
import { scratchDir } from "../harness/tempDirs";
import { parsedCommittedSettings } from "./deploymentsPlan";

describe("deployments/: a stack's wait for its image leaves its update time on its credentials", () => {
    const settings = parsedCommittedSettings();

    it("the committed stack files fit: dev and review wait the default 20 and 5 min of their 60", () => {
        const waits = { dev: stackImageWaitMinutes("dev", settings.project), prod: stackImageWaitMinutes("prod", settings.project), review: stackImageWaitMinutes("review", settings.project) };
        assert.deepStrictEqual(waits, { dev: undefined, prod: undefined, review: 5 });
        assert.doesNotThrow(() => checkImageWaits(settings, waits));
    });

    it("a wait that would leave the update less than its allowance of the credentials' 60 min is refused, naming the file and the most it may be", () => {
        // ESC's AWS session and Google token are taken when the update begins and end together; a dev up that waited
        // 55 min for image.yml would deploy on 5 min of credentials. Before: nothing checked it.
        assert.doesNotThrow(() => checkImageWaits(settings, { dev: 50 }));
        assert.throws(
            () => checkImageWaits(settings, { dev: 51, review: 5 }),
            /an update could outlive its credentials waiting for its image; nothing was deployed:\n {2}- Pulumi\.dev\.yaml's multicloud-service:image\.waitMinutes \(51\) leaves its pulumi up less than 10 of the 60 min its credentials last \(ESC environment multicloud-service\/dev\): set it to at most 50$/,
        );
        // prod's release counts the image wait in its own window, on 240 min (releaseWindow.ts).
        assert.doesNotThrow(() => checkImageWaits(settings, { prod: 120 }));
        // Even waited twice (verified images), 2 x 120 of its 240: a released stack is bounded by the release's own check,
        // which counts 2 x image.waitMinutes with every up (deployments/releaseWindow.ts), not by the 230 min left here.
        assert.doesNotThrow(() => checkImageWaits(settings, { prod: 120 }, { prod: true }));
    });

    it("a stack file's wait is read as the Pulumi CLI reads it: 060 is octal 48 there, and refused as written", () => {
        // gopkg.in/yaml.v3 resolve.go: ParseInt(text, 0, 64). Before: deployments/ read 060 as 60 with YAML 1.2's
        // core schema and checked a wait the stack never runs with.
        const root = scratchDir("stack-targets");
        fs.writeFileSync(path.join(root, "Pulumi.dev.yaml"), "config:\n  multicloud-service:image:\n    waitMinutes: 060\n");
        assert.throws(
            () => stackImageWaitMinutes("dev", settings.project, root),
            /^Error: deployments\/ cannot read a stack of settings\.stacks as `pulumi up` of the service would; nothing was deployed:\n {2}- settings\.stacks\.dev: Pulumi\.dev\.yaml: multicloud-service:image\.waitMinutes is written 060, which the Pulumi CLI reads as 48: /,
        );
    });

    it("the update's allowance is the release's for each up", () => {
        assert.strictEqual(UP_MINUTES_AFTER_IMAGE, UP_MINUTES);
    });
});
