import * as assert from "assert";
import { supplyChainProblems } from "../../components/image/imageVerification";
import { configPlatform } from "../../components/image/imagePlatform";
import { manifestByTag } from "../../components/image/ociRegistry";
import { MalformedRegistryAnswer } from "../../components/image/ociShapes";
import { FakeOciRegistryApi } from "../../scripts/offline/fakeOciRegistryApi";
import { FakeRegistry } from "../../scripts/offline/fakeRegistry";
import { fakeSigningKey } from "../../scripts/offline/fakeKms";
import { withFakeFetch } from "../harness/fakeFetch";
import {
    HOSTILE_DIGEST, HOSTILE_HOST, HOSTILE_POLICY, HOSTILE_REPOSITORY, bytesOf, descriptorOf, dsseLayer, hostileRegistry, hostileRepository, manifestOf, signedEnvelope,
} from "./hostileRegistrySetup";

const SIG = `${HOSTILE_HOST}/${HOSTILE_REPOSITORY}:${HOSTILE_DIGEST.replace(":", "-")}.sig`;
const ATT_TAG = `${HOSTILE_DIGEST.replace(":", "-")}.att`;
const problemsWith = (planted: Parameters<typeof hostileRegistry>[0]) =>
    withFakeFetch(hostileRegistry(planted), () => supplyChainProblems(hostileRepository(), HOSTILE_DIGEST, HOSTILE_POLICY, fakeSigningKey().publicKey));

/**
 * A registry (or a proxy before it) that answers 200 with bytes of another shape: the image is refused naming what was
 * wrong and where (ImageVerificationError's lines), or the read fails as a MalformedRegistryAnswer naming the image,
 * where it failed with a TypeError or SyntaxError naming nothing.
 */
describe("registry answers of the wrong shape are refused naming the image", () => {
    it("a .sig manifest that is JSON null is a reason the image does not verify", async () => {
        const problems = await problemsWith({ sig: bytesOf("null") });
        assert.strictEqual(problems[0], `signature: tampered: the manifest of ${SIG} is not an OCI manifest: it is null, not a JSON object`);
    });

    it("a .sig layer whose signature annotation is not a string is a reason, not a TypeError from Buffer.from", async () => {
        const payload = bytesOf("payload");
        const problems = await problemsWith({ sig: manifestOf([descriptorOf("application/vnd.dev.cosign.simplesigning.v1+json", payload, { "dev.cosignproject.cosign/signature": 5 })]), blobs: [payload] });
        assert.match(problems[0], /^signature: tampered: the manifest of \S+\.sig is not an OCI manifest: its layers: the annotations of sha256:[0-9a-f]{64} are not a string-to-string map$/);
    });

    it("a DSSE envelope whose signatures are not a list is a rejected attestation", async () => {
        const envelope = bytesOf({ payloadType: "application/vnd.in-toto+json", payload: "eA==", signatures: "x" });
        const problems = await problemsWith({ att: manifestOf([dsseLayer(envelope)]), blobs: [envelope] });
        assert.ok(problems.includes(`attestation: an attestation in ${ATT_TAG} is tampered: it is not a DSSE envelope (its signatures are not a list of objects with a sig string)`), problems.join("\n"));
    });

    it("a signed in-toto statement that is JSON null is a rejected attestation", async () => {
        const envelope = signedEnvelope(bytesOf("null"));
        const problems = await problemsWith({ att: manifestOf([dsseLayer(envelope)]), blobs: [envelope] });
        assert.ok(problems.includes(`attestation: an attestation in ${ATT_TAG} is signed but its statement is not an in-toto statement (null is not a JSON object)`), problems.join("\n"));
    });

    it("an image config that is not JSON fails the platform read as a MalformedRegistryAnswer naming the image", async () => {
        const config = bytesOf("<html>captive portal</html>");
        const fetch = hostileRegistry({ tags: { c1: manifestOf([], { config: descriptorOf("application/vnd.oci.image.config.v1+json", config) }) }, blobs: [config] });
        await withFakeFetch(fetch, async () => {
            const manifest = await manifestByTag(hostileRepository(), "c1");
            await assert.rejects(configPlatform(hostileRepository(), manifest!), (err: Error) => (
                assert.ok(err instanceof MalformedRegistryAnswer, `${err.name}: ${err.message}`),
                assert.match(err.message, new RegExp(`^the image config ${HOSTILE_HOST}/${HOSTILE_REPOSITORY}@sha256:[0-9a-f]{64} is not JSON \\(Unexpected token`)),
                true
            ));
        });
    });

    it("a manifest whose layers is not a list fails the read as a MalformedRegistryAnswer naming the image and tag", async () => {
        await withFakeFetch(hostileRegistry({ tags: { c1: manifestOf("x") } }), async () => {
            await assert.rejects(manifestByTag(hostileRepository(), "c1"), (err: Error) => (
                assert.ok(err instanceof MalformedRegistryAnswer, `${err.name}: ${err.message}`),
                assert.strictEqual(err.message, `the manifest of ${HOSTILE_HOST}/${HOSTILE_REPOSITORY}:c1 is not an OCI manifest: its layers is not a list`),
                true
            ));
        });
    });

    it("a token endpoint that answers 200 with HTML fails the read as a MalformedRegistryAnswer naming the host, not a SyntaxError", async () => {
        // Artifact Registry's Bearer challenge (the stand-in's); its realm answers a page that is not Docker's token JSON.
        const standIn = new FakeOciRegistryApi(() => new FakeRegistry());
        const fetch = async (input: string | URL, init?: RequestInit) =>
            new URL(String(input)).pathname === "/v2/token" ? new Response("<html>sign in</html>", { status: 200 }) : standIn.fetch(input, init);
        await withFakeFetch(fetch, async () => {
            const repo = { host: "europe-west1-docker.pkg.dev", name: "p/r/service", credentials: async () => ({ user: "oauth2accesstoken", password: "t" }) };
            await assert.rejects(manifestByTag(repo, "c1"), (err: Error) => (
                assert.ok(err instanceof MalformedRegistryAnswer, `${err.name}: ${err.message}`),
                assert.match(err.message, /^europe-west1-docker\.pkg\.dev's answer to a pull token request for p\/r\/service is not JSON \(Unexpected token/),
                true
            ));
        });
    });
});
