import { KeyObject, createPublicKey } from "crypto";
import { answerExcerpt } from "../answerExcerpt";
import { perRun } from "../perRun";
import { awsReadFailure, withClient } from "../aws/awsClient";
import { SDK_DEFAULT_CREDENTIALS } from "../aws/environmentProfile";
import { LastingRefusal } from "../lastingRefusal";
import { Refusal, refusal } from "../refusal";
import { signingKeyRevival } from "./signingKeyRevival";
import { endpointVariablesNameIt } from "../aws/endpointVariables";

/**
 * The key id in a cosign AWS KMS reference, `awskms:///<key id | alias/<name> | key or alias ARN>` (the form
 * `cosign sign --key` takes; sigstore/sigstore pkg/signature/kms/aws). A custom endpoint (`awskms://<host>/...`) is
 * not supported: the program reaches KMS as the AWS SDK does, through its standard endpoint settings.
 */
export function awsKmsKeyId(reference: string): string {
    // A key ID is a UUID, or mrk- and 32 hex digits for a multi-region key (KMS developer guide, "Key ID"; sigstore's
    // own pattern takes either case).
    const match = /^awskms:\/\/\/(alias\/[A-Za-z0-9/_-]+|(?:mrk-[0-9a-fA-F]{32}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})|arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(?:key|alias)\/[A-Za-z0-9/_-]+)$/.exec(reference);
    if (!match) throw refusal(`image.verify.signingKey "${reference}" must be awskms:///alias/<name>, awskms:///<key id> or awskms:///<key ARN>`);
    return match[1];
}

/** The keys asked in this run: the program's check before anything is registered and each verification share one answer. */
const publicKeys = perRun<KeyObject>();

/** A signing key KMS does not have, or one that cannot sign as cosign does: the setting is wrong, not the access. */
export class SigningKeyRefusal extends Refusal {
    name = "SigningKeyRefusal";
}

/**
 * No AWS credentials to read the key with: the SDK's default chain found none, before any request (CredentialsProviderError,
 * tests/aws/unansweredCalls.spec.ts). It lasts the run, as a denial does.
 */
export class NoAwsCredentials extends LastingRefusal {
    name = "NoAwsCredentials";
}

/**
 * The public half of the signing key, asked of KMS once per run (GetPublicKey answers the DER SubjectPublicKeyInfo).
 * The image workflow signs with the private half, which never leaves KMS.
 */
export function signingPublicKey(reference: string, region: string): Promise<KeyObject> {
    const keyId = awsKmsKeyId(reference);
    const region_ = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):/.exec(keyId)?.[1] ?? region;
    return publicKeys(`${region_}/${keyId}`, () => askPublicKey(keyId, region_));
}

async function askPublicKey(keyId: string, region: string): Promise<KeyObject> {
    const { KMSClient, GetPublicKeyCommand } = await import("@aws-sdk/client-kms");
    const answer = await withClient(KMSClient, region, async (client) => {
        try {
            return await client.send(new GetPublicKeyCommand({ KeyId: keyId }));
        } catch (err) {
            const e = err as Error;
            // NotFoundException: no such key or alias in that region (KMS API reference, GetPublicKey: Errors).
            if (e.name === "NotFoundException") {
                throw new SigningKeyRefusal(
                    `KMS has no image signing key ${keyId} in ${region} (${e.name}: ${e.message}): deployments/ makes it (deployments/imageSigningKey.ts), so run it first, or name a key that is there (a key ARN names its own region)`,
                );
            }
            // A key that is there but not usable: disabled ("<key ARN> is disabled."), or scheduled for deletion or otherwise
            // not Enabled ("<key ARN> is pending deletion.").
            if (e.name === "DisabledException") {
                throw new SigningKeyRefusal(
                    `KMS will not use the image signing key ${keyId} in ${region} (${e.name}: ${e.message}): enable it (${signingKeyRevival(keyId, region, false)}), or name a key that is enabled`,
                );
            }
            if (e.name === "KMSInvalidStateException") {
                throw new SigningKeyRefusal(
                    `KMS will not use the image signing key ${keyId} in ${region} (${e.name}: ${e.message}): if it is pending deletion, cancel that and enable it (${signingKeyRevival(keyId, region, true)}), or name a key that is enabled`,
                );
            }
            if (e.name === "CredentialsProviderError") {
                throw new NoAwsCredentials(
                    `could not read the image signing key ${keyId} from KMS (${region}): ${e.name}: ${e.message} (it is read with the AWS SDK's default credentials: ${SDK_DEFAULT_CREDENTIALS})`,
                    { cause: e },
                );
            }
            // A denied kms:GetPublicKey (AccessDeniedException) is the answer for the run: kept as a refusal (perRun.ts),
            // so the components hear what the program's check was told without asking KMS again.
            throw awsReadFailure(`could not read the image signing key ${keyId} from KMS (${region})`, e, { service: "KMS", needs: "kms:GetPublicKey on it" });
        }
    });
    // ECDSA_SHA_256 alone does not say P-256: a secp256k1 key (ECC_SECG_P256K1) signs with it too.
    if (answer.KeyUsage !== "SIGN_VERIFY" || answer.KeySpec !== "ECC_NIST_P256" || !answer.SigningAlgorithms?.includes("ECDSA_SHA_256")) {
        throw new SigningKeyRefusal(`KMS key ${keyId} (${region}) is not an ECDSA P-256 signing key (${answer.KeySpec}, ${answer.KeyUsage}): cosign signs images with ECDSA_SHA_256`);
    }
    return publicKeyOf(answer, keyId, region);
}

/** A GetPublicKey answer of no key, or of bytes that are no key: not a permission problem, so not said as one. */
class UnreadablePublicKey extends Refusal {
    name = "UnreadablePublicKey";
}

/** KMS answers the public key as a DER-encoded SubjectPublicKeyInfo (KMS API reference, GetPublicKey: PublicKey). */
function publicKeyOf(answer: { PublicKey?: Uint8Array; KeyId?: string; KeySpec?: string; KeyUsage?: string }, keyId: string, region: string): KeyObject {
    const retry = `check that ${endpointVariablesNameIt("KMS")}, then run this again`;
    if (!answer.PublicKey?.length) {
        const { KeyId, KeySpec, KeyUsage } = answer;
        throw new UnreadablePublicKey(`KMS's GetPublicKey for the image signing key ${keyId} (${region}) answered with no PublicKey (${answerExcerpt({ KeyId, KeySpec, KeyUsage })}): ${retry}`);
    }
    try {
        return createPublicKey({ key: Buffer.from(answer.PublicKey), format: "der", type: "spki" });
    } catch (err) {
        throw new UnreadablePublicKey(
            `KMS's GetPublicKey for the image signing key ${keyId} (${region}) answered a PublicKey that is no DER SubjectPublicKeyInfo (${(err as Error).message}; ` +
                `${answer.PublicKey.length} bytes, starting ${Buffer.from(answer.PublicKey.subarray(0, 8)).toString("hex")}): ${retry}`,
        );
    }
}
