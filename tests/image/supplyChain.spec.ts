import * as assert from "assert";
import { regExpText } from "../harness/regExpText";
import { generateKeyPairSync, sign } from "crypto";
import { DSSE_MEDIA_TYPE, IN_TOTO_PAYLOAD_TYPE, SLSA_PROVENANCE_V1, SPDX_DOCUMENT, preAuthEncoding, verifiedAttestations } from "../../components/image/cosignAttestations";
import { SIGNATURE_ANNOTATION, cosignTag } from "../../components/image/cosignSignature";
import { awsKmsKeyId } from "../../components/image/signingKey";
import { signingKeyRevival } from "../../components/image/signingKeyRevival";
import * as path from "path";
import { ecrLookup } from "../../components/aws/imageRepository";
import { ServiceImage, imagePusher } from "../../components/image";
import { ImagePlatform } from "../../components/image/types";
import { PROJECT_ROOT, readStackFile } from "../../config/stackFile";
import { RepositoryTarget, repositoryTargets } from "../../scripts/image/registries";
import { imageTargets } from "../../scripts/image/targets";
import { IMAGE_WORKFLOW_REF, artifact, cosignAttestations, cosignSignature, dsseAttestation, provenanceOf, simpleSigningPayload, spdxOf } from "../../scripts/offline/fakeCosign";
import { scanKey } from "../../scripts/offline/fakeAwsApis";
import { ECR_SERVER_ERROR } from "../../scripts/offline/fakeIds";
import { FakeKms, SIGNING_KEY_ALIAS, fakeSigningKey } from "../../scripts/offline/fakeKms";
import { FakeRegistry } from "../../scripts/offline/fakeRegistry";
import { FAKE_ECR_PASSWORD, FakeOciRegistryApi } from "../../scripts/offline/fakeOciRegistryApi";
import { MockCloud, runUnderMocks, valueOf } from "../../scripts/offline/mockCloud";
import { messagesOf } from "../../scripts/offline/programMessages";
import { runProgram } from "../../scripts/offline/runProgram";
import { registeredTypes } from "../harness/registeredTypes";
import { withSettings } from "../harness/stackConfig";
import { committedStackRun } from "../harness/committedStackRun";
import { sharedPerArgs } from "../harness/shared";
import { withFakeFetch } from "../harness/fakeFetch";
import { waitClock } from "../../components/waitClock";

const ECR_HOST = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com";
const keyOf = (t: RepositoryTarget) => (t.cloud === "aws" ? t.repository.slice(ECR_HOST.length + 1) : t.repository);

/** prod's image targets: content tags hash app/ (about 15 ms of CPU), which no test changes, so once per file. */
const prodTargets = sharedPerArgs(() => repositoryTargets(imageTargets("prod"), ECR_HOST));

/** prod's registries after a promotion: each cloud's image as image.yml built, signed and attested it (fakeCosign.ts). */
function promotedToProd() {
    const registry = new FakeRegistry("none");
    const [aws, gcp] = prodTargets().map((target) => ({ target, key: keyOf(target), digest: registry.push(keyOf(target), target.tag) }));
    return { registry, aws, gcp };
}

/** `pulumi up` of prod over those registries, through the program's real resolution path; the cloud stays inspectable when it fails. */
async function upProd(registry: FakeRegistry, options: { config?: Record<string, string>; preview?: boolean; freshAccount?: boolean; setup?: (cloud: MockCloud) => void } = {}) {
    let cloud: MockCloud | undefined;
    const setup = (c: MockCloud) => {
        cloud = c;
        c.useRegistry(registry);
        c.freshAccount = options.freshAccount ?? false;
        options.setup?.(c);
    };
    try {
        const run = await runProgram("prod", { config: options.config, preview: options.preview, setup });
        return { run, cloud: cloud! };
    } catch (error) {
        return { error: error as Error, cloud: cloud! };
    }
}

/** Nothing that runs an image was registered with this digest (no Lambda function, no Cloud Run service). */
function nothingRuns(cloud: MockCloud, digest: string) {
    for (const type of ["aws:lambda/function:Function", "gcp:cloudrunv2/service:Service"]) {
        assert.ok(!cloud.ofType(type).some((r) => JSON.stringify(r.inputs).includes(digest)), `${type} registered with ${digest}`);
    }
}

function refused(result: { error?: Error; cloud: MockCloud }, image: string, digest: string, reason: RegExp) {
    assert.ok(result.error, "pulumi up must fail");
    assert.match(result.error.message, new RegExp(`image ${regExpText(image)}@${regExpText(digest)} does not verify, so it is not deployed`));
    assert.match(result.error.message, reason);
    nothingRuns(result.cloud, digest);
}

