import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { cosignTag } from "../../components/image/cosignSignature";
import { PromotionError, PromotionPlan, promote } from "../../scripts/image/promote";
import { Registries, RepositoryTarget } from "../../scripts/image/registries";
import { skopeoCopy } from "../../scripts/image/skopeo";
import { cosignAttestations, cosignSignature } from "../../scripts/offline/fakeCosign";
import { fakeSigningKey } from "../../scripts/offline/fakeKms";
import { OCI_MANIFEST, REGISTRY_PASSWORD, REGISTRY_USER, RealRegistry, missingRegistryTools, pushArtifact, pushImage, startRealRegistry } from "../harness/realRegistry";
import { scratchDir } from "../harness/tempDirs";
import { startUploadResettingFront } from "../harness/uploadResettingFront";
import { withProcessEnvironment } from "../../scripts/offline/environment";

/**
 * The promotion's copy (scripts/image/skopeo.ts) with the real tools, not stand-ins: Debian's skopeo and the reference
 * OCI registry, distribution's `registry` (Debian's docker-registry), behind htpasswd Basic auth. What the stand-in
 * skopeo of skopeo.spec.ts cannot show: that skopeo takes the logins the auth file keys by repository
 * (containers-auth.json(5)), that `--preserve-digests` copies cosign's `.sig` and `.att` (OCI manifests whose layers
 * are cosign's own media types) byte for byte, skopeo's own words for a missing image and a refused login, and what a
 * promotion (scripts/image/promote.ts) says and leaves when a copy is cut off on the network, and what its second run does
 * (tests/harness/realRegistry.ts says where the tools come from and what a real registry of another make shows).
 */
const DEV = "multicloud-service-dev";
const PROD = "multicloud-service-prod";

/** An image, and cosign's signature and attestations of it as image.yml pushes them (scripts/offline/fakeCosign.ts). */
async function pushSignedImage(registry: RealRegistry, tag: string) {
    const key = fakeSigningKey().privateKey;
    const image = await pushImage(registry, DEV, tag);
    const reference = `${registry.host}/${DEV}`;
    const sig = cosignSignature(reference, image.digest, key);
    const att = cosignAttestations(reference, image.digest, key);
    const pushed = async (suffix: "sig" | "att", artifact: typeof sig) => ({ digest: await pushArtifact(registry, DEV, cosignTag(image.digest, suffix), artifact), bytes: artifact.manifest.toString() });
    return { image, sig: await pushed("sig", sig), att: await pushed("att", att) };
}

