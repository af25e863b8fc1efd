import * as assert from "assert";
import { ChildProcess, spawn, spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { cosignTag } from "../../components/image/cosignSignature";
import { skopeoCopy } from "../../scripts/image/skopeo";
import { withEnv } from "../harness/fakeDockerEngine";
import { scratchDir } from "../harness/tempDirs";

/**
 * The promotion's copy (scripts/image/skopeo.ts) with the real tools, not stand-ins: Debian's skopeo and the reference
 * OCI registry, distribution's `registry` (Debian's docker-registry), behind htpasswd Basic auth. What the stand-in
 * skopeo of skopeo.spec.ts cannot show: that skopeo takes the logins the auth file keys by repository
 * (containers-auth.json(5)), that `--preserve-digests` copies cosign's `.sig` and `.att` (OCI manifests whose layers
 * are cosign's own media types) byte for byte, and skopeo's own words for a missing image and a refused login.
 * .ci/run installs the tools where it runs as root; elsewhere this skips, saying so. Distribution is not ECR or
 * Artifact Registry: what it shows is skopeo's side and the OCI spec's, not those registries' own answers.
 */
const USER = "promoter";
const PASSWORD = "s3cret-registry-password";
const DEV = "multicloud-service-dev";
const PROD = "multicloud-service-prod";
const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
const OCI_CONFIG = "application/vnd.oci.image.config.v1+json";

const sha256 = (bytes: Buffer | string) => `sha256:${createHash("sha256").update(bytes).digest("hex")}`;

const missingTools = () => ["skopeo", "docker-registry", "htpasswd"].filter((tool) => spawnSync("sh", ["-c", `command -v ${tool}`]).status !== 0);

async function freePort(): Promise<number> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    return port;
}

interface Registry {
    host: string;
    /** A request to the registry's API with the login, as a client that has it would send. */
    api: (method: string, pathAndQuery: string, init?: { body?: Buffer | string; headers?: Record<string, string> }) => Promise<Response>;
    stop: () => Promise<void>;
}

