import * as assert from "assert";
import { cosignTag } from "../../components/image/cosignSignature";
import { supplyChainProblems } from "../../components/image/imageVerification";
import { MANIFEST_TYPES, OciRepository, RegistryRefusal, manifestByTag } from "../../components/image/ociRegistry";
import { IMAGE_WORKFLOW_REF, artifact, cosignAttestations, cosignSignature } from "../../scripts/offline/fakeCosign";
import { fakeSigningKey } from "../../scripts/offline/fakeKms";
import { FAKE_BEARER, FakeOciRegistryApi } from "../../scripts/offline/fakeOciRegistryApi";
import { FakeRegistry } from "../../scripts/offline/fakeRegistry";
import { OCI_INDEX, OCI_MANIFEST, REGISTRY_PASSWORD, REGISTRY_USER, RealRegistry, missingRegistryTools, pushArtifact, pushImage, startRealRegistry } from "../harness/realRegistry";
import { redirectHost } from "../harness/redirectHost";
import { scratchDir } from "../harness/tempDirs";

/**
 * The program's registry reads (components/image/ociRegistry.ts) and its verification of what image.yml pushes
 * (cosign's `.sig` and `.att`), against the reference OCI registry behind a Basic challenge, as ECR asks for one; and
 * the stand-in's answers (scripts/offline/fakeOciRegistryApi.ts) where it quotes that registry's words. The program
 * reads over HTTPS only; a host of its own (`registry.test`) is sent to the loopback registry (redirectHost).
 */
const HOST = "registry.test";
const PROD = "multicloud-service-prod";
const POLICY = { signingKey: "awskms:///alias/multicloud-service-image-signing", keyRegion: "ap-northeast-1", workflow: IMAGE_WORKFLOW_REF };

describe("the program's registry reads against a real registry (distribution, Basic auth)", function () {
    this.timeout(60_000);
    let registry: RealRegistry | undefined;
    let restoreFetch = () => {};
    const { privateKey, publicKey } = fakeSigningKey();
    const repository = (password = REGISTRY_PASSWORD): OciRepository => ({ host: HOST, name: PROD, credentials: async () => ({ user: REGISTRY_USER, password }) });

    before(async function () {
        const missing = missingRegistryTools();
        if (missing.length > 0) {
            console.log(`      skipped: ${missing.join(", ")} not installed (.ci/run installs Debian's docker-registry and apache2-utils where it runs as root)`);
            this.skip();
        }
        registry = await startRealRegistry(scratchDir("real-registry-reads"));
        restoreFetch = redirectHost(HOST, `http://${registry.host}`);
    });

    after(async () => {
        restoreFetch();
        await registry?.stop();
    });

    it("a signed and attested image verifies: the manifests and blobs read through the Basic challenge", async () => {
        const image = await pushImage(registry!, PROD, "c-1");
        await pushArtifact(registry!, PROD, cosignTag(image.digest, "sig"), cosignSignature(`${HOST}/${PROD}`, image.digest, privateKey));
        await pushArtifact(registry!, PROD, cosignTag(image.digest, "att"), cosignAttestations(`${HOST}/${PROD}`, image.digest, privateKey));
        assert.deepStrictEqual(await supplyChainProblems(repository(), image.digest, POLICY, publicKey), []);
    });

    it("an image without them: the registry's MANIFEST_UNKNOWN for .sig and .att is read as their absence", async () => {
        const image = await pushImage(registry!, PROD, "c-2");
        assert.deepStrictEqual(await supplyChainProblems(repository(), image.digest, POLICY, publicKey), [
            `signature: unsigned: there is no signature (${cosignTag(image.digest, "sig")}: MANIFEST_UNKNOWN)`,
            `provenance: there are no attestations (${cosignTag(image.digest, "att")}: MANIFEST_UNKNOWN)`,
        ]);
    });

    it("a login the registry refuses is a RegistryRefusal in its own words (UNAUTHORIZED), never the password", async () => {
        // There, so that the login is all that is wrong.
        await pushImage(registry!, PROD, "c-3");
        const wrong = "not-the-registry-password";
        await assert.rejects(manifestByTag(repository(wrong), "c-3"), (err: Error) => {
            assert.ok(err instanceof RegistryRefusal, `${err.name}: ${err.message}`);
            assert.match(err.message, new RegExp(`^${HOST} refused the login of ${REGISTRY_USER}: HTTP 401 UNAUTHORIZED: authentication required`));
            assert.ok(!err.message.includes(wrong));
            return true;
        });
    });

    // The stand-in answers a manifest or index the client's Accept does not list in distribution's words
    // (registry/handlers/manifests.go); here the two are asked the same question.
    // What each case stores under its tag: an OCI image manifest, or an OCI index over one image.
    const storedManifest = async () => ({ tag: "an-oci-manifest", stored: artifact([{ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", bytes: Buffer.from("layer"), annotations: {} }]) });
    const storedIndex = async () => {
        const image = await pushImage(registry!, PROD, "in-an-index");
        const index = { schemaVersion: 2, mediaType: OCI_INDEX, manifests: [{ mediaType: OCI_MANIFEST, digest: image.digest, size: Buffer.byteLength(image.bytes), platform: { os: "linux", architecture: "arm64" } }] };
        return { tag: "an-index", stored: { manifest: Buffer.from(JSON.stringify(index)), blobs: new Map<string, Buffer>() } };
    };
    for (const [label, store, accept] of [
        ["an OCI manifest asked for as Docker's only", storedManifest, ["application/vnd.docker.distribution.manifest.v2+json"]],
        ["an OCI index asked for as single manifests (the program's default)", storedIndex, MANIFEST_TYPES],
    ] as const) {
        it(`${label}: the stand-in says what the real registry says`, async () => {
            const { tag, stored } = await store();
            await pushArtifact(registry!, PROD, tag, stored);
            const real = await registry!.api("GET", `/v2/${PROD}/manifests/${tag}`, { headers: { accept: accept.join(", ") } });

            const fakeRegistry = new FakeRegistry("none");
            fakeRegistry.pushArtifact(`${HOST}/${PROD}`, tag, stored);
            const standIn = new FakeOciRegistryApi(() => fakeRegistry).answer(new URL(`https://${HOST}/v2/${PROD}/manifests/${tag}`), `Bearer ${FAKE_BEARER}`, undefined, accept.join(", "));

            const answer = async (res: Response) => ({ status: res.status, errors: ((await res.json()) as { errors: { code: string; message: string }[] }).errors.map(({ code, message }) => ({ code, message })) });
            const realAnswer = await answer(real);
            assert.strictEqual(realAnswer.status, 404, JSON.stringify(realAnswer));
            assert.deepStrictEqual(await answer(standIn), realAnswer);
        });
    }
});
