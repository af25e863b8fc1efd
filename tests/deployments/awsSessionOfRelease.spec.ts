import * as assert from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as path from "path";
import { checkAwsSessionOfRelease, checkGoogleTokenOfRelease, releaseWindowOf } from "../../deployments/releaseWindow";
import { PROJECT_ROOT, readStackFile } from "../../config/stackFile";
import { pinnedCliVersion } from "../../deployments/executorImage";
import { releasePlanFromConfig } from "../../release/settings";
import { mergedEnvironment } from "../../scripts/offline/environment";
import { stackWith } from "../config/helpers";
import { scratchDir } from "../harness/tempDirs";
import { deploymentsPlan } from "./deploymentsPlan";

const planOf = (change?: (doc: Record<string, any>) => void) => releasePlanFromConfig(stackWith("prod", change), "prod");
/** prod's release with a wait of up to 60 min per step (past 240 min in all) and one cloud turned off. */
const longReleaseWithout = (cloud: "aws" | "gcp") =>
    planOf((doc) => {
        doc["multicloud-service:release"].maxWaitMinutes = 60;
        doc[`multicloud-service:${cloud}`].enabled = false;
    });

/**
 * docs/releases.md runs a release by hand as `pulumi env run <org>/<environment> -- ... npm run release -- prod`: its own
 * AWS calls then use the session ESC's aws-login exported, RELEASE_CREDENTIALS_MINUTES long, which nothing renews.
 * deploy-prod.yml checks the release's worst case against it (deployments/checkReleaseWindow.ts); by hand, only the
 * Google token was checked (release/main.ts).
 */
