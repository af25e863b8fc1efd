import { KeyObject, verify } from "crypto";
import { isPlainObject } from "../../config/plainObject";
import { cosignTag, malformedAsTampered } from "./cosignSignature";
import { Absence, OciRepository, blob, manifestOrAbsence } from "./ociRegistry";

/** sigstore/cosign specs/ATTESTATION_SPEC.md: each attestation is a layer of the `.att` manifest, a DSSE envelope. */
export const DSSE_MEDIA_TYPE = "application/vnd.dsse.envelope.v1+json";
export const IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";
/** The predicate types `cosign attest --type slsaprovenance1` and `--type spdxjson` write. */
export const SLSA_PROVENANCE_V1 = "https://slsa.dev/provenance/v1";
export const SPDX_DOCUMENT = "https://spdx.dev/Document";

/** An attestation that verified: its in-toto predicate type and predicate. */
export interface VerifiedAttestation {
    predicateType: string;
    predicate: any;
}

interface DsseEnvelope {
    payloadType?: string;
    payload?: string;
    signatures?: { keyid?: string; sig?: string }[];
}

/**
 * The attestations of image `digest` whose DSSE signature the key verifies and whose in-toto statement names that
 * digest as its subject (ATTESTATION_SPEC.md, "Subject Verification"); the others are reported in `rejected`.
 * `missing`: the registry's code when the image has no `.att` manifest (MANIFEST_UNKNOWN, or NAME_UNKNOWN: no such repository).
 */
export async function verifiedAttestations(repo: OciRepository, digest: string, key: KeyObject): Promise<{ missing?: Absence; verified: VerifiedAttestation[]; rejected: string[] }> {
    const tag = cosignTag(digest, "att");
    const read = await manifestOrAbsence(repo, tag).catch(malformedAsTampered);
    if ("tampered" in read) return { verified: [], rejected: [`${tag} is ${read.tampered}`] };
    if ("absent" in read) return { missing: read.absent, verified: [], rejected: [] };
    const { manifest } = read;
    const verified: VerifiedAttestation[] = [];
    const rejected: string[] = [];
    for (const layer of (manifest.layers ?? []).filter((l) => l.mediaType === DSSE_MEDIA_TYPE)) {
        let envelope: DsseEnvelope;
        try {
            envelope = JSON.parse((await blob(repo, layer)).toString("utf8")) as DsseEnvelope;
        } catch (err) {
            if ((err as Error).name !== "BlobMismatchError" && !(err instanceof SyntaxError)) throw err;
            rejected.push(`an attestation in ${tag} is tampered: ${(err as Error).message}`);
            continue;
        }
        const notEnvelope = envelopeProblem(envelope);
        if (notEnvelope) {
            rejected.push(`an attestation in ${tag} is tampered: it is not a DSSE envelope (${notEnvelope})`);
            continue;
        }
        const payload = Buffer.from(envelope.payload ?? "", "base64");
        const signed = (envelope.signatures ?? []).some((s) => s.sig && verify("sha256", preAuthEncoding(envelope.payloadType ?? "", payload), key, Buffer.from(s.sig, "base64")));
        if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE || !signed) {
            rejected.push(`an attestation in ${tag} does not verify with the signing key (tampered, or signed by another key)`);
            continue;
        }
        let statement: { predicateType?: string; predicate?: unknown; subject?: { digest?: Record<string, string> }[] };
        try {
            statement = JSON.parse(payload.toString("utf8"));
        } catch (err) {
            rejected.push(`an attestation in ${tag} is signed but its statement is not JSON: ${(err as Error).message}`);
            continue;
        }
        const notStatement = statementProblem(statement);
        if (notStatement) {
            rejected.push(`an attestation in ${tag} is signed but its statement is not an in-toto statement (${notStatement})`);
            continue;
        }
        const hex = digest.slice("sha256:".length);
        if (!(statement.subject ?? []).some((s) => s.digest?.sha256 === hex)) {
            const named = (statement.subject ?? []).map((s) => `sha256:${s.digest?.sha256}`).join(", ") || "no subject";
            rejected.push(`a ${statement.predicateType} attestation in ${tag} is about ${named}, not ${digest}`);
            continue;
        }
        verified.push({ predicateType: String(statement.predicateType), predicate: statement.predicate });
    }
    return { verified, rejected };
}

/**
 * Why a parsed envelope is not DSSE's (secure-systems-lab/dsse envelope.md: `payload` and `payloadType` strings,
 * `signatures` a list of objects whose `sig` is a string), or undefined where it is.
 */
function envelopeProblem(envelope: unknown): string | undefined {
    if (!isPlainObject(envelope)) return `${JSON.stringify(envelope).slice(0, 100)} is not a JSON object`;
    if (envelope.payload !== undefined && typeof envelope.payload !== "string") return "its payload is not a string";
    if (envelope.payloadType !== undefined && typeof envelope.payloadType !== "string") return "its payloadType is not a string";
    const { signatures } = envelope;
    if (signatures !== undefined && !(Array.isArray(signatures) && signatures.every((s) => isPlainObject(s) && (s.sig === undefined || typeof s.sig === "string")))) {
        return "its signatures are not a list of objects with a sig string";
    }
    return undefined;
}

/** Why a signed payload is not an in-toto statement (in-toto attestation spec, statement.md: `subject` a list of objects, each `digest` a map), or undefined. */
function statementProblem(statement: unknown): string | undefined {
    if (!isPlainObject(statement)) return `${JSON.stringify(statement).slice(0, 100)} is not a JSON object`;
    const { subject } = statement;
    if (subject !== undefined && !(Array.isArray(subject) && subject.every((s) => isPlainObject(s) && (s.digest === undefined || isPlainObject(s.digest))))) {
        return "its subject is not a list of objects with a digest map";
    }
    return undefined;
}

/** DSSE's PAE: `DSSEv1 <len(type)> <type> <len(body)> <body>` (secure-systems-lab/dsse protocol.md), what the signature covers. */
export function preAuthEncoding(payloadType: string, payload: Buffer): Buffer {
    return Buffer.concat([Buffer.from(`DSSEv1 ${Buffer.byteLength(payloadType)} ${payloadType} ${payload.length} `), payload]);
}

/**
 * The workflow a SLSA v1 provenance says built the image, as GitHub writes a workflow identity
 * (`<owner>/<repo>/<path>@<ref>`, the OIDC token's `job_workflow_ref`), from the predicate's
 * `buildDefinition.externalParameters.workflow` (GitHub Actions build type, https://actions.github.io/buildtypes/workflow/v1).
 */
export function provenanceWorkflow(predicate: any): string | undefined {
    const workflow = predicate?.buildDefinition?.externalParameters?.workflow;
    if (!workflow?.repository || !workflow.path || !workflow.ref) return undefined;
    return `${String(workflow.repository).replace(/^https:\/\/github\.com\//, "")}/${workflow.path}@${workflow.ref}`;
}
