import * as assert from "assert";
import { ChildProcess, spawn, spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { freePort, stop } from "../../scripts/bench/processes";
import type { OciArtifact } from "../../scripts/offline/fakeCosign";

/**
 * The reference OCI registry, distribution's `registry` (Debian's docker-registry), on loopback behind htpasswd Basic
 * auth, for the specs that check the image path against a real registry rather than the stand-in
 * (scripts/offline/fakeOciRegistryApi.ts). .ci/run installs it where it runs as root or in CI with sudo; elsewhere
 * those specs skip, saying so (missingRegistryTools). It is not ECR or Artifact Registry: what it shows is the OCI
 * distribution spec's side and the clients', not those registries' own answers.
 */
export const REGISTRY_USER = "promoter";
export const REGISTRY_PASSWORD = "s3cret-registry-password";
export const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
export const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
const OCI_CONFIG = "application/vnd.oci.image.config.v1+json";

export const sha256 = (bytes: Buffer | string) => `sha256:${createHash("sha256").update(bytes).digest("hex")}`;

/** Which of `tools` (the registry's own are docker-registry and htpasswd) are not on PATH. */
export const missingRegistryTools = (tools: string[] = ["docker-registry", "htpasswd"]) => tools.filter((tool) => spawnSync("sh", ["-c", `command -v ${tool}`]).status !== 0);

export interface RealRegistry {
    /** `127.0.0.1:<port>`, plain HTTP. */
    host: string;
    /** A request to the registry's API, with the login unless `authorization` is given (null: none). */
    api: (method: string, pathAndQuery: string, init?: { body?: Buffer | string; headers?: Record<string, string>; authorization?: string | null }) => Promise<Response>;
    stop: () => Promise<void>;
}

/** Starts distribution's registry on loopback, its storage and htpasswd (bcrypt, all it reads) in `dir`. */
export async function startRealRegistry(dir: string): Promise<RealRegistry> {
    const port = await freePort();
    const htpasswd = spawnSync("htpasswd", ["-Bbn", REGISTRY_USER, REGISTRY_PASSWORD], { encoding: "utf8" });
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
    const login = `Basic ${Buffer.from(`${REGISTRY_USER}:${REGISTRY_PASSWORD}`).toString("base64")}`;
    const api: RealRegistry["api"] = (method, pathAndQuery, init = {}) => {
        const authorization = init.authorization === undefined ? login : init.authorization;
        return fetch(pathAndQuery.startsWith("http") ? pathAndQuery : `http://${host}${pathAndQuery}`, {
            method,
            body: init.body,
            headers: { ...(authorization !== null && { authorization }), ...init.headers },
        });
    };
    for (let waited = 0; ; waited += 100) {
        const ready = await api("GET", "/v2/").then((res) => res.status === 200, () => false);
        if (ready) break;
        if (waited > 10_000 || child.exitCode !== null) {
            // Stopped here: the caller has no handle on a registry that never answered, and its after() none to stop.
            await stop(child);
            throw new Error(`the registry did not start: ${stderr}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return { host, api, stop: () => stop(child) };
}

/** Pushes a blob (monolithic upload: OCI distribution spec, "Pushing a blob monolithically"); returns its descriptor. */
export async function pushBlob(registry: RealRegistry, repository: string, mediaType: string, bytes: Buffer | string, annotations?: Record<string, string>) {
    const digest = sha256(bytes);
    const started = await registry.api("POST", `/v2/${repository}/blobs/uploads/`);
    assert.strictEqual(started.status, 202, await started.text());
    const url = new URL(started.headers.get("location")!, `http://${registry.host}`);
    url.searchParams.set("digest", digest);
    const put = await registry.api("PUT", url.href, { body: bytes, headers: { "content-type": "application/octet-stream" } });
    assert.strictEqual(put.status, 201, await put.text());
    return { mediaType, digest, size: Buffer.byteLength(bytes), ...(annotations && { annotations }) };
}

/** Pushes a manifest (its own media type) under `reference`; returns its digest and bytes. */
export async function pushManifest(registry: RealRegistry, repository: string, reference: string, manifest: { mediaType: string }) {
    const bytes = JSON.stringify(manifest);
    return { digest: await putManifest(registry, repository, reference, bytes, manifest.mediaType), bytes };
}

/** PUT of a manifest's bytes under `reference` (OCI distribution spec, "Pushing Manifests"); returns their digest. */
async function putManifest(registry: RealRegistry, repository: string, reference: string, bytes: Buffer | string, mediaType: string): Promise<string> {
    const put = await registry.api("PUT", `/v2/${repository}/manifests/${reference}`, { body: bytes, headers: { "content-type": mediaType } });
    assert.strictEqual(put.status, 201, await put.text());
    return sha256(bytes);
}

/** Pushes an artifact as the offline stand-ins hold it (scripts/offline/fakeCosign.ts): its blobs, then its manifest. */
export async function pushArtifact(registry: RealRegistry, repository: string, reference: string, artifact: OciArtifact) {
    for (const bytes of artifact.blobs.values()) await pushBlob(registry, repository, "application/octet-stream", bytes);
    return putManifest(registry, repository, reference, artifact.manifest, JSON.parse(artifact.manifest.toString()).mediaType);
}

/** A single-platform image (an OCI manifest over a config and one layer) under `tag`. */
export async function pushImage(registry: RealRegistry, repository: string, tag: string) {
    const config = await pushBlob(registry, repository, OCI_CONFIG, JSON.stringify({ architecture: "arm64", os: "linux", rootfs: { type: "layers", diff_ids: [] } }));
    const layer = await pushBlob(registry, repository, "application/vnd.oci.image.layer.v1.tar+gzip", Buffer.from(`not really a tarball (${tag}), which no registry reads`));
    return pushManifest(registry, repository, tag, { schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers: [layer] } as { mediaType: string });
}