describe("a release run by hand on ESC's AWS session fits that session", () => {
    const underEnvRun = { AWS_ACCESS_KEY_ID: "ASIAEXAMPLE", AWS_SESSION_TOKEN: "session-from-aws-login", RELEASE_CREDENTIALS_MINUTES: "240" };
    // The long one is of AWS only, so the Google check (GOOGLE_OAUTH_ACCESS_TOKEN, checkGoogleTokenOfRelease) is not what stops it.

    it("refuses one that may outlive it, naming the settings", () => {
        const long = longReleaseWithout("gcp");
        assert.ok(releaseWindowOf(long).worstCaseMinutes > 240);
        // Before: nothing refused it, and its CloudWatch reads failed on the expired session after 240 min, mid-step.
        assert.throws(() => checkAwsSessionOfRelease(long, underEnvRun), /the AWS session in AWS_SESSION_TOKEN .* lasts 240 min \(RELEASE_CREDENTIALS_MINUTES\) while prod's release may take \d+: .*release\.maxWaitMinutes/);
        // By one minute: the committed prod's 233 on a session of 232.
        assert.throws(() => checkAwsSessionOfRelease(planOf(), { ...underEnvRun, RELEASE_CREDENTIALS_MINUTES: "232" }), /lasts 232 min \(RELEASE_CREDENTIALS_MINUTES\) while prod's release may take 233:/);
    });

    it("lets the committed prod through (233 of 240 min), and any release without ESC's session (the job's check counts that one)", () => {
        assert.doesNotThrow(() => checkAwsSessionOfRelease(planOf(), underEnvRun));
        assert.doesNotThrow(() => checkAwsSessionOfRelease(planOf(), { ...underEnvRun, RELEASE_CREDENTIALS_MINUTES: "233" }), "a worst case of exactly the session fits it");
        const long = longReleaseWithout("gcp");
        assert.doesNotThrow(() => checkAwsSessionOfRelease(long, {}), "a profile's or a role's credentials, not ESC's");
        // `env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN` under `pulumi env run`: the SDK's chain then
        // takes a profile's credentials, while RELEASE_CREDENTIALS_MINUTES is still set.
        assert.doesNotThrow(() => checkAwsSessionOfRelease(long, { RELEASE_CREDENTIALS_MINUTES: "240" }), "the minutes without the session they are of");
        assert.doesNotThrow(() => checkAwsSessionOfRelease(long, { ...underEnvRun, RELEASE_CREDENTIALS_MINUTES: "400" }));
    });

    // No Cloud Run probe, so no ID token minted before the first up (release/probeCredentials.ts): the committed prod
    // without gcp takes 186 s verifying + 3 x (35 min + 240 s + 105 s) + 392 s of state writes + (5 x 12 + 40) min,
    // 13,913 s, 232 min (with the token's 50 s, 13,963 s: 233).
    it("counts no probe's ID token for a release of a stack without Cloud Run: prod without gcp fits a session of 232 min", () => {
        const awsOnly = planOf((doc) => (doc["multicloud-service:gcp"].enabled = false));
        assert.doesNotThrow(() => checkAwsSessionOfRelease(awsOnly, { ...underEnvRun, RELEASE_CREDENTIALS_MINUTES: "232" }));
    });

    // Every stack's environment exports the AWS session, whichever clouds the stack deploys to (deployments/escEnvironments.ts
    // loginDefinition), and a release of a stack without AWS reads nothing with it.
    it("lets a release of a stack without AWS through, however long, on the session its environment exports all the same", () => {
        const googleOnly = longReleaseWithout("aws");
        assert.ok(releaseWindowOf(googleOnly).worstCaseMinutes > 240);
        assert.doesNotThrow(() => checkAwsSessionOfRelease(googleOnly, underEnvRun));
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

// The check above only helps if the release runs it: `npm run release -- acme/prod` as a process, under what `pulumi env
// run` exports, against a `pulumi` that answers what the release asks of it (its version, the stack's config) and an ESC
// API holding no release state. It must stop at the check, once it has read the settings and before it reads a metric.
describe("npm run release, by hand on ESC's AWS session", function () {
    this.timeout(60_000);

    it("stops, before it reads a metric or changes anything, when the release may outlive the session", async () => {
        const dir = scratchDir("release-by-hand");
        fs.mkdirSync(path.join(dir, "bin"));
        const pinned = pinnedCliVersion();
        // `pulumi config --show-secrets --json` lists each key with its value and whether it is secret (pulumi/pulumi
        // pkg/cmd/pulumi/config/config.go listConfig); `pulumi version` prints "v" and the version (version.go).
        const prod = readStackFile("prod");
        fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify(Object.fromEntries(Object.entries(prod.config).map(([k, v]) => [k, { value: v, secret: prod.secretKeys.includes(k) }]))));
        fs.writeFileSync(
            path.join(dir, "bin", "pulumi"),
            `#!/usr/bin/env bash\ncase "$1" in version) echo "v${pinned}";; config) cat "${path.join(dir, "config.json")}";; esac\n`,
            { mode: 0o755 },
        );
        // ESC's GET of an environment answers its YAML definition with its ETag and revision (pulumi/esc
        // cmd/esc/cli/client/client.go GetEnvironment); one with no pulumiConfig holds no release state.
        const requests: string[] = [];
        const esc = http.createServer((req, res) => {
            requests.push(`${req.method} ${req.url}`);
            res.writeHead(200, { "Content-Type": "application/x-yaml", ETag: "etag-1", "Pulumi-ESC-Revision": "1" }).end("values: {}\n");
        });
        await new Promise<void>((resolve) => esc.listen(0, "127.0.0.1", resolve));
        try {
            const env = mergedEnvironment(process.env, {
                PATH: `${path.join(dir, "bin")}${path.delimiter}${process.env.PATH}`,
                PULUMI_BACKEND_URL: `http://127.0.0.1:${(esc.address() as AddressInfo).port}`,
                PULUMI_ACCESS_TOKEN: "pul-test-token",
                AWS_ACCESS_KEY_ID: "ASIAEXAMPLE",
                AWS_SECRET_ACCESS_KEY: "secret-from-aws-login",
                AWS_SESSION_TOKEN: "session-from-aws-login",
                RELEASE_CREDENTIALS_MINUTES: "200",
                GOOGLE_OAUTH_ACCESS_TOKEN: undefined,
            });
            const ran = await new Promise<{ code: number | null; stderr: string }>((resolve) =>
                execFile(process.execPath, ["scripts/build/run.js", "release/cli.ts", "acme/prod"], { cwd: PROJECT_ROOT, env, timeout: 50_000 }, (err, _stdout, stderr) =>
                    resolve({ code: err ? (err as { code?: number }).code ?? null : 0, stderr }),
                ),
            );
            assert.strictEqual(ran.stderr.trim().split("\n").pop(), `release: the AWS session in AWS_SESSION_TOKEN (ESC's aws-login, under pulumi env run) lasts 200 min (RELEASE_CREDENTIALS_MINUTES) while prod's release may take ${releaseWindowOf(planOf()).worstCaseMinutes}: its CloudWatch reads and Lambda probes would fail part-way, with traffic on the new version. Lower release.maxWaitMinutes, release.steps or image.waitMinutes, or lengthen the prod environment's credentials (deployments/escEnvironments.ts)`);
            assert.strictEqual(ran.code, 1);
            assert.deepStrictEqual(requests, ["GET /api/esc/environments/acme/multicloud-service/prod-release"], "it read the release state, and wrote none");
        } finally {
            esc.close();
        }
    });
});
