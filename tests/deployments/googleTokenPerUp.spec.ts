import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT, readStackFile } from "../../config/stackFile";
import { checkImageWaits } from "../../deployments/imageWait";
import { checkGoogleTokenOfRelease, checkReleaseWindow, releaseWindowOf } from "../../deployments/releaseWindow";
import { enabledClouds, releasePlanFromConfig } from "../../release/settings";
import { withSettings } from "../harness/stackConfig";
import { scratchDir } from "../harness/tempDirs";
import { parsedCommittedSettings } from "./deploymentsPlan";

/**
 * ESC's gcp-login sets no tokenLifetime (deployments/escEnvironments.ts): every `pulumi up` deploys to Google Cloud on
 * a one-hour access token (IAM Credentials generateAccessToken's default 3600 s), whatever RELEASE_CREDENTIALS_MINUTES
 * (AWS's 240) says. One `up` may wait 2 x image.waitMinutes (the push, then the scan) and then run UP_MINUTES.
 */
describe("one pulumi up fits the Google token its ESC environment hands it", () => {
    /** A copy of the committed prod stack file (and the Pulumi.yaml beside it) with the image and release settings changed. */
    const prodWith = (waitMinutes: number, maxWaitMinutes: number) => {
        const root = scratchDir("google-token");
        fs.copyFileSync(path.join(PROJECT_ROOT, "Pulumi.yaml"), path.join(root, "Pulumi.yaml"));
        const text = fs
            .readFileSync(path.join(PROJECT_ROOT, "Pulumi.prod.yaml"), "utf8")
            .replace("  multicloud-service:image:\n", `  multicloud-service:image:\n    waitMinutes: ${waitMinutes}\n`)
            .replace("    maxWaitMinutes: 35\n", `    maxWaitMinutes: ${maxWaitMinutes}\n`);
        assert.ok(text.includes(`    waitMinutes: ${waitMinutes}\n`) && text.includes(`    maxWaitMinutes: ${maxWaitMinutes}\n`), "both settings written");
        fs.writeFileSync(path.join(root, "Pulumi.prod.yaml"), text);
        return root;
    };
    /** The release plan of a stack file's config (the committed one's unless given), as release/main.ts reads it. */
    const planOf = (stack: string, config = readStackFile(stack).config) =>
        releasePlanFromConfig({ values: config, secretKeys: new Set(readStackFile(stack).secretKeys) }, stack);

    it("the committed prod fits: 10 + 2 x 20 = 50 min on a 60 min token", () => {
        assert.strictEqual(checkReleaseWindow("prod", 240, 5, 235), 233);
        assert.strictEqual(releaseWindowOf(planOf("prod")).googleUpMinutes, 50);
    });

    it("prod with image.waitMinutes 30 (and release.maxWaitMinutes 28, so the whole release still fits 235 min) is refused: one up may run 70 min on a 60 min Google token", () => {
        // Before: accepted (worst case 232 min <= 235); the first up's Cloud Run update, after an hour of waiting for
        // the promoted image's scan, met Google's 401 UNAUTHENTICATED.
        const root = prodWith(30, 28);
        assert.throws(() => checkReleaseWindow("prod", 240, 5, 235, root), /one pulumi up of prod's release may run 70 min .* lasts 60 min .*Lower image\.waitMinutes to at most 25/);
        assert.doesNotThrow(() => checkReleaseWindow("prod", 240, 5, 235, prodWith(25, 32)));
    });

    it("a stack that is not released and verifies its images waits twice: waitMinutes 50 would hold its up 110 min on 60 min credentials", () => {
        const settings = parsedCommittedSettings();
        // Before: the verify flag was not asked for and 50 passed.
        assert.throws(() => checkImageWaits(settings, { dev: 50 }, { dev: true }), /waitMinutes \(50, waited twice: .*set it to at most 25/);
        assert.doesNotThrow(() => checkImageWaits(settings, { dev: 25 }, { dev: true }));
        assert.doesNotThrow(() => checkImageWaits(settings, { dev: 50 }, { dev: false }));
    });

    // docs/releases.md describes a release run by hand under `pulumi env run`, where ESC's one-hour token is in the
    // environment and the release's Cloud Monitoring reads and ID tokens prefer it. Before: nothing compared the two.
    describe("a release whose own Google calls would use GOOGLE_OAUTH_ACCESS_TOKEN past its hour", () => {
        const token = { GOOGLE_OAUTH_ACCESS_TOKEN: "ya29.from-gcp-login" };

        it("is refused, saying how to run it", () => {
            const prod = planOf("prod");
            assert.ok(releaseWindowOf(prod).worstCaseMinutes > 60);
            assert.throws(() => checkGoogleTokenOfRelease(prod, token), /GOOGLE_OAUTH_ACCESS_TOKEN is set .* lasts 60 min while this release may take \d+: .*gcloud auth application-default login/);
        });

        // Before: only deploy-prod.yml's window check (deployments/checkReleaseWindow.ts) asked how long one up runs on
        // its token; a release run by hand opens the same environment for each up.
        it("one up longer than the token is refused from the plan alone, with or without that variable", () => {
            const long = planOf("prod", withSettings("prod", "image", { waitMinutes: 30 }));
            for (const env of [{}, token]) assert.throws(() => checkGoogleTokenOfRelease(long, env), /one pulumi up of prod's release may run 70 min .*at most 25/);
        });

        it("runs without that variable (application default credentials refresh), or when it reaches no Google API", () => {
            assert.doesNotThrow(() => checkGoogleTokenOfRelease(planOf("prod"), {}));
            const awsOnly = planOf("prod", withSettings("prod", "gcp", { enabled: false }));
            assert.deepStrictEqual(enabledClouds(awsOnly), ["aws"]);
            assert.doesNotThrow(() => checkGoogleTokenOfRelease(awsOnly, token));
        });
    });
});
