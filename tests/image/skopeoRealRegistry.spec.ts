import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { cosignTag } from "../../components/image/cosignSignature";
import { skopeoCopy } from "../../scripts/image/skopeo";
import { cosignAttestations, cosignSignature } from "../../scripts/offline/fakeCosign";
import { fakeSigningKey } from "../../scripts/offline/fakeKms";
import { OCI_MANIFEST, REGISTRY_PASSWORD, REGISTRY_USER, RealRegistry, missingRegistryTools, pushArtifact, pushImage, startRealRegistry } from "../harness/realRegistry";
import { scratchDir } from "../harness/tempDirs";
import { withProcessEnvironment } from "../../scripts/offline/environment";

/**
 * The promotion's copy (scripts/image/skopeo.ts) with the real tools, not stand-ins: Debian's skopeo and the reference
 * OCI registry, distribution's `registry` (Debian's docker-registry), behind htpasswd Basic auth. What the stand-in
 * skopeo of skopeo.spec.ts cannot show: that skopeo takes the logins the auth file keys by repository
 * (containers-auth.json(5)), that `--preserve-digests` copies cosign's `.sig` and `.att` (OCI manifests whose layers
 * are cosign's own media types) byte for byte, and skopeo's own words for a missing image and a refused login
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
        fs.writeFileSync(path.join(home, ".config", "containers", "registries.conf"), `[[registry]]\nlocation = "${registry.host}"\ninsecure = true\n`);
    });

    after(async () => registry?.stop());

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
});