describe("the image's supply chain: prod runs only what image.yml signed and attested", function () {
    this.timeout(60_000);
    const privateKey = fakeSigningKey().privateKey;
    const ecrImage = `${ECR_HOST}/multicloud-service-prod`;

    it("a signed image with provenance and SBOM deploys; the key is KMS's and the artifacts are read through the registry API", async () => {
        const { registry, aws, gcp } = promotedToProd();
        const { run, cloud, error } = await upProd(registry);
        assert.ifError(error);
        assert.strictEqual(run!.outputs["aws.imageDigest"], aws.digest);
        assert.strictEqual(run!.outputs["gcp.imageDigest"], gcp.digest);
        // The public key is asked once per run, before anything is registered, by the stack's alias; the verifications reuse it.
        assert.deepStrictEqual(cloud.awsApis.kms.requests, [{ action: "GetPublicKey", keyId: "alias/multicloud-service-image-signing" }]);
        const read = cloud.ociRegistry.requests.filter((r) => r.status === 200).map((r) => new URL(r.url).pathname);
        for (const image of [aws, gcp]) {
            for (const suffix of ["sig", "att"] as const) assert.ok(read.some((p) => p.endsWith(`/manifests/${cosignTag(image.digest, suffix)}`)), `${image.target.cloud} ${suffix} read`);
        }
        // One login challenge per image (ECR's Basic, Artifact Registry's Bearer realm), then its answer is sent along.
        assert.strictEqual(cloud.ociRegistry.requests.filter((r) => r.status === 401).length, 2);
        // ECR's blobs are redirected to its layer bucket, another origin, which the login must not reach.
        const ecrBlobs = cloud.ociRegistry.requests.filter((r) => /\.dkr\.ecr\..*\/blobs\//.test(r.url));
        assert.ok(ecrBlobs.length >= 3 && ecrBlobs.every((r) => r.status === 307), JSON.stringify(ecrBlobs));
        assert.deepStrictEqual(cloud.ociRegistry.layerRequests.map((r) => r.status), ecrBlobs.map(() => 200));
    });

    it("the stand-in's own check: ECR's layer bucket refuses a blob request that still carries the registry login, in S3's words", async () => {
        // The stand-in's own check: a client that kept the Authorization header across ECR's redirect would fail here,
        // as it would against S3's presigned URL.
        const { registry } = promotedToProd();
        const api = new FakeOciRegistryApi(() => registry);
        const missing = `sha256:${"0".repeat(64)}`;
        const withLogin = api.answerLayer(missing, "Basic QVdTOnRva2Vu");
        assert.strictEqual(withLogin.status, 400);
        assert.match(await withLogin.text(), /<Code>InvalidArgument<\/Code><Message>Only one auth mechanism allowed;/);
        assert.strictEqual(api.answerLayer(missing, null).status, 404, "without the login it is the key that is missing");
    });

    it("the stand-in's own check: ECR refuses a wrong login in plain text, with its Basic challenge, as ECR does", async () => {
        const api = new FakeOciRegistryApi(() => promotedToProd().registry);
        const url = new URL(`https://${ECR_HOST}/v2/multicloud-service-prod/manifests/c-1`);
        const refused = api.answer(url, `Basic ${Buffer.from("AWS:expired-token").toString("base64")}`);
        assert.strictEqual(refused.status, 401);
        assert.strictEqual(refused.headers.get("content-type"), "text/plain; charset=utf-8");
        assert.strictEqual(refused.headers.get("www-authenticate"), `Basic realm="https://${ECR_HOST}/",service="ecr.amazonaws.com"`);
        assert.strictEqual(await refused.text(), "Not Authorized\n");
    });

    it("the stand-in's own check: an OCI manifest goes only to a client whose Accept lists its type, as a registry serves it", async () => {
        const { registry, aws } = promotedToProd();
        const api = new FakeOciRegistryApi(() => registry);
        const url = new URL(`https://${ECR_HOST}/v2/multicloud-service-prod/manifests/${cosignTag(aws.digest, "sig")}`);
        const login = `Basic ${Buffer.from(`AWS:${FAKE_ECR_PASSWORD}`).toString("base64")}`;
        const dockerOnly = api.answer(url, login, undefined, "application/vnd.docker.distribution.manifest.v2+json");
        assert.strictEqual(dockerOnly.status, 404);
        assert.deepStrictEqual(await dockerOnly.json(), { errors: [{ code: "MANIFEST_UNKNOWN", message: "OCI manifest found, but accept header does not support OCI manifests" }] });
        // One header, comma-joined, as the program sends it (ociRegistry.ts MANIFEST_TYPES).
        const listed = api.answer(url, login, undefined, "application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json");
        assert.strictEqual(listed.status, 200);
        assert.strictEqual(listed.headers.get("content-type"), "application/vnd.oci.image.manifest.v1+json");
    });

    it("unsigned (no .sig: the registry answers MANIFEST_UNKNOWN): refused, naming the image and digest", async () => {
        const { registry, aws } = promotedToProd();
        registry.untag(aws.key, cosignTag(aws.digest, "sig"));
        refused(await upProd(registry), ecrImage, aws.digest, new RegExp(`signature: unsigned: there is no signature \\(${cosignTag(aws.digest, "sig")}: MANIFEST_UNKNOWN\\)`));
    });

    it("unsigned on Artifact Registry too (its Bearer token flow)", async () => {
        const { registry, gcp } = promotedToProd();
        registry.untag(gcp.key, cosignTag(gcp.digest, "sig"));
        refused(await upProd(registry), gcp.target.repository, gcp.digest, /signature: unsigned: there is no signature/);
    });

    it("tampered: a valid signature over another image's digest", async () => {
        const { registry, aws } = promotedToProd();
        const other = `sha256:${"e".repeat(64)}`;
        registry.pushArtifact(aws.key, cosignTag(aws.digest, "sig"), cosignSignature(aws.key, other, privateKey));
        refused(await upProd(registry), ecrImage, aws.digest, new RegExp(`tampered: the signature in ${cosignTag(aws.digest, "sig")} is over ${other}, not ${aws.digest}`));
    });

    it("tampered: the signature of one payload beside a modified payload", async () => {
        const { registry, aws } = promotedToProd();
        const signed = simpleSigningPayload(aws.key, aws.digest);
        const modified = Buffer.from(signed.toString().replace('"optional":null', '"optional":{"approved":"yes"}'));
        registry.pushArtifact(aws.key, cosignTag(aws.digest, "sig"), cosignSignature(aws.key, aws.digest, privateKey, { payload: modified, signedBytes: signed }));
        refused(await upProd(registry), ecrImage, aws.digest, /tampered or signed by another key: the signature in .*\.sig does not verify with the signing key/);
    });

    it("tampered: the registry serves other bytes under the payload's digest", async () => {
        const { registry, aws } = promotedToProd();
        const manifest = JSON.parse(registry.manifest(aws.key, cosignTag(aws.digest, "sig"))!.toString());
        registry.corruptBlob(manifest.layers[0].digest, simpleSigningPayload(aws.key, `sha256:${"f".repeat(64)}`));
        refused(await upProd(registry), ecrImage, aws.digest, new RegExp(`tampered: .*blob ${manifest.layers[0].digest} holds other bytes`));
    });

    it("wrong identity: signed and attested with another key", async () => {
        const { registry, aws } = promotedToProd();
        const stranger = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey;
        registry.pushArtifact(aws.key, cosignTag(aws.digest, "sig"), cosignSignature(aws.key, aws.digest, stranger));
        registry.pushArtifact(aws.key, cosignTag(aws.digest, "att"), cosignAttestations(aws.key, aws.digest, stranger));
        const result = await upProd(registry);
        refused(result, ecrImage, aws.digest, /signature: tampered or signed by another key/);
        assert.match(result.error!.message, /attestation: an attestation in .*\.att does not verify with the signing key/);
        assert.match(result.error!.message, /provenance: no verified https:\/\/slsa\.dev\/provenance\/v1 attestation/);
    });

    it("a statement signed with the right key that is not JSON: refused as an attestation that does not verify, not a crash", async () => {
        const { registry, aws } = promotedToProd();
        const payload = Buffer.from("not an in-toto statement");
        const envelope = { payloadType: IN_TOTO_PAYLOAD_TYPE, payload: payload.toString("base64"), signatures: [{ keyid: "", sig: sign("sha256", preAuthEncoding(IN_TOTO_PAYLOAD_TYPE, payload), privateKey).toString("base64") }] };
        const garbled = { mediaType: DSSE_MEDIA_TYPE, bytes: Buffer.from(JSON.stringify(envelope)), annotations: { [SIGNATURE_ANNOTATION]: "", predicateType: SLSA_PROVENANCE_V1 } };
        registry.pushArtifact(aws.key, cosignTag(aws.digest, "att"), artifact([garbled, dsseAttestation(aws.key, aws.digest, SPDX_DOCUMENT, spdxOf(aws.key), privateKey)]));
        const result = await upProd(registry);
        refused(result, ecrImage, aws.digest, /an attestation in .*\.att is signed but its statement is not JSON/);
    });

    // cosign verify-attestation checks each envelope on its own and fails only when none verifies, then looks for the
    // asked predicate type among those that did (sigstore/cosign pkg/cosign/verify.go VerifyImageAttestation;
    // cmd/cosign/cli/verify/verify_attestation.go): image.yml's own check (sign.sh --check) passes such an image. The
    // .att tag is mutable, so anyone who may push to the registry could otherwise block every release with one envelope.
    it("an extra envelope beside image.yml's (another key's, or about another digest) does not refuse the image, as cosign does not", async () => {
        const { registry, aws } = promotedToProd();
        const stranger = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey;
        registry.pushArtifact(
            aws.key,
            cosignTag(aws.digest, "att"),
            artifact([
                dsseAttestation(aws.key, aws.digest, SLSA_PROVENANCE_V1, provenanceOf(), privateKey),
                dsseAttestation(aws.key, aws.digest, SPDX_DOCUMENT, spdxOf(aws.key), privateKey),
                dsseAttestation(aws.key, aws.digest, "https://cosign.sigstore.dev/attestation/vuln/v1", {}, stranger),
                dsseAttestation(aws.key, `sha256:${"d".repeat(64)}`, SLSA_PROVENANCE_V1, provenanceOf(), privateKey),
            ]),
        );
        const { run, error } = await upProd(registry);
        assert.ifError(error);
        assert.strictEqual(run!.outputs["aws.imageDigest"], aws.digest);
    });

    // The same for a layer that is no DSSE envelope at all (its bytes match its digest, but are not JSON): it is one
    // envelope that does not verify, as cosign checks each on its own (pkg/cosign/verify.go VerifyImageAttestation), not a
    // failure of the whole read.
    it("a layer that is not JSON beside image.yml's envelopes does not refuse the image", async () => {
        const { registry, aws } = promotedToProd();
        const notJson = { mediaType: DSSE_MEDIA_TYPE, bytes: Buffer.from("not a DSSE envelope"), annotations: { [SIGNATURE_ANNOTATION]: "", predicateType: SLSA_PROVENANCE_V1 } };
        registry.pushArtifact(
            aws.key,
            cosignTag(aws.digest, "att"),
            artifact([notJson, dsseAttestation(aws.key, aws.digest, SLSA_PROVENANCE_V1, provenanceOf(), privateKey), dsseAttestation(aws.key, aws.digest, SPDX_DOCUMENT, spdxOf(aws.key), privateKey)]),
        );
        const { run, error } = await upProd(registry);
        assert.ifError(error);
        assert.strictEqual(run!.outputs["aws.imageDigest"], aws.digest);
    });

    // An envelope without a signature signs nothing: the DSSE verifier cosign verifies attestations with refuses it
    // before looking at anything else (secure-systems-lab/go-securesystemslib dsse/verify.go, EnvelopeVerifier.Verify:
    // `if len(e.Signatures) == 0 { return nil, ErrNoSignature }`, "no signature found"). Anyone who may push to the
    // registry can write one beside image.yml's SBOM, with a statement that names the right workflow and digest.
    it("an envelope with no signatures, its statement image.yml's provenance of this very digest, does not count", async () => {
        const { registry, aws } = promotedToProd();
        const signed = dsseAttestation(aws.key, aws.digest, SLSA_PROVENANCE_V1, provenanceOf(), privateKey);
        const unsigned = { ...signed, bytes: Buffer.from(JSON.stringify({ ...JSON.parse(signed.bytes.toString()), signatures: [] })) };
        registry.pushArtifact(aws.key, cosignTag(aws.digest, "att"), artifact([unsigned, dsseAttestation(aws.key, aws.digest, SPDX_DOCUMENT, spdxOf(aws.key), privateKey)]));
        const result = await upProd(registry);
        refused(result, ecrImage, aws.digest, /attestation: an attestation in .*\.att does not verify with the signing key/);
        assert.match(result.error!.message, /provenance: no verified https:\/\/slsa\.dev\/provenance\/v1 attestation/);
    });

    // A DSSE signature is `{"keyid", "sig"}` with `sig` required (secure-systems-lab/dsse envelope.md); an entry without it
    // signs nothing. As cosign checks each envelope on its own, it is one envelope that does not verify, read in-process
    // here through ECR's stand-in: before, verify() threw on the missing sig and took the whole verification with it.
    it("an envelope whose signature entry has no sig does not count, and the others still verify", async () => {
        const { registry, aws } = promotedToProd();
        const signed = dsseAttestation(aws.key, aws.digest, SLSA_PROVENANCE_V1, provenanceOf(), privateKey);
        const sigless = { ...signed, bytes: Buffer.from(JSON.stringify({ ...JSON.parse(signed.bytes.toString()), signatures: [{ keyid: "" }] })) };
        const tag = cosignTag(aws.digest, "att");
        registry.pushArtifact(aws.key, tag, artifact([sigless, signed, dsseAttestation(aws.key, aws.digest, SPDX_DOCUMENT, spdxOf(aws.key), privateKey)]));
        await withFakeFetch(new FakeOciRegistryApi(() => registry).fetch, async () => {
            const repo = { host: ECR_HOST, name: aws.key, credentials: async () => ({ user: "AWS", password: FAKE_ECR_PASSWORD }) };
            const { verified, rejected } = await verifiedAttestations(repo, aws.digest, fakeSigningKey().publicKey);
            assert.deepStrictEqual(verified.map((a) => a.predicateType), [SLSA_PROVENANCE_V1, SPDX_DOCUMENT]);
            assert.deepStrictEqual(rejected, [`an attestation in ${tag} does not verify with the signing key (tampered, or signed by another key)`]);
        });
    });

    // Only a SLSA v1 statement is provenance here: `cosign attest --type slsaprovenance` writes
    // https://slsa.dev/provenance/v0.2 and `--type custom` https://cosign.sigstore.dev/attestation/v1 (sigstore/cosign,
    // predicateTypeMap), and neither is what image.yml attests, whatever its predicate says.
    it("a statement of another predicate type whose predicate names image.yml, signed with the right key, is not provenance", async () => {
        for (const predicateType of ["https://slsa.dev/provenance/v0.2", "https://cosign.sigstore.dev/attestation/v1"]) {
            const { registry, aws } = promotedToProd();
            registry.pushArtifact(aws.key, cosignTag(aws.digest, "att"), artifact([dsseAttestation(aws.key, aws.digest, predicateType, provenanceOf(), privateKey), dsseAttestation(aws.key, aws.digest, SPDX_DOCUMENT, spdxOf(aws.key), privateKey)]));
            refused(await upProd(registry), ecrImage, aws.digest, /\n {2}- provenance: no verified https:\/\/slsa\.dev\/provenance\/v1 attestation\n/);
        }
    });

    it("wrong identity: provenance from another branch's run of the workflow (signed with the right key)", async () => {
        const { registry, aws } = promotedToProd();
        const branch = IMAGE_WORKFLOW_REF.replace("refs/heads/main", "refs/heads/experiment");
        registry.pushArtifact(aws.key, cosignTag(aws.digest, "att"), cosignAttestations(aws.key, aws.digest, privateKey, { workflowRef: branch }));
        refused(await upProd(registry), ecrImage, aws.digest, new RegExp(`provenance: built by ${regExpText(branch)}, not ${regExpText(IMAGE_WORKFLOW_REF)}`));
    });

    it("missing provenance: no .att at all, or only the SBOM", async () => {
        const { registry, aws, gcp } = promotedToProd();
        registry.untag(aws.key, cosignTag(aws.digest, "att"));
        refused(await upProd(registry), ecrImage, aws.digest, new RegExp(`provenance: there are no attestations \\(${cosignTag(aws.digest, "att")}: MANIFEST_UNKNOWN\\)`));

        const second = promotedToProd();
        second.registry.pushArtifact(second.gcp.key, cosignTag(second.gcp.digest, "att"), artifact([dsseAttestation(second.gcp.key, second.gcp.digest, SPDX_DOCUMENT, spdxOf(second.gcp.key), privateKey)]));
        refused(await upProd(second.registry), gcp.target.repository, second.gcp.digest, /provenance: no verified https:\/\/slsa\.dev\/provenance\/v1 attestation/);
    });

    it("an attestation about another image does not count for this one", async () => {
        const { registry, aws } = promotedToProd();
        const other = `sha256:${"d".repeat(64)}`;
        registry.pushArtifact(aws.key, cosignTag(aws.digest, "att"), cosignAttestations(aws.key, other, privateKey));
        const result = await upProd(registry);
        refused(result, ecrImage, aws.digest, new RegExp(`a https://slsa\\.dev/provenance/v1 attestation in .*\\.att is about ${other}, not ${aws.digest}`));
    });

    // The stand-in takes its words from the program's constants, so a wrong constant would pass both; here they are
    // spelled out from sigstore/cosign: pkg/types/media.go SimpleSigningMediaType, pkg/oci/static/signature.go
    // SignatureAnnotationKey, specs/SIGNATURE_SPEC.md (critical.type), pkg/types/payload.go DssePayloadType and
    // IntotoPayloadType, and the predicate types of pkg/cosign/attestation/attestation_test.go's slsaprovenance1 and
    // spdxjson cases (what `cosign attest --type slsaprovenance1` and `--type spdxjson` write).
    it("the stand-in's own check: its .sig and .att are in cosign's media types, annotation, payload type and predicate types", () => {
        const digest = `sha256:${"a".repeat(64)}`;
        const sig = cosignSignature("registry.test/repo", digest, privateKey);
        const [sigLayer] = JSON.parse(sig.manifest.toString()).layers;
        assert.strictEqual(sigLayer.mediaType, "application/vnd.dev.cosign.simplesigning.v1+json");
        assert.deepStrictEqual(Object.keys(sigLayer.annotations), ["dev.cosignproject.cosign/signature"]);
        assert.strictEqual(JSON.parse(sig.blobs.get(sigLayer.digest)!.toString()).critical.type, "cosign container image signature");
        const att = cosignAttestations("registry.test/repo", digest, privateKey);
        const attLayers: { mediaType: string; digest: string }[] = JSON.parse(att.manifest.toString()).layers;
        assert.deepStrictEqual(attLayers.map((l) => l.mediaType), ["application/vnd.dsse.envelope.v1+json", "application/vnd.dsse.envelope.v1+json"]);
        const envelopes = attLayers.map((l) => JSON.parse(att.blobs.get(l.digest)!.toString()));
        assert.deepStrictEqual(envelopes.map((e) => e.payloadType), ["application/vnd.in-toto+json", "application/vnd.in-toto+json"]);
        assert.deepStrictEqual(envelopes.map((e) => JSON.parse(Buffer.from(e.payload, "base64").toString()).predicateType), ["https://slsa.dev/provenance/v1", "https://spdx.dev/Document"]);
    });

    // The test vector of secure-systems-lab/dsse protocol.md: PAE("http://example.com/HelloWorld", "hello world"). The
    // stand-in signs with the same function the program verifies with, so only the spec's own bytes tell a wrong one.
    it("DSSE's pre-authentication encoding is the one in the DSSE protocol's test vector", () => {
        assert.strictEqual(preAuthEncoding("http://example.com/HelloWorld", Buffer.from("hello world")).toString(), "DSSEv1 29 http://example.com/HelloWorld 11 hello world");
    });

    // cosign verify-attestation refuses an envelope of another payloadType ("invalid payloadType %s on envelope. Expected
    // %s", sigstore/cosign pkg/cosign/verify.go, against types.IntotoPayloadType "application/vnd.in-toto+json").
    it("an envelope signed with the right key whose payloadType is not in-toto's does not count", async () => {
        const { registry, aws } = promotedToProd();
        const statement = { _type: "https://in-toto.io/Statement/v0.1", predicateType: SLSA_PROVENANCE_V1, subject: [{ name: aws.key, digest: { sha256: aws.digest.slice("sha256:".length) } }], predicate: provenanceOf() };
        const payload = Buffer.from(JSON.stringify(statement));
        const payloadType = "application/json";
        const envelope = { payloadType, payload: payload.toString("base64"), signatures: [{ keyid: "", sig: sign("sha256", preAuthEncoding(payloadType, payload), privateKey).toString("base64") }] };
        const otherType = { mediaType: DSSE_MEDIA_TYPE, bytes: Buffer.from(JSON.stringify(envelope)), annotations: { [SIGNATURE_ANNOTATION]: "", predicateType: SLSA_PROVENANCE_V1 } };
        registry.pushArtifact(aws.key, cosignTag(aws.digest, "att"), artifact([otherType, dsseAttestation(aws.key, aws.digest, SPDX_DOCUMENT, spdxOf(aws.key), privateKey)]));
        const result = await upProd(registry);
        refused(result, ecrImage, aws.digest, /attestation: an attestation in .*\.att does not verify with the signing key/);
        assert.match(result.error!.message, /provenance: no verified https:\/\/slsa\.dev\/provenance\/v1 attestation/);
    });

    // specs/SIGNATURE_SPEC.md of sigstore/cosign (its Simple Signing section): `critical.type` "cosign container image
    // signature" identifies a cosign signature; containers-signature(5), which it extends, names its own payloads "atomic
    // container signature". A payload of that type, signed with the key and naming the digest, is not cosign's.
    it("tampered: a payload signed with the right key and naming the digest whose critical.type is not cosign's", async () => {
        const { registry, aws } = promotedToProd();
        const payload = Buffer.from(simpleSigningPayload(aws.key, aws.digest).toString().replace('"cosign container image signature"', '"atomic container signature"'));
        const tag = cosignTag(aws.digest, "sig");
        registry.pushArtifact(aws.key, tag, cosignSignature(aws.key, aws.digest, privateKey, { payload }));
        refused(await upProd(registry), ecrImage, aws.digest, new RegExp(`signature: tampered: the signature in ${regExpText(tag)} is over no image digest, not ${regExpText(aws.digest)}`));
    });

    // `cosign attest --type cyclonedx` writes the predicate type https://cyclonedx.org/bom (sigstore/cosign
    // pkg/cosign/attestation/attestation_test.go, the cyclonedx cases' wantJSON); image.yml attests an SPDX document.
    it("missing SBOM: a provenance alone, or beside a CycloneDX SBOM, is refused for want of the SPDX document", async () => {
        for (const others of [[], [{ bomFormat: "CycloneDX", specVersion: "1.4", version: 1, components: [] }]]) {
            const { registry, aws } = promotedToProd();
            const cycloneDx = others.map((bom) => dsseAttestation(aws.key, aws.digest, "https://cyclonedx.org/bom", bom, privateKey));
            registry.pushArtifact(aws.key, cosignTag(aws.digest, "att"), artifact([dsseAttestation(aws.key, aws.digest, SLSA_PROVENANCE_V1, provenanceOf(), privateKey), ...cycloneDx]));
            const result = await upProd(registry);
            refused(result, ecrImage, aws.digest, /\n {2}- sbom: no verified https:\/\/spdx\.dev\/Document attestation\n/);
            assert.doesNotMatch(result.error!.message, /provenance:/);
        }
    });

    // specs/SIGNATURE_SPEC.md in sigstore/cosign, "Simple Signing": the payload's layer is identified by the media type
    // application/vnd.dev.cosign.simplesigning.v1+json, and its signature is the layer's dev.cosignproject.cosign/signature
    // annotation ("Signature"). A .sig that has no such layer, or whose layer has no signature, signs nothing.
    it("unsigned: a .sig without a simple-signing layer (none at all, or a signed payload under another media type) is refused", async () => {
        const tarLayer = "application/vnd.oci.image.layer.v1.tar+gzip";
        for (const layers of [(_: Buffer) => [], (payload: Buffer) => [{ mediaType: tarLayer, bytes: payload, annotations: { "dev.cosignproject.cosign/signature": sign("sha256", payload, privateKey).toString("base64") } }]]) {
            const { registry, aws } = promotedToProd();
            const tag = cosignTag(aws.digest, "sig");
            registry.pushArtifact(aws.key, tag, artifact(layers(simpleSigningPayload(aws.key, aws.digest))));
            refused(await upProd(registry), ecrImage, aws.digest, new RegExp(`signature: unsigned: ${regExpText(tag)} holds no application/vnd\\.dev\\.cosign\\.simplesigning\\.v1\\+json layer\\n`));
        }
    });

    it("unsigned: a simple-signing layer without its signature annotation is refused, naming the annotation, not a crash", async () => {
        const { registry, aws } = promotedToProd();
        const tag = cosignTag(aws.digest, "sig");
        registry.pushArtifact(aws.key, tag, artifact([{ mediaType: "application/vnd.dev.cosign.simplesigning.v1+json", bytes: simpleSigningPayload(aws.key, aws.digest), annotations: {} }]));
        refused(await upProd(registry), ecrImage, aws.digest, new RegExp(`signature: a layer of ${regExpText(tag)} has no dev\\.cosignproject\\.cosign/signature annotation\\n`));
    });

    // A SLSA v1 provenance of another build type names no GitHub workflow: the predicate of sigstore/cosign
    // pkg/cosign/attestation/attestation_test.go's "slsaprovenance1 complex" case (buildType https://example.com/Makefile).
    it("wrong identity: a provenance that names no workflow (another build type), signed with the right key, is refused", async () => {
        const { registry, aws } = promotedToProd();
        const makefile = {
            buildDefinition: { buildType: "https://example.com/Makefile", externalParameters: { version: "1.0" }, internalParameters: {}, resolvedDependencies: [{ uri: "git+https://example.com/repo.git", digest: { sha1: "abcdef123456" } }] },
            runDetails: { builder: { id: "https://example.com/builder" }, metadata: { invocationId: "test-invocation" } },
        };
        registry.pushArtifact(aws.key, cosignTag(aws.digest, "att"), artifact([dsseAttestation(aws.key, aws.digest, SLSA_PROVENANCE_V1, makefile, privateKey), dsseAttestation(aws.key, aws.digest, SPDX_DOCUMENT, spdxOf(aws.key), privateKey)]));
        refused(await upProd(registry), ecrImage, aws.digest, new RegExp(`provenance: built by an unnamed workflow, not ${regExpText(IMAGE_WORKFLOW_REF)}`));
    });

    // Before, KMS was first asked once the image was there: after the stack's other resources had been made (and after
    // up to image.waitMinutes of waiting for its push), the refusal among the errors of what waited for the image.
    it("a signing key KMS does not have: a settings error naming image.verify.signingKey, before anything of either cloud is registered", async () => {
        const { registry } = promotedToProd();
        const result = await upProd(registry, { config: withImageSettings((i) => (i.verify.signingKey = "awskms:///alias/retired-key")) });
        assert.match(
            String(result.error?.message),
            /^Stack "prod" has 1 invalid setting; nothing was deployed:\n {2}- multicloud-service:image\.verify\.signingKey: KMS has no image signing key alias\/retired-key in ap-northeast-1 \(NotFoundException: Alias arn:aws:kms:ap-northeast-1:123456789012:alias\/retired-key is not found\.\): deployments\/ makes it/,
        );
        assert.deepStrictEqual(registeredTypes(result.cloud), []);
    });

    it("a KMS key that signs ECDSA_SHA_256 on another curve (secp256k1): a settings error naming its KeySpec, before anything is registered", async () => {
        const { registry } = promotedToProd();
        const result = await upProd(registry, {
            config: withImageSettings((i) => (i.verify.signingKey = "awskms:///alias/secp256k1-signing")),
            setup: (cloud) => cloud.awsApis.kms.otherKeys.set("alias/secp256k1-signing", "ECC_SECG_P256K1"),
        });
        assert.match(String(result.error?.message), /multicloud-service:image\.verify\.signingKey: KMS key alias\/secp256k1-signing \(ap-northeast-1\) is not an ECDSA P-256 signing key \(ECC_SECG_P256K1, SIGN_VERIFY\)/);
        assert.deepStrictEqual(registeredTypes(result.cloud), []);
    });

    for (const [keyState, answer] of [
        // EnableKey and CancelKeyDeletion take a key ID or ARN, never the alias the setting names: DescribeKey answers it.
        ["Disabled", /DisabledException: arn:aws:kms:ap-northeast-1:123456789012:key\/\S+ is disabled\.\): enable it \(k=\$\(aws kms describe-key --region ap-northeast-1 --key-id alias\/multicloud-service-image-signing --query KeyMetadata\.Arn --output text\) && aws kms enable-key --region ap-northeast-1 --key-id "\$k"\), or name a key that is enabled$/m],
        [
            "PendingDeletion",
            /KMSInvalidStateException: arn:aws:kms:ap-northeast-1:123456789012:key\/\S+ is pending deletion\.\): if it is pending deletion, cancel that and enable it \(k=\$\(aws kms describe-key --region ap-northeast-1 --key-id alias\/multicloud-service-image-signing --query KeyMetadata\.Arn --output text\) && aws kms cancel-key-deletion --region ap-northeast-1 --key-id "\$k" && aws kms enable-key --region ap-northeast-1 --key-id "\$k"\), or name a key that is enabled$/m,
        ],
    ] as const) {
        it(`a signing key KMS holds ${keyState === "Disabled" ? "disabled" : "for deletion"}: a settings error naming image.verify.signingKey, not a missing permission`, async () => {
            const { registry } = promotedToProd();
            const result = await upProd(registry, { setup: (cloud) => (cloud.awsApis.kms.keyState = keyState) });
            assert.match(String(result.error?.message), /^Stack "prod" has 1 invalid setting; nothing was deployed:\n {2}- multicloud-service:image\.verify\.signingKey: KMS will not use the image signing key alias\/multicloud-service-image-signing in ap-northeast-1 \(/);
            assert.match(String(result.error?.message), answer);
            assert.doesNotMatch(String(result.error?.message), /needs kms:GetPublicKey/);
            assert.deepStrictEqual(registeredTypes(result.cloud), []);
        });
    }

    // A deployer without kms:GetPublicKey is not a settings error, but it stops the run before anything is registered.
    // Before, the refusal was a plain Error, which the run does not keep: the check left it to the components, which
    // asked KMS again and failed the run after the stack's first resources.
    it("a deployer KMS refuses kms:GetPublicKey: KMS is asked once a run, the refusal named with IAM's words, nothing registered", async () => {
        const { registry } = promotedToProd();
        const result = await upProd(registry, { setup: (cloud) => void (cloud.awsApis.kms.deny = true) });
        const message = String(result.error?.message);
        assert.match(message, /could not read the image signing key alias\/multicloud-service-image-signing from KMS \(ap-northeast-1\): AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role\/deployer\/session is not authorized to perform: kms:GetPublicKey on resource: arn:aws:kms:ap-northeast-1:123456789012:key\/\S+ because no identity-based policy allows the kms:GetPublicKey action \(the deploying identity needs kms:GetPublicKey on it\)/);
        assert.doesNotMatch(message, /invalid setting/);
        assert.deepStrictEqual(result.cloud.awsApis.kms.requests, [{ action: "GetPublicKey", keyId: "alias/multicloud-service-image-signing" }]);
        assert.deepStrictEqual(registeredTypes(result.cloud), []);
    });

    // Before: a kms:GetPublicKey an SCP of the account's organization denies said "the deploying identity needs
    // kms:GetPublicKey on it", and a grant to the deploy role changes nothing: the SCP wins over any Allow. IAM's words
    // name the SCP (fakeIds.ts iamNotAuthorized, its sources).
    it("KMS refuses kms:GetPublicKey by an SCP: the refusal names the organization's SCP, not a permission the deployer lacks", async () => {
        const { registry } = promotedToProd();
        const result = await upProd(registry, { setup: (cloud) => void (cloud.awsApis.kms.deny = "service control policy") });
        const message = String(result.error?.message);
        assert.match(message, /kms:GetPublicKey on resource: arn:aws:kms:ap-northeast-1:123456789012:key\/\S+ with an explicit deny in a service control policy \(a service control policy of the account's AWS Organization refuses it, not a permission the deploying identity lacks: /);
        assert.doesNotMatch(message, /the deploying identity needs/);
        assert.deepStrictEqual(registeredTypes(result.cloud), []);
    });

    // The prebuilt image's verification reads the same key (kept for the run) and stops on the same refusal.
    it("a deployer KMS refuses, with a prebuilt image to verify too: the refusal is the run's error, not said again beside it", async () => {
        const { registry } = promotedToProd();
        const signed = registry.push("shared-images", "v1");
        const config = withSettings("prod", "aws", { image: `${ECR_HOST}/shared-images@${signed}` });
        const result = await upProd(registry, { config, setup: (cloud) => void (cloud.awsApis.kms.deny = true) });
        assert.match(String(result.error?.message), /could not read the image signing key alias\/multicloud-service-image-signing from KMS \(ap-northeast-1\): AccessDeniedException: /);
        assert.deepStrictEqual(messagesOf(result.cloud, "error").filter((m) => /could not read the image signing key/.test(m)), []);
        assert.deepStrictEqual(registeredTypes(result.cloud), []);
    });

    // Before: a KMS that did not answer was left to the components (which got no answer either, after the stack's first
    // resources), and the error said the deployer needed kms:GetPublicKey.
    it("a KMS whose connection is dropped: the run stops before anything is registered, saying so, not that a permission is missing", async () => {
        const { registry } = promotedToProd();
        const result = await upProd(registry, { setup: (cloud) => void (cloud.awsApis.kms.dropConnections = true) });
        const message = String(result.error?.message);
        assert.match(message, /could not read the image signing key alias\/multicloud-service-image-signing from KMS \(ap-northeast-1\): \w+: [^;]*; run again once KMS answers/);
        assert.doesNotMatch(message, /needs kms:GetPublicKey|invalid setting/);
        assert.deepStrictEqual(registeredTypes(result.cloud), []);
    });

    // A KMS over its request quota answers ThrottlingException, which the AWS SDK asks again (standard retry mode, 3
    // attempts): a busy account, neither a key KMS does not have nor a missing permission. Before: once the SDK's retries
    // were spent, the error said only "ThrottlingException: ...", not that a later run may succeed.
    it("a KMS that throttles every read: not a settings error, and the error says KMS throttled it and to run again", async () => {
        const { registry } = promotedToProd();
        const result = await upProd(registry, { setup: (cloud) => void (cloud.awsApis.kms.throttle = true) });
        const message = String(result.error?.message);
        assert.match(message, /could not read the image signing key alias\/multicloud-service-image-signing from KMS \(ap-northeast-1\): ThrottlingException: You have exceeded the rate at which you may call KMS\. Reduce the frequency of your calls\.; KMS throttled the read, after the AWS SDK's retries \(the account's request rate, not a permission or the setting\): run again/);
        assert.doesNotMatch(message, /invalid setting|will not use|needs kms:GetPublicKey/);
    });

    /** prod with a signing key KMS does not have and a signed prebuilt aws.image, over promoted registries. */
    const retiredKeyAndPrebuilt = () => {
        const { registry } = promotedToProd();
        const signed = registry.push("shared-images", "v1");
        const config = withImageSettings((i) => (i.verify.signingKey = "awskms:///alias/retired-key"));
        const aws = withSettings("prod", "aws", { image: `${ECR_HOST}/shared-images@${signed}` })["multicloud-service:aws"];
        return { registry, config: { ...config, "multicloud-service:aws": aws } };
    };

    // Before, a check that could not run (here ECR not answering about a prebuilt image) was the only error shown,
    // and the signing key's problem came a run later.
    it("a settings problem and a check that could not run: the settings error, with the other said beside it", async () => {
        const { registry, config } = retiredKeyAndPrebuilt();
        // ECR's server-side failure of DescribeImages (fakeAwsApis.ts, failDescribeImages).
        const ecrNotAnswering = (c: MockCloud) => void (c.awsApis.failDescribeImages = true);
        const result = await upProd(registry, { config, setup: ecrNotAnswering });
        assert.match(String(result.error?.message), /^Stack "prod" has 1 invalid setting; nothing was deployed:\n {2}- multicloud-service:image\.verify\.signingKey: KMS has no image signing key/);
        assert.ok(
            messagesOf(result.cloud, "error").some((m) => new RegExp(`^a check of the settings against the clouds could not run: .*${regExpText(ECR_SERVER_ERROR)}`).test(m)),
            messagesOf(result.cloud, "error").join("\n"),
        );
    });

    it("with a prebuilt image too, a key KMS does not have is named once, as the key's problem", async () => {
        const { registry, config } = retiredKeyAndPrebuilt();
        const result = await upProd(registry, { config });
        assert.match(String(result.error?.message), /^Stack "prod" has 1 invalid setting; nothing was deployed:\n {2}- multicloud-service:image\.verify\.signingKey: KMS has no image signing key/);
        // Not said again beside it, as a check of the prebuilt image that could not run.
        assert.deepStrictEqual(messagesOf(result.cloud, "error").filter((m) => /KMS has no image signing key/.test(m)), []);
    });

    it("image.verify.signingKey takes a multi-region key ID and either case of hex, as cosign does", () => {
        for (const id of ["mrk-1234abcd12ab34cd56ef1234567890ab", "1234ABCD-12AB-34CD-56EF-1234567890AB"]) assert.strictEqual(awsKmsKeyId(`awskms:///${id}`), id);
        assert.throws(() => awsKmsKeyId("awskms:///1234abcd"), /must be awskms:\/\/\/alias\/<name>, awskms:\/\/\/<key id> or awskms:\/\/\/<key ARN>/);
    });

    it("a signing key named by key ID or key ARN is enabled by that name; one named by an alias ARN is looked up first", () => {
        const arn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        assert.strictEqual(signingKeyRevival(arn, "eu-west-1", true), `aws kms cancel-key-deletion --region eu-west-1 --key-id ${arn} && aws kms enable-key --region eu-west-1 --key-id ${arn}`);
        assert.strictEqual(signingKeyRevival("mrk-1234abcd12ab34cd56ef1234567890ab", "eu-west-1", false), "aws kms enable-key --region eu-west-1 --key-id mrk-1234abcd12ab34cd56ef1234567890ab");
        assert.match(signingKeyRevival("arn:aws:kms:eu-west-1:123456789012:alias/signing", "eu-west-1", false), /^k=\$\(aws kms describe-key --region eu-west-1 --key-id arn:aws:kms:eu-west-1:123456789012:alias\/signing /);
        // An alias ARN in another partition (aws-cn, aws-us-gov) is an alias too: EnableKey refuses it as it does any alias.
        assert.match(signingKeyRevival("arn:aws-cn:kms:cn-north-1:123456789012:alias/signing", "cn-north-1", false), /^k=\$\(aws kms describe-key --region cn-north-1 --key-id arn:aws-cn:kms:cn-north-1:123456789012:alias\/signing .* --key-id "\$k"$/);
    });

    it("the signing key by each form image.verify.signingKey takes: alias, alias ARN, key ID, key ARN", async () => {
        const { registry, aws } = promotedToProd();
        const key = fakeSigningKey().keyId;
        for (const signingKey of [`alias/multicloud-service-image-signing`, `arn:aws:kms:ap-northeast-1:123456789012:alias/multicloud-service-image-signing`, key, `arn:aws:kms:ap-northeast-1:123456789012:key/${key}`]) {
            const result = await upProd(registry, { config: withImageSettings((i) => (i.verify.signingKey = `awskms:///${signingKey}`)) });
            assert.ifError(result.error);
            assert.strictEqual(result.run!.outputs["aws.imageDigest"], aws.digest, signingKey);
            // Each run asks KMS once, by the reference as the stack names it.
            assert.deepStrictEqual(result.cloud.awsApis.kms.requests, [{ action: "GetPublicKey", keyId: signingKey }], signingKey);
        }
    });

    // A key ARN names its own region (signingKey.ts: "a key ARN names its own"), whatever the stack's aws:region: a
    // key KMS does not have there is named with that region, not prod's ap-northeast-1.
    it("a signing key by key ARN in another region is looked up in that region, and named so when KMS does not have it", async () => {
        const { registry } = promotedToProd();
        const arn = `arn:aws:kms:us-east-1:123456789012:key/${fakeSigningKey().keyId}`;
        const result = await upProd(registry, { config: withImageSettings((i) => (i.verify.signingKey = `awskms:///${arn}`)) });
        assert.match(
            String(result.error?.message),
            new RegExp(`multicloud-service:image\\.verify\\.signingKey: KMS has no image signing key ${regExpText(arn)} in us-east-1 \\(NotFoundException: Key '${regExpText(arn)}' does not exist\\)`),
        );
        assert.deepStrictEqual(registeredTypes(result.cloud), []);
    });

    // KMS does not look up a key ID that is not one: recorded against AWS in localstack/localstack
    // tests/aws/services/kms/test_kms.snapshot.json (test_get_key_invalid_uuid).
    it("the fake KMS answers a key ID that is neither a UUID nor mrk- and 32 hex digits as KMS does: Invalid keyId", () => {
        const kms = new FakeKms("ap-northeast-1");
        const answered = (keyId: string) => {
            let status = 0;
            let body = "";
            const res = { writeHead: (s: number) => ((status = s), res), end: (b: string) => void (body = b) };
            kms.answer("GetPublicKey", { KeyId: keyId }, res as never);
            return { status, body: JSON.parse(body) };
        };
        for (const id of ["fake-key-id", "134f2428cec14b25a1ae9048164dba47", "mrk-fake-key-id"]) {
            assert.deepStrictEqual(answered(id), { status: 400, body: { __type: "NotFoundException", message: `Invalid keyId '${id}'` } });
        }
        const absent = "134f2428-cec1-4b25-a1ae-9048164dba47";
        assert.deepStrictEqual(answered(absent), { status: 400, body: { __type: "NotFoundException", message: `Key 'arn:aws:kms:ap-northeast-1:123456789012:key/${absent}' does not exist` } });
    });

    it("a production stack without image.verify is refused before anything is registered", async () => {
        const { registry } = promotedToProd();
        const config = readStackFile("prod").config;
        const result = await upProd(registry, { config: { ...config, "multicloud-service:image": JSON.stringify({ promoteFrom: "dev" }) } });
        assert.match(String(result.error?.message), /multicloud-service:image\.verify: is required in a production stack/);
        // Prebuilt images on both clouds do not take the requirement away.
        const prebuilt = (key: string, image: string) => JSON.stringify({ ...JSON.parse(config[key]), image });
        const both = await upProd(registry, {
            config: {
                ...config,
                "multicloud-service:image": JSON.stringify({}),
                "multicloud-service:aws": prebuilt("multicloud-service:aws", `${ECR_HOST}/shared-images@sha256:${"1".repeat(64)}`),
                "multicloud-service:gcp": prebuilt("multicloud-service:gcp", `asia-northeast1-docker.pkg.dev/other-project/images/service@sha256:${"2".repeat(64)}`),
            },
        });
        assert.match(String(both.error?.message), /multicloud-service:image\.verify: is required in a production stack/);
    });

    it("a preview of a new prod stack asks KMS for the key once, before anything is registered, and no registry", async () => {
        const { registry } = promotedToProd();
        const { run, cloud, error } = await upProd(registry, { preview: true, freshAccount: true });
        assert.ifError(error);
        assert.strictEqual(run!.outputs["aws.imageDigest"], undefined);
        assert.deepStrictEqual(cloud.awsApis.kms.requests, [{ action: "GetPublicKey", keyId: "alias/multicloud-service-image-signing" }]);
        assert.deepStrictEqual(cloud.ociRegistry.requests, []);
    });

    const withImageSettings = (change: (image: any) => void) => {
        const config = readStackFile("prod").config;
        const image = JSON.parse(config["multicloud-service:image"]);
        change(image);
        return { ...config, "multicloud-service:image": JSON.stringify(image) };
    };

    it("a critical finding of ECR's scan refuses the image (refuseSeverity defaults to CRITICAL)", async () => {
        const { registry, aws } = promotedToProd();
        const result = await upProd(registry, {
            config: withImageSettings(() => {}),
            setup: (c) => c.awsApis.scans.set(scanKey(aws.key, aws.digest), [{ status: "COMPLETE", counts: { CRITICAL: 2, HIGH: 5, LOW: 1 } }]),
        });
        refused(result, ecrImage, aws.digest, /vulnerabilities: ECR's scan in multicloud-service-prod \(ap-northeast-1\) reports 2 CRITICAL \(image\.verify\.refuseSeverity is CRITICAL\)/);
    });

    it("findings below the setting are allowed; refuseSeverity HIGH refuses them", async () => {
        const { registry, aws } = promotedToProd();
        const high = (c: MockCloud) => c.awsApis.scans.set(scanKey(aws.key, aws.digest), [{ status: "COMPLETE", counts: { HIGH: 3, MEDIUM: 10 } }]);
        const allowed = await upProd(registry, { setup: high });
        assert.ifError(allowed.error);
        assert.strictEqual(allowed.run!.outputs["aws.imageDigest"], aws.digest);
        const strict = await upProd(registry, { config: withImageSettings((i) => (i.verify.refuseSeverity = "HIGH")), setup: high });
        refused(strict, ecrImage, aws.digest, /reports 3 HIGH \(image\.verify\.refuseSeverity is HIGH\)/);
    });

    // The program always passes refuseSeverity (config/schema.ts defaults it); a package caller's component may leave it
    // unset, and then ServiceImage's own default decides. Here with the lookup LambdaEcrPipeline gives it (ecrLookup).
    it("a package caller's verification without refuseSeverity refuses a CRITICAL finding and lets HIGH ones run", async () => {
        const { registry, aws } = promotedToProd();
        const policy = { signingKey: `awskms:///${SIGNING_KEY_ALIAS}`, workflow: IMAGE_WORKFLOW_REF, keyRegion: "ap-northeast-1" };
        const source = { build: { context: path.join(PROJECT_ROOT, "app"), platform: aws.target.platform as ImagePlatform } };
        const resolve = async (counts: Record<string, number>) => {
            const setup = (c: MockCloud) => {
                c.useRegistry(registry);
                c.awsApis.repositories.add(aws.key); // the ECR repository createImageRepository creates beside the image
                c.awsApis.scans.set(scanKey(aws.key, aws.digest), [{ status: "COMPLETE", counts }]);
            };
            const { result } = await runUnderMocks({ stack: "prod", config: readStackFile("prod").config, setup }, () => {
                const lookup = ecrLookup(aws.key, "ap-northeast-1");
                return new ServiceImage("image", { source, repositoryUrl: ecrImage, lookup, ready: [], waitMinutes: 0, pushedBy: imagePusher({}), verify: policy });
            });
            return valueOf(result.digest);
        };
        assert.strictEqual(await resolve({ HIGH: 3, MEDIUM: 10 }), aws.digest);
        await assert.rejects(resolve({ CRITICAL: 1, HIGH: 3 }), /reports 1 CRITICAL \(image\.verify\.refuseSeverity is CRITICAL\)/);
    });

    it("a scan still running: a preview warns and goes on; `pulumi up` waits, and past image.waitMinutes fails saying so", async () => {
        const { registry, aws } = promotedToProd();
        const running = (c: MockCloud) => c.awsApis.scans.set(scanKey(aws.key, aws.digest), [{ status: "IN_PROGRESS" }]);
        const preview = await upProd(registry, { preview: true, setup: running });
        assert.ifError(preview.error);
        assert.strictEqual(preview.run!.outputs["aws.imageDigest"], aws.digest);
        const up = await upProd(registry, { config: withImageSettings((i) => (i.waitMinutes = 0)), setup: running });
        refused(up, ecrImage, aws.digest, /vulnerabilities: ECR's scan in multicloud-service-prod \(ap-northeast-1\) was still running after 0 min \(IN_PROGRESS\)/);
    });

    // Basic scanning reports an operating system it cannot scan as FAILED, "UnsupportedImageError: The operating system
    // and/or package manager are not supported." (ECR user guide, "Troubleshooting image scanning"); the API's ScanStatus
    // also has UNSUPPORTED_IMAGE.
    it("a failed scan refuses: nothing says the image is clean", async () => {
        const unsupported = "The operating system and/or package manager are not supported.";
        for (const scan of [
            { status: "FAILED", description: `UnsupportedImageError: ${unsupported}` },
            { status: "UNSUPPORTED_IMAGE", description: unsupported },
        ]) {
            const { registry, aws } = promotedToProd();
            const result = await upProd(registry, { setup: (c) => c.awsApis.scans.set(scanKey(aws.key, aws.digest), [scan]) });
            refused(result, ecrImage, aws.digest, new RegExp(`could not scan it \\(${scan.status}: ${regExpText(scan.description)}\\)`));
        }
    });

    it("Artifact Analysis: a critical finding refuses the Cloud Run image; prod enables scanning and the occurrences API, dev does not", async () => {
        const { registry, gcp } = promotedToProd();
        const result = await upProd(registry, { setup: (c) => c.containerAnalysis.scans.set(gcp.digest, { analysisStatus: "FINISHED_SUCCESS", severities: ["CRITICAL", "HIGH", "LOW"] }) });
        refused(result, gcp.target.repository, gcp.digest, /vulnerabilities: Artifact Analysis' scan in multicloud-service-prod reports 1 CRITICAL \(image\.verify\.refuseSeverity is CRITICAL\)/);
        const apis = (cloud: MockCloud) => cloud.ofType("gcp:projects/service:Service").map((s) => s.inputs.service).filter((s: string) => /^container/.test(s));
        assert.deepStrictEqual(apis(result.cloud).sort(), ["containeranalysis.googleapis.com", "containerscanning.googleapis.com"]);
        const dev = await committedStackRun("dev");
        assert.deepStrictEqual(apis(dev.cloud), [], "dev verifies nothing and pays for no scanning");
    });

    // Artifact Analysis records an image's discovery as its scan starts, at the push; none an hour after the push means none
    // will come (containerAnalysisScan.ts, DISCOVERY_EXPECTED_WITHIN_MS). That hour is the program's wait clock's, which the
    // registry's createTime must share: a Docker image's version is created by its push (Artifact Registry REST reference,
    // Version.createTime: "The time when the version was created.").
    it("Artifact Analysis records no discovery for an image image.yml pushed 59 min into the up: the up waits an hour from the push, on the program's clock, then says none will come", async () => {
        const registry = new FakeRegistry("none");
        const [aws, gcp] = prodTargets();
        registry.push(keyOf(aws), aws.tag);
        let firstLook: number | undefined;
        let pushedAt: number | undefined;
        const result = await upProd(registry, {
            config: withImageSettings((i) => (i.waitMinutes = 120)),
            setup: (c) => {
                registry.onFind = (repository, tag, found) => {
                    if (found || repository !== keyOf(gcp)) return;
                    firstLook ??= waitClock.now();
                    if (waitClock.now() - firstLook < 59 * 60_000) return;
                    c.containerAnalysis.scans.set(registry.push(repository, tag), { analysisStatus: "NONE" });
                    pushedAt = waitClock.now();
                };
            },
        });
        assert.ok(pushedAt !== undefined, "image.yml pushed the image");
        const digest = registry.find(keyOf(gcp), gcp.tag)!;
        refused(result, gcp.repository, digest, new RegExp(`could not scan it \\(no DISCOVERY occurrence for an image pushed ${regExpText(new Date(pushedAt).toISOString())}, and none will come`));
        // The scan read first at the look that found the image, 15 s after the push, then every 15 s: the last read is the
        // first more than an hour after the push, 60 min 15 s after it.
        const discoveryReads = result.cloud.containerAnalysis.requests.filter((r) => r.filter?.startsWith('kind="DISCOVERY"')).length;
        assert.strictEqual(discoveryReads * 15_000, 60 * 60_000 + 15_000, `${discoveryReads} reads of the scan`);
    });

    // Before, the components verified a prebuilt image: on a real `up` prod's buckets, roles, registries and the other
    // cloud's resources were made first, and the refusal came among the errors of what waited for it.
    for (const cloudName of ["aws", "gcp"] as const) {
        it(`an unsigned prebuilt ${cloudName}.image is a settings error naming it, before anything of either cloud is registered; a signed one deploys`, async () => {
            const { registry } = promotedToProd();
            const repository = cloudName === "aws" ? "shared-images" : "asia-northeast1-docker.pkg.dev/ci-images-project/releases/service";
            const signed = registry.push(repository, "v1");
            const unsigned = registry.push(repository, "v2", `sha256:${"9".repeat(64)}`);
            const image = (digest: string) => `${cloudName === "aws" ? `${ECR_HOST}/` : ""}${repository}@${digest}`;
            const withPrebuilt = (digest: string) => withSettings("prod", cloudName, { image: image(digest) });
            const ok = await upProd(registry, { config: withPrebuilt(signed) });
            assert.ifError(ok.error);
            const runners = cloudName === "aws" ? ok.cloud.ofType("aws:lambda/function:Function").map((fn) => fn.inputs.imageUri) : [ok.cloud.one("gcp:cloudrunv2/service:Service").inputs.template.containers[0].image];
            assert.deepStrictEqual([...new Set(runners)], [image(signed)], "what runs is the signed image, as it is");
            // Read once a run: the program's check before anything is registered and the component's share it.
            const signatureReads = ok.cloud.ociRegistry.requests.filter((r) => r.status === 200 && r.url.includes(`/manifests/${signed.replace(":", "-")}.sig`));
            assert.strictEqual(signatureReads.length, 1, JSON.stringify(signatureReads.map((r) => r.url)));
            const result = await upProd(registry, { config: withPrebuilt(unsigned) });
            assert.ok(result.error, "pulumi up must fail");
            assert.match(
                result.error.message,
                new RegExp(`^Stack "prod" has 1 invalid setting; nothing was deployed:\n {2}- multicloud-service:${cloudName}\.image: image ${regExpText(image(unsigned))} does not verify, so it is not deployed:\n {2}- signature: unsigned: there is no signature`),
            );
            assert.doesNotMatch(result.error.message, /error serializing/);
            assert.deepStrictEqual(registeredTypes(result.cloud), []);
        });
    }

    it("a prebuilt gcp.image in an Artifact Registry repository that is not there (or not readable) is refused in the registry's words, not called unsigned", async () => {
        const { registry } = promotedToProd();
        const config = readStackFile("prod").config;
        const image = `asia-northeast1-docker.pkg.dev/other-project/missing-repo/service@sha256:${"2".repeat(64)}`;
        const result = await upProd(registry, { config: { ...config, "multicloud-service:gcp": JSON.stringify({ ...JSON.parse(config["multicloud-service:gcp"]), image }) } });
        const message = String(result.error?.message);
        assert.match(
            message,
            /asia-northeast1-docker\.pkg\.dev refused a pull token for other-project\/missing-repo\/service: HTTP 403 DENIED: Permission "artifactregistry\.repositories\.downloadArtifacts" denied on resource "projects\/other-project\/locations\/asia-northeast1\/repositories\/missing-repo" \(or it may not exist\)/,
        );
        assert.doesNotMatch(message, /unsigned/);
        // The refused token is asked once in the run: the platform's read of the manifest asks it, and the signature's
        // read after it hears that refusal (components/image/ociRegistry.ts). Before, each read asked again (2).
        const tokenAsks = result.cloud.ociRegistry.requests.filter((r) => new URL(r.url).pathname === "/v2/token" && r.url.includes("missing-repo"));
        assert.deepStrictEqual(tokenAsks.map((r) => r.status), [403]);
        // A repository that is there but holds nothing yet gets its token; then the manifest is what is missing.
        const api = new FakeOciRegistryApi(() => registry);
        api.artifactRegistryRepositories.add("asia-northeast1-docker.pkg.dev/other-project/empty-repo");
        const login = `Basic ${Buffer.from("oauth2accesstoken:offline-gcp-access-token").toString("base64")}`;
        const token = (repo: string) => api.answer(new URL(`https://asia-northeast1-docker.pkg.dev/v2/token?scope=repository:other-project/${repo}/service:pull&service=asia-northeast1-docker.pkg.dev`), login);
        assert.strictEqual(token("empty-repo").status, 200);
        assert.strictEqual(token("missing-repo").status, 403);
    });

    it("dev (no image.verify) runs an image nobody signed", async () => {
        const registry = new FakeRegistry("none");
        const digests = repositoryTargets(imageTargets("dev"), ECR_HOST).map((t) => registry.push(keyOf(t), t.tag, `sha256:${t.cloud === "aws" ? "a".repeat(64) : "b".repeat(64)}`));
        const dev = await runProgram("dev", { setup: (c) => c.useRegistry(registry) });
        assert.deepStrictEqual([dev.outputs["aws.imageDigest"], dev.outputs["gcp.imageDigest"]], digests);
        assert.deepStrictEqual(dev.cloud.awsApis.kms.requests, []);
    });
});
