import * as assert from "assert";
import * as fc from "fast-check";
import { supplyChainProblems } from "../../components/image/imageVerification";
import { configPlatform } from "../../components/image/imagePlatform";
import { manifestByTag } from "../../components/image/ociRegistry";
import { MalformedRegistryAnswer } from "../../components/image/ociShapes";
import { fakeSigningKey } from "../../scripts/offline/fakeKms";
import { withFakeFetch } from "../harness/fakeFetch";
import {
    HOSTILE_DIGEST, HOSTILE_HOST, HOSTILE_POLICY, HOSTILE_REPOSITORY, bytesOf, descriptorOf, dsseLayer, hostileRegistry, hostileRepository, manifestOf, signedEnvelope,
    signedSignatureLayer,
} from "./hostileRegistrySetup";

const RUNS = 60;

/** Any JSON value (small), or text that is not JSON: what a registry, a proxy or a man in the middle may answer 200 with. */
const hostileJson = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(null, "x", 5, [], [null], {}, { a: 1 }, [{}], [5]));
const hostileBytes = fc.oneof(hostileJson.map(bytesOf), fc.constantFrom("", "not json", "<html>", "\ufeff{}", "{\"layers\":").map((t) => Buffer.from(t)));

/** Where in what the image's verification reads one hostile answer is planted (the `.sig`, the `.att`, their blobs). */
const planted = fc.oneof(
    hostileBytes.map((sig) => ({ sig })),
    hostileBytes.map((att) => ({ att })),
    hostileJson.map((layers) => ({ sig: manifestOf(layers), att: manifestOf(layers) })),
    hostileJson.map((annotations) => {
        const payload = bytesOf("payload");
        return { sig: manifestOf([descriptorOf("application/vnd.dev.cosign.simplesigning.v1+json", payload, annotations)]), blobs: [payload] };
    }),
    hostileJson.map((annotation) => {
        const payload = bytesOf("payload");
        return { sig: manifestOf([descriptorOf("application/vnd.dev.cosign.simplesigning.v1+json", payload, { "dev.cosignproject.cosign/signature": annotation })]), blobs: [payload] };
    }),
    hostileBytes.map((payload) => ({ sig: manifestOf([signedSignatureLayer(payload)]), blobs: [payload] })),
    hostileBytes.map((envelope) => ({ att: manifestOf([dsseLayer(envelope)]), blobs: [envelope] })),
    hostileJson.map((fields) => {
        const envelope = bytesOf({ payloadType: "application/vnd.in-toto+json", payload: "eA==", signatures: [{ sig: "AAAA" }], ...(typeof fields === "object" && fields !== null && !Array.isArray(fields) ? fields : { signatures: fields }) });
        return { att: manifestOf([dsseLayer(envelope)]), blobs: [envelope] };
    }),
    hostileBytes.map((statement) => {
        const envelope = signedEnvelope(statement);
        return { att: manifestOf([dsseLayer(envelope)]), blobs: [envelope] };
    }),
    hostileJson.map((subject) => {
        const envelope = signedEnvelope(bytesOf({ _type: "https://in-toto.io/Statement/v1", subject, predicateType: "https://slsa.dev/provenance/v1", predicate: {} }));
        return { att: manifestOf([dsseLayer(envelope)]), blobs: [envelope] };
    }),
);

/** Buffers printed as their text in a counterexample (fast-check prints a Buffer's bytes one by one). */
function readable<T extends object>(plant: T): T {
    for (const value of Object.values(plant).flat()) {
        if (Buffer.isBuffer(value)) Object.assign(value, { [fc.toStringMethod]: () => `bytes ${JSON.stringify(value.toString("utf8"))}` });
    }
    return plant;
}

/** A failure that is not the layer's own: a bare TypeError/RangeError/SyntaxError, or a message naming neither the image nor the host. */
function assertOwnFailure(err: unknown, names: string): void {
    assert.ok(err instanceof Error, `not an Error: ${String(err)}`);
    assert.ok(!(err instanceof TypeError || err instanceof RangeError || err instanceof SyntaxError), `${err.name}: ${err.message}`);
    assert.ok(err.message.includes(names), `the error names neither ${names}: ${err.name}: ${err.message}`);
}

/**
 * The image path's registry answers of any shape (opencontainers/image-spec manifest.md, descriptor.md; sigstore/cosign
 * SIGNATURE_SPEC.md, ATTESTATION_SPEC.md; secure-systems-lab/dsse envelope.md; in-toto statement.md), planted in the
 * registry stand-in: the verification answers its reasons (ImageVerificationError's lines) or fails naming the image,
 * never with a TypeError, RangeError or SyntaxError.
 */
describe("hostile registry answers (property-based): the image's own refusal, never a bare TypeError", function () {
    this.timeout(60_000);

    it(`${RUNS} hostile .sig/.att manifests, descriptors, payloads, envelopes and statements end as reasons naming the image`, async () => {
        await fc.assert(
            fc.asyncProperty(planted.map(readable), async (plant) => {
                const problems = await withFakeFetch(hostileRegistry(plant), () =>
                    supplyChainProblems(hostileRepository(), HOSTILE_DIGEST, HOSTILE_POLICY, fakeSigningKey().publicKey),
                ).catch((err: unknown) => (assertOwnFailure(err, `${HOSTILE_HOST}/${HOSTILE_REPOSITORY}`), undefined));
                if (problems) assert.ok(problems.length > 0, "a hostile answer verified");
            }),
            { numRuns: RUNS },
        );
    });

    it(`${RUNS} hostile image manifests and configs end as a platform or a MalformedRegistryAnswer naming the image`, async () => {
        const manifestAndConfig = fc.oneof(
            hostileBytes.map((manifest) => ({ manifest, config: bytesOf({}) })),
            hostileJson.map((config) => ({ manifest: manifestOf([], { config }), config: bytesOf({}) })),
            hostileJson.map((manifests) => ({ manifest: manifestOf([], { manifests }), config: bytesOf({}) })),
            hostileBytes.map((config) => ({ manifest: manifestOf([], { config: descriptorOf("application/vnd.oci.image.config.v1+json", config) }), config })),
        );
        await fc.assert(
            fc.asyncProperty(manifestAndConfig.map(readable), async ({ manifest, config }) => {
                await withFakeFetch(hostileRegistry({ tags: { c1: manifest }, blobs: [config] }), async () => {
                    const read = await manifestByTag(hostileRepository(), "c1").then(async (m) => m && configPlatform(hostileRepository(), m));
                    if (read !== undefined) assert.match(read, /^[^/]+\/[^/]+$/);
                }).catch((err: unknown) => {
                    assertOwnFailure(err, `${HOSTILE_HOST}/${HOSTILE_REPOSITORY}`);
                    assert.ok(err instanceof MalformedRegistryAnswer, `${(err as Error).name}: ${(err as Error).message}`);
                });
            }),
            { numRuns: RUNS },
        );
    });
});
