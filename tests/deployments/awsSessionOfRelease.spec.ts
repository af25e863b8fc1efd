import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { checkAwsSessionOfRelease, checkGoogleTokenOfRelease, releaseWindowOf } from "../../deployments/releaseWindow";
import { PROJECT_ROOT, readStackFile } from "../../config/stackFile";
import { releasePlanFromConfig } from "../../release/settings";
import { withSettings } from "../harness/stackConfig";
import { deploymentsPlan } from "./deploymentsPlan";

const planOf = (config = readStackFile("prod").config) => releasePlanFromConfig({ values: config, secretKeys: new Set(readStackFile("prod").secretKeys) }, "prod");

/**
 * docs/releases.md runs a release by hand as `pulumi env run <org>/<environment> -- ... npm run release -- prod`: its own
 * AWS calls then use the session ESC's aws-login exported, RELEASE_CREDENTIALS_MINUTES long, which nothing renews.
 * deploy-prod.yml checks the release's worst case against it (deployments/checkReleaseWindow.ts); by hand, only the
 * Google token was checked (release/main.ts).
 */
describe("a release run by hand on ESC's AWS session fits that session", () => {
    const underEnvRun = { AWS_ACCESS_KEY_ID: "ASIAEXAMPLE", AWS_SESSION_TOKEN: "session-from-aws-login", RELEASE_CREDENTIALS_MINUTES: "240" };
    // AWS only, so the Google check (GOOGLE_OAUTH_ACCESS_TOKEN, checkGoogleTokenOfRelease) is not what stops it.
    const awsOnlyWith = (release: Record<string, unknown>) => {
        const config = withSettings("prod", "release", release);
        config["multicloud-service:gcp"] = JSON.stringify({ ...JSON.parse(config["multicloud-service:gcp"]), enabled: false });
        return planOf(config);
    };

    it("refuses one that may outlive it, naming the settings", () => {
        const long = awsOnlyWith({ maxWaitMinutes: 60 });
        assert.ok(releaseWindowOf(long).worstCaseMinutes > 240);
        // Before: nothing refused it, and its CloudWatch reads failed on the expired session after 240 min, mid-step.
        assert.throws(() => checkAwsSessionOfRelease(long, underEnvRun), /the AWS session in AWS_SESSION_TOKEN .* lasts 240 min \(RELEASE_CREDENTIALS_MINUTES\) while prod's release may take \d+: .*release\.maxWaitMinutes/);
    });

    it("lets the committed prod through (235 of 240 min), and any release without ESC's session (the job's check counts that one)", () => {
        assert.doesNotThrow(() => checkAwsSessionOfRelease(planOf(), underEnvRun));
        const long = awsOnlyWith({ maxWaitMinutes: 60 });
        assert.doesNotThrow(() => checkAwsSessionOfRelease(long, {}), "a profile's or a role's credentials, not ESC's");
        assert.doesNotThrow(() => checkAwsSessionOfRelease(long, { ...underEnvRun, RELEASE_CREDENTIALS_MINUTES: "400" }));
    });

    // The guide's own command, with what prod's environment exports (every variable set, as `pulumi env run` sets
    // them), must get past both of the release's credential checks for the committed prod: before, it kept ESC's
    // hour-long GOOGLE_OAUTH_ACCESS_TOKEN, which the Google check refuses for a release of up to 235 min.
    it("the guide's command for a release by hand passes the release's own credential checks on the committed prod", async function () {
        this.timeout(30_000);
        const guide = fs.readFileSync(path.join(PROJECT_ROOT, "docs", "releases.md"), "utf8").replace(/\n\s*/g, " ");
        const command = [...guide.matchAll(/`(pulumi env run [^`]*npm run release -- prod)`/g)].map((m) => m[1]);
        assert.strictEqual(command.length, 1, "docs/releases.md gives one command for a release by hand");
        const prod = (await deploymentsPlan()).environments.find((e) => e.name === "multicloud-service/prod")!;
        const env: Record<string, string | undefined> = Object.fromEntries(Object.keys(prod.definition.values.environmentVariables).map((k) => [k, "set"]));
        env.RELEASE_CREDENTIALS_MINUTES = String(prod.definition.values.environmentVariables.RELEASE_CREDENTIALS_MINUTES);
        // What the command runs after `--`: `env -u NAME ...` unsets NAME (coreutils env), then the release.
        const words = command[0].split(" -- ")[1].split(/\s+/);
        if (words[0] === "env") for (let i = 1; words[i] === "-u"; i += 2) delete env[words[i + 1]];
        assert.doesNotThrow(() => checkGoogleTokenOfRelease(planOf(), env));
        assert.doesNotThrow(() => checkAwsSessionOfRelease(planOf(), env));
    });
});
