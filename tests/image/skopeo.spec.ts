import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { SKOPEO_COPY, skopeoCopy } from "../../scripts/image/skopeo";
import { RepositoryTarget, cloudRegistries } from "../../scripts/image/registries";
import { stoppedPromotionMessage } from "../../scripts/image/promotionStopped";
import { useCloudApisInProcess } from "../../scripts/offline/cloudApiServer";
import { FAKE_ECR_PASSWORD } from "../../scripts/offline/fakeOciRegistryApi";
import { MockCloud } from "../../scripts/offline/mockCloud";
import { scratchDir } from "../harness/tempDirs";
import { withProcessEnvironment } from "../../scripts/offline/environment";

const ECR = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com";
const DIGEST = `sha256:${"c".repeat(64)}`;
/** A real promotion's bound on one copy, read before the test below shortens it. */
const COPY_BOUND_MS = SKOPEO_COPY.timeoutMs;
const SECRETS = { source: "eyJwYXlsb2FkIjoiZGV2LXRva2VuIn0", destination: "eyJwYXlsb2FkIjoicHJvZC10b2tlbiJ9" };

/**
 * A stand-in `skopeo` first on PATH: it records its arguments and the auth file it was given, then fails as skopeo does
 * when the source is missing: a logrus fatal line on stderr and exit 2 (containers/skopeo cmd/skopeo/main.go: an
 * isNotFoundImageError is logged at fatal level, then logrus.Exit(2); skopeo(1) "EXIT STATUS": 2, the input image
 * cannot be found), with ECR's own message after the distribution code (containers/image docker/errors.go keeps it).
 */
function fakeSkopeo(): { bin: string; log: string } {
    const bin = scratchDir("skopeo-bin");
    const log = path.join(bin, "calls.log");
    const script = [
        "#!/usr/bin/env bash",
        `echo "ARGS $*" >> "${log}"`,
        'prev=""; for a in "$@"; do if [[ "$prev" == "--src-authfile" ]]; then echo "AUTH $(cat "$a")" >> "' + log + '"; echo "AUTHFILE $a" >> "' + log + '"; echo "MODE $(stat -c %a "$a")" >> "' + log + '"; fi; prev="$a"; done',
        `echo 'time="2026-12-02T22:00:00Z" level=fatal msg="initializing source docker://${ECR}/multicloud-service-dev@${DIGEST}: reading manifest ${DIGEST} in ${ECR}/multicloud-service-dev: manifest unknown: Requested image not found"' >&2`,
        "exit 2",
    ].join("\n");
    fs.writeFileSync(path.join(bin, "skopeo"), script, { mode: 0o755 });
    return { bin, log };
}