describe("the promotion's copy with the real skopeo and a real registry (distribution, htpasswd)", function () {
    this.timeout(60_000);
    let registry: RealRegistry | undefined;
    let home = "";

    before(async function () {
        const missing = missingRegistryTools(["skopeo", "docker-registry", "htpasswd"]);
        if (missing.length > 0) {
            console.log(`      skipped: ${missing.join(", ")} not installed (.ci/run installs Debian's skopeo, docker-registry and apache2-utils where it runs as root)`);
            this.skip();
        }
        const dir = scratchDir("real-registry");
        registry = await startRealRegistry(dir);
        // The loopback registry speaks plain HTTP: skopeo may use it once registries.conf(5) marks it insecure, and it
        // reads the user's own file before the system's (containers/image sysregistriesv2); the production copy's
        // arguments stay as they are.
        home = scratchDir("skopeo-home");
        fs.mkdirSync(path.join(home, ".config", "containers"), { recursive: true });
        fs.writeFileSync(registriesConf(), `[[registry]]\nlocation = "${registry.host}"\ninsecure = true\n`);
    });

    after(async () => registry?.stop());

    const registriesConf = () => path.join(home, ".config", "containers", "registries.conf");

    const copy = (source: string, destination: string, password = REGISTRY_PASSWORD) =>
        withProcessEnvironment({ HOME: home }, () =>
            skopeoCopy(source, destination, [
                { repository: `${registry!.host}/${DEV}`, user: REGISTRY_USER, password },
                { repository: `${registry!.host}/${PROD}`, user: REGISTRY_USER, password },
            ]),
        );

    it("copies the image by digest and cosign's .sig and .att under their tags, byte for byte (--preserve-digests), with the logins keyed by repository", async () => {
        const { image, sig, att } = await pushSignedImage(registry!, "c-1");
        const host = registry!.host;
        await copy(`docker://${host}/${DEV}@${image.digest}`, `docker://${host}/${PROD}:c-1`);
        for (const [tag, pushed] of [[cosignTag(image.digest, "sig"), sig], [cosignTag(image.digest, "att"), att]] as const) {
            await copy(`docker://${host}/${DEV}@${pushed.digest}`, `docker://${host}/${PROD}:${tag}`);
        }
        for (const [reference, pushed] of [["c-1", image], [cosignTag(image.digest, "sig"), sig], [cosignTag(image.digest, "att"), att]] as const) {
            const res = await registry!.api("GET", `/v2/${PROD}/manifests/${reference}`, { headers: { accept: OCI_MANIFEST } });
            assert.strictEqual(res.status, 200, reference);
            assert.strictEqual(res.headers.get("docker-content-digest"), pushed.digest, `${reference}: the same digest in prod`);
            assert.strictEqual(await res.text(), pushed.bytes, `${reference}: the same bytes`);
        }
    });

    it("a digest the source does not have fails in skopeo's own words (distribution's MANIFEST_UNKNOWN), without the login", async () => {
        const missing = `sha256:${"e".repeat(64)}`;
        const host = registry!.host;
        const error = await copy(`docker://${host}/${DEV}@${missing}`, `docker://${host}/${PROD}:c-2`).then(
            () => assert.fail("copied an image the registry does not have"),
            (err: Error) => err,
        );
        // The form skopeo.spec.ts's stand-in prints (logrus' fatal line: "initializing source ...: reading manifest
        // <digest> in <repository>: manifest unknown: ..."), here with distribution's message after the code.
        assert.match(error.message, new RegExp(`^skopeo copy docker://.+ failed: time=".*" level=fatal msg="initializing source docker://${host}/${DEV}@${missing}: reading manifest ${missing} in ${host}/${DEV}: manifest unknown`));
        assert.ok(!error.message.includes(REGISTRY_PASSWORD), "the password in the error");
    });

    // The command line (the logins only in the auth file) is skopeo.spec.ts's, where the stand-in records its arguments.
    it("a login the registry refuses fails naming the refusal, and the password is not in the error", async () => {
        const { image } = await pushSignedImage(registry!, "c-3");
        const host = registry!.host;
        const wrong = "not-the-password";
        const error = await copy(`docker://${host}/${DEV}@${image.digest}`, `docker://${host}/${PROD}:c-3`, wrong).then(
            () => assert.fail("copied with a refused login"),
            (err: Error) => err,
        );
        assert.match(error.message, /unauthorized|authentication required/i);
        assert.ok(!error.message.includes(wrong) && !error.message.includes(REGISTRY_PASSWORD), error.message);
    });

    /** The promotion's registries over the real one: its tags read through the OCI API, its copies made by the real skopeo. */
    const realRegistries = (): Registries => ({
        digestOf: async (t) => {
            const name = t.repository.split("/").slice(1).join("/");
            const res = await registry!.api("HEAD", `/v2/${name}/manifests/${t.tag}`, { headers: { accept: OCI_MANIFEST } });
            return res.status === 404 ? undefined : res.headers.get("docker-content-digest")!;
        },
        // Each side's login keyed by its repository, as cloudRegistries' copy gives them.
        copy: (from, digest, to) =>
            withProcessEnvironment({ HOME: home }, () =>
                skopeoCopy(`docker://${from.repository}@${digest}`, `docker://${to.repository}:${to.tag}`, [from, to].map((t) => ({ repository: t.repository, user: REGISTRY_USER, password: REGISTRY_PASSWORD }))),
            ),
        oci: async () => assert.fail("the promotion verifies nothing here (no image.verify)"),
    });

    // Before: the promotion failed with skopeo's line alone ("image: skopeo copy ... failed: ..."), which says nothing
    // of aws, already promoted, nor whether running it again is safe (it is: what is there is not copied again).
    it("a copy to the second cloud cut off on the network (connection reset) names each cloud's state, and the same promotion run again finishes it", async () => {
        const host = registry!.host;
        const front = await startUploadResettingFront(host);
        try {
            fs.appendFileSync(registriesConf(), `[[registry]]\nlocation = "${front.host}"\ninsecure = true\n`);
            const [aws, gcp] = [await pushSignedImage(registry!, "c-aws-4"), await pushSignedImage(registry!, "c-gcp-4")];
            const target = (cloud: "aws" | "gcp", repository: string): RepositoryTarget => ({ cloud, repository, tag: `c-${cloud}-4`, platform: "linux/arm64" });
            const plan: PromotionPlan = {
                from: "dev",
                to: "prod",
                source: [target("aws", `${host}/${DEV}`), target("gcp", `${host}/${DEV}`)],
                destination: [target("aws", `${host}/${PROD}`), target("gcp", `${front.host}/${PROD}-gcp`)],
            };
            const running = { aws: aws.image.digest, gcp: gcp.image.digest };
            front.resetUploads = true;
            const stopped = await promote(plan, running, realRegistries(), () => {}).then(
                () => assert.fail("promoted through a reset connection"),
                (err: Error) => err,
            );
            assert.ok(stopped instanceof PromotionError, `printed as the tool's own message, not "image: ...": ${stopped.stack}`);
            const [first, ...states] = stopped.message.split("\n");
            // skopeo's own line for the reset: the POST's transport error as Go's net/http words it, which containers/image
            // docker/docker_image_dest.go (PutBlobWithOptions) returns unwrapped, under copy's "writing blob: ".
            assert.match(first, new RegExp(`^the promotion of dev into prod stopped on gcp: skopeo copy docker://${host}/${DEV}@${gcp.image.digest} docker://${front.host}/${PROD}-gcp:c-gcp-4 failed: time=".*" level=fatal msg="writing blob: Post \\\\"http://${front.host}/v2/${PROD}-gcp/blobs/uploads/\\\\": read tcp .*: read: connection reset by peer"$`));
            assert.deepStrictEqual(states, [
                `  aws: promoted (${host}/${PROD}:c-aws-4 is ${aws.image.digest})`,
                `  gcp: not promoted: stopped while copying into ${front.host}/${PROD}-gcp:c-gcp-4 (what was copied stays)`,
                "Run the same command again (`npm run image -- promote dev prod`; in deploy-prod.yml, re-run the failed job) once the cause above is dealt with (a reset connection or a registry's 5xx: at once), even once dev runs a newer commit (prod's copy of aws shows that every cloud's checks passed): what prod's registries hold already is not copied again, the rest is.",
            ]);

            front.resetUploads = false;
            const again = await promote(plan, running, realRegistries(), () => {});
            assert.deepStrictEqual(again.map((r) => [r.cloud, r.action]), [["aws", "already there"], ["gcp", "copied"]]);
            for (const [reference, pushed] of [["c-gcp-4", gcp.image], [cosignTag(gcp.image.digest, "sig"), gcp.sig], [cosignTag(gcp.image.digest, "att"), gcp.att]] as const) {
                const res = await registry!.api("HEAD", `/v2/${PROD}-gcp/manifests/${reference}`, { headers: { accept: OCI_MANIFEST } });
                assert.strictEqual(res.headers.get("docker-content-digest"), pushed.digest, `${reference} in prod's gcp repository after the second run`);
            }
        } finally {
            await front.stop();
        }
    });
});