/** distribution's registry on loopback, its storage and htpasswd (bcrypt, which is all it reads) in `dir`. */
async function startRegistry(dir: string): Promise<Registry> {
    const port = await freePort();
    const htpasswd = spawnSync("htpasswd", ["-Bbn", USER, PASSWORD], { encoding: "utf8" });
    assert.strictEqual(htpasswd.status, 0, htpasswd.stderr);
    fs.writeFileSync(path.join(dir, "htpasswd"), htpasswd.stdout);
    const config = [
        "version: 0.1",
        "log:",
        "  level: error",
        "storage:",
        "  filesystem:",
        `    rootdirectory: ${path.join(dir, "storage")}`,
        "http:",
        `  addr: 127.0.0.1:${port}`,
        "auth:",
        "  htpasswd:",
        "    realm: basic-realm",
        `    path: ${path.join(dir, "htpasswd")}`,
    ].join("\n");
    fs.writeFileSync(path.join(dir, "config.yml"), config);
    const child: ChildProcess = spawn("docker-registry", ["serve", path.join(dir, "config.yml")], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr!.on("data", (d) => (stderr += d));
    const host = `127.0.0.1:${port}`;
    const authorization = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString("base64")}`;
    const api: Registry["api"] = (method, pathAndQuery, init = {}) =>
        fetch(pathAndQuery.startsWith("http") ? pathAndQuery : `http://${host}${pathAndQuery}`, { method, body: init.body, headers: { authorization, ...init.headers } });
    for (let waited = 0; ; waited += 100) {
        const ready = await api("GET", "/v2/").then((res) => res.status === 200, () => false);
        if (ready) break;
        if (waited > 10_000 || child.exitCode !== null) throw new Error(`the registry did not start: ${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return { host, api, stop: () => new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : (child.once("exit", () => resolve()), child.kill()))) };
}

/** Pushes a blob (monolithic upload: OCI distribution spec, "Pushing a blob monolithically"); returns its descriptor. */
async function pushBlob(registry: Registry, repository: string, mediaType: string, bytes: Buffer | string, annotations?: Record<string, string>) {
    const digest = sha256(bytes);
    const started = await registry.api("POST", `/v2/${repository}/blobs/uploads/`);
    assert.strictEqual(started.status, 202, await started.text());
    const location = started.headers.get("location")!;
    const url = new URL(location, `http://${registry.host}`);
    url.searchParams.set("digest", digest);
    const put = await registry.api("PUT", url.href, { body: bytes, headers: { "content-type": "application/octet-stream" } });
    assert.strictEqual(put.status, 201, await put.text());
    return { mediaType, digest, size: Buffer.byteLength(bytes), ...(annotations && { annotations }) };
}

/** Pushes an OCI image manifest under `reference`; returns its bytes' digest and the bytes. */
async function pushManifest(registry: Registry, repository: string, reference: string, manifest: object) {
    const bytes = JSON.stringify(manifest);
    const put = await registry.api("PUT", `/v2/${repository}/manifests/${reference}`, { body: bytes, headers: { "content-type": OCI_MANIFEST } });
    assert.strictEqual(put.status, 201, await put.text());
    return { digest: sha256(bytes), bytes };
}

/** An image, and cosign's signature and attestation of it as cosign lays them out (sigstore/cosign specs/SIGNATURE_SPEC.md, ATTESTATION_SPEC.md). */
async function pushSignedImage(registry: Registry) {
    const config = await pushBlob(registry, DEV, OCI_CONFIG, JSON.stringify({ architecture: "arm64", os: "linux", rootfs: { type: "layers", diff_ids: [] } }));
    const layer = await pushBlob(registry, DEV, "application/vnd.oci.image.layer.v1.tar+gzip", Buffer.from("not really a tarball, which no registry reads"));
    const image = await pushManifest(registry, DEV, "c-1", { schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers: [layer] });
    const artifactConfig = await pushBlob(registry, DEV, OCI_CONFIG, JSON.stringify({ architecture: "", os: "", rootfs: { type: "layers", diff_ids: [] } }));
    const payload = JSON.stringify({ critical: { identity: { "docker-reference": `${registry.host}/${DEV}` }, image: { "docker-manifest-digest": image.digest }, type: "cosign container image signature" }, optional: null });
    const sigLayer = await pushBlob(registry, DEV, "application/vnd.dev.cosign.simplesigning.v1+json", payload, { "dev.cosignproject.cosign/signature": "MEUCIQDfakeSignatureOnlyShapeMatters" });
    const sig = await pushManifest(registry, DEV, cosignTag(image.digest, "sig"), { schemaVersion: 2, mediaType: OCI_MANIFEST, config: artifactConfig, layers: [sigLayer] });
    const envelope = JSON.stringify({ payloadType: "application/vnd.in-toto+json", payload: Buffer.from("{}").toString("base64"), signatures: [{ keyid: "", sig: "MEQCIFake" }] });
    const attLayer = await pushBlob(registry, DEV, "application/vnd.dsse.envelope.v1+json", envelope, { predicateType: "https://slsa.dev/provenance/v1" });
    const att = await pushManifest(registry, DEV, cosignTag(image.digest, "att"), { schemaVersion: 2, mediaType: OCI_MANIFEST, config: artifactConfig, layers: [attLayer] });
    return { image, sig, att };
}

describe("the promotion's copy with the real skopeo and a real registry (distribution, htpasswd)", function () {
    this.timeout(60_000);
    let registry: Registry | undefined;
    let home = "";

    before(async function () {
        const missing = missingTools();
        if (missing.length > 0) {
            console.log(`      skipped: ${missing.join(", ")} not installed (.ci/run installs Debian's skopeo, docker-registry and apache2-utils where it runs as root)`);
            this.skip();
        }
        const dir = scratchDir("real-registry");
        registry = await startRegistry(dir);
        // The loopback registry speaks plain HTTP: skopeo may use it once registries.conf(5) marks it insecure, and it
        // reads the user's own file before the system's (containers/image sysregistriesv2); the production copy's
        // arguments stay as they are.
        home = scratchDir("skopeo-home");
        fs.mkdirSync(path.join(home, ".config", "containers"), { recursive: true });
        fs.writeFileSync(path.join(home, ".config", "containers", "registries.conf"), `[[registry]]\nlocation = "${registry.host}"\ninsecure = true\n`);
    });

    after(async () => registry?.stop());

    const copy = (source: string, destination: string, password = PASSWORD) =>
        withEnv({ HOME: home }, () =>
            skopeoCopy(source, destination, [
                { repository: `${registry!.host}/${DEV}`, user: USER, password },
                { repository: `${registry!.host}/${PROD}`, user: USER, password },
            ]),
        );

    it("copies the image by digest and cosign's .sig and .att under their tags, byte for byte (--preserve-digests), with the logins keyed by repository", async () => {
        const { image, sig, att } = await pushSignedImage(registry!);
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
        assert.ok(!error.message.includes(PASSWORD), "the password in the error");
    });

    it("a login the registry refuses fails naming the refusal, and the password is in neither the error nor the command line", async () => {
        const { image } = await pushSignedImage(registry!);
        const host = registry!.host;
        const wrong = "not-the-password";
        const error = await copy(`docker://${host}/${DEV}@${image.digest}`, `docker://${host}/${PROD}:c-3`, wrong).then(
            () => assert.fail("copied with a refused login"),
            (err: Error) => err,
        );
        assert.match(error.message, /unauthorized|authentication required/i);
        assert.ok(!error.message.includes(wrong) && !error.message.includes(PASSWORD), error.message);
    });
});