describe("the promotion's copy (skopeo) keeps the registry logins out of its command line and its errors", () => {
    it("logins go in an auth file that is gone afterwards; a failed copy says skopeo's reason, not the tokens", async () => {
        const { bin, log } = fakeSkopeo();
        // dev's and prod's repositories on one ECR host, each with its own login.
        const logins = [
            { repository: `${ECR}/multicloud-service-dev`, user: "AWS", password: SECRETS.source },
            { repository: `${ECR}/multicloud-service-prod`, user: "AWS", password: SECRETS.destination },
        ];
        const error = await withProcessEnvironment({ PATH: `${bin}:${process.env.PATH}` }, () =>
            skopeoCopy(`docker://${ECR}/multicloud-service-dev@${DIGEST}`, `docker://${ECR}/multicloud-service-prod:c-1`, logins).then(
                () => assert.fail("the stand-in skopeo fails"),
                (err: Error) => err,
            ),
        );
        assert.match(error.message, /^skopeo copy docker:\/\/.+ failed: time=".*" level=fatal msg="initializing source .*: manifest unknown: Requested image not found"$/);
        for (const secret of Object.values(SECRETS)) assert.ok(!error.message.includes(secret), "a token in the error");
        const calls = fs.readFileSync(log, "utf8");
        const args = /^ARGS (.*)$/m.exec(calls)![1];
        assert.ok(!/--(src|dest)-creds/.test(args) && !Object.values(SECRETS).some((s) => args.includes(s)), args);
        assert.match(args, /^copy --preserve-digests --src-authfile \S+ --dest-authfile \S+ docker:\/\//);
        const auths = JSON.parse(/^AUTH (.*)$/m.exec(calls)![1]).auths;
        assert.strictEqual(Buffer.from(auths[`${ECR}/multicloud-service-dev`].auth, "base64").toString(), `AWS:${SECRETS.source}`);
        assert.strictEqual(Buffer.from(auths[`${ECR}/multicloud-service-prod`].auth, "base64").toString(), `AWS:${SECRETS.destination}`);
        // While it is there, the tokens in it are the owner's alone (the file is written 0600).
        assert.strictEqual(/^MODE (.*)$/m.exec(calls)![1], "600");
        assert.ok(!fs.existsSync(/^AUTHFILE (.*)$/m.exec(calls)![1]), "the auth file is removed");
    });
});

/**
 * What the promotion hands skopeo (scripts/image/registries.ts, cloudRegistries): the stand-in above records the
 * command line and the auth file; ECR's login is the loopback GetAuthorizationToken (scripts/offline/fakeAwsApis.ts).
 */
describe("the promotion's registries copy dev's image by digest to prod's tag, with a login for each", () => {
    let restore: () => void;
    before(async () => {
        restore = await useCloudApisInProcess(new MockCloud({ aws: "ap-northeast-1", gcp: "asia-northeast1" }, "multicloud-service-dev"));
    });
    after(() => restore());

    const target = (name: string): RepositoryTarget => ({ cloud: "aws", repository: `${ECR}/${name}`, tag: "c-1", platform: "linux/arm64" });

    // Before (a mutant of it): the source was named by its tag, which may have moved since dev deployed the digest
    // checked; the destination by the digest, which skopeo pushes untagged, where prod's `pulumi up` never looks; or
    // only the destination's login went in the auth file, and ECR refuses dev's pull without one.
    it("source by digest, destination by tag, both repositories logged in", async () => {
        const { bin, log } = fakeSkopeo();
        await withProcessEnvironment({ PATH: `${bin}:${process.env.PATH}` }, () =>
            cloudRegistries().copy(target("multicloud-service-dev"), DIGEST, target("multicloud-service-prod")).then(
                () => assert.fail("the stand-in skopeo fails"),
                () => undefined,
            ),
        );
        const calls = fs.readFileSync(log, "utf8");
        const args = /^ARGS (.*)$/m.exec(calls)![1].split(" ");
        assert.deepStrictEqual(args.slice(-2), [`docker://${ECR}/multicloud-service-dev@${DIGEST}`, `docker://${ECR}/multicloud-service-prod:c-1`]);
        const auths = JSON.parse(/^AUTH (.*)$/m.exec(calls)![1]).auths;
        for (const name of ["multicloud-service-dev", "multicloud-service-prod"]) {
            assert.strictEqual(Buffer.from(auths[`${ECR}/${name}`]?.auth ?? "", "base64").toString(), `AWS:${FAKE_ECR_PASSWORD}`, `${name}'s login`);
        }
    });

    // Where the promotion reads the .sig and .att and verifies: the target's ECR repository, not its account's id.
    it("reaches an ECR target's own repository for its signature and attestations", async () => {
        const repository = await cloudRegistries().oci(target("multicloud-service-dev"));
        assert.deepStrictEqual([repository.host, repository.name], [ECR, "multicloud-service-dev"]);
        assert.deepStrictEqual(await repository.credentials?.(), { user: "AWS", password: FAKE_ECR_PASSWORD });
    });
});

/**
 * A stand-in `skopeo` that never finishes: the behaviour of a copy stuck on a registry that takes the request and
 * stays silent (no words: it prints nothing). Node's execFile has no time limit of its own (child_process docs,
 * execFile `timeout`, "Default: 0"). Before: the copy, and `npm run image -- promote`, waited for it without end.
 */
describe("the promotion's copy (skopeo) has an end", () => {
    it("a skopeo that never finishes is stopped at the bound, and the copy fails saying so", async () => {
        const bin = scratchDir("skopeo-hung");
        const pidFile = path.join(bin, "pid");
        fs.writeFileSync(path.join(bin, "skopeo"), ["#!/usr/bin/env bash", `echo $$ > "${pidFile}"`, "exec sleep 600"].join("\n"), { mode: 0o755 });
        // Shortened where every copy reads it (registries.ts passes none of its own), so the bound tested is the one a promotion has.
        SKOPEO_COPY.timeoutMs = 500;
        const started = Date.now();
        const error = await withProcessEnvironment({ PATH: `${bin}:${process.env.PATH}` }, () =>
            skopeoCopy(`docker://${ECR}/multicloud-service-dev@${DIGEST}`, `docker://${ECR}/multicloud-service-prod:c-1`, []).then(
                () => assert.fail("the stand-in skopeo never finishes"),
                (err: Error) => err,
            ),
        ).finally(() => (SKOPEO_COPY.timeoutMs = COPY_BOUND_MS));
        assert.ok(Date.now() - started < 5_000, `the copy ended after ${Date.now() - started} ms`);
        assert.match(error.message, /^skopeo copy docker:\/\/\S+ docker:\/\/\S+ did not finish within 1 s \(a registry that takes the request and stays silent\) and was stopped$/);
        // The promotion it stops gives the remedy. Before: the copy said "run the promotion again" too, and the stopped
        // promotion's message said it twice.
        const prod: RepositoryTarget = { cloud: "aws", repository: `${ECR}/multicloud-service-prod`, tag: "c-1", platform: "linux/arm64" };
        const stopped = stoppedPromotionMessage({ from: "dev", to: "prod" }, [prod], [], error.message);
        assert.strictEqual(stopped.match(/run the (promotion|same command) again/gi)?.length, 1, stopped);
        // The stand-in itself was ended, not left running behind the release.
        const pid = Number(fs.readFileSync(pidFile, "utf8"));
        assert.throws(() => process.kill(pid, 0), { code: "ESRCH" });
    });

    // The images guide gives the bound in minutes, in its paragraph on the promotion: the figure is the code's.
    it("docs/images.md gives the copy's bound as it is", () => {
        const guide = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "images.md"), "utf8").replace(/\s+/g, " ");
        const stated = /each copy, [^;)]*?within (\d+) minutes/.exec(guide);
        assert.ok(stated, "docs/images.md states no bound for the promotion's skopeo copy");
        assert.equal(Number(stated[1]) * 60_000, COPY_BOUND_MS);
    });
});
