import { KeyObject, generateKeyPairSync } from "crypto";
import * as http from "http";
import { answerAwsJsonError, answerUnknownOperation } from "./awsErrorAnswer";
import { FAKE_ACCOUNT_ID, IamRefuser, iamDenied } from "./fakeIds";

/** The alias the stacks' `image.verify.signingKey` names (deployments/ creates the key under it). */
export const SIGNING_KEY_ALIAS = "alias/multicloud-service-image-signing";

/**
 * A KMS signing key as `deployments/` creates it (ECC_NIST_P256, SIGN_VERIFY), held by the fake cloud: the image
 * workflow's stand-in signs with its private half, and GetPublicKey answers its public half. One per process.
 */
export class FakeSigningKey {
    readonly keyId = "1234abcd-12ab-34cd-56ef-1234567890ab";
    readonly privateKey: KeyObject;
    readonly publicKey: KeyObject;
    constructor() {
        ({ privateKey: this.privateKey, publicKey: this.publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" }));
    }
}

let processKey: FakeSigningKey | undefined;
/** The signing key of every fake cloud in this process (one account's key, as all stacks share deployments/'s). */
export function fakeSigningKey(): FakeSigningKey {
    return (processKey ??= new FakeSigningKey());
}

/**
 * KMS's GetPublicKey on the wire (JSON 1.1, `X-Amz-Target: TrentService.GetPublicKey`), in its own words: the
 * DER-encoded SubjectPublicKeyInfo, KeySpec, KeyUsage and SigningAlgorithms, or HTTP 400 NotFoundException (the
 * code: KMS API reference, GetPublicKey: Errors, which describes it only as "The request was rejected because the
 * specified entity or resource could not be found."), or, with `deny`, IAM's AccessDeniedException. The
 * NotFoundException messages are KMS's as real answers carry them: "NotFoundException: Alias
 * arn:aws:kms:us-east-1:<account>:alias/cosign_key_test is not found." from GetPublicKey (sigstore/cosign#1474; with
 * "Status Code: 400" in cloudposse/docs#152), and "NotFoundException: Key 'arn:aws:kms:eu-west-1:<account>:key/<id>'
 * does not exist" (hashicorp/boundary-reference-architecture#15; boto/botocore#2107).
 */
export class FakeKms {
    /** Aliases that exist; deleting one makes the key unknown, as before deployments/ ran. */
    readonly aliases = new Set([SIGNING_KEY_ALIAS]);
    readonly requests: { action: string; keyId: string }[] = [];
    /** Aliases of other asymmetric keys and their KeySpec, e.g. a secp256k1 key, which also signs ECDSA_SHA_256. */
    readonly otherKeys = new Map<string, string>();
    /** The signing key's state: a disabled key, or one scheduled for deletion, is refused by every cryptographic call. */
    keyState: "Enabled" | "Disabled" | "PendingDeletion" = "Enabled";
    /**
     * When set, KMS refuses GetPublicKey (HTTP 400 AccessDeniedException) as IAM refuses a caller: `true`, no policy of
     * the caller's allows kms:GetPublicKey; else what refused it (an SCP, a permissions boundary: iamNotAuthorized).
     */
    deny: boolean | IamRefuser = false;
    /** When set, KMS throttles every request (HTTP 400 ThrottlingException), as an account over its request quota. */
    throttle = false;
    /** When set, every request's connection is reset unanswered, as a proxy or firewall that drops it does (a behaviour, not words). */
    dropConnections = false;
    /**
     * When set, GetPublicKey answers 200 with these fields instead of the key's: an answer KMS is not documented to
     * give (its PublicKey is the key's DER SubjectPublicKeyInfo, base64 on the wire: KMS API reference, GetPublicKey),
     * for what the reader does with one that has no key, or bytes that are none.
     */
    publicKeyAnswer: object | undefined = undefined;

    constructor(
        readonly region: string,
        readonly key: () => FakeSigningKey = fakeSigningKey,
    ) {}

    /**
     * `region`: the one the request was signed for, whose KMS endpoint it reached (signedRegion.ts). KMS keys and aliases
     * are regional: another region's KMS has none of this key's (the key ARN names its region; signingKey.ts asks it there).
     */
    answer(action: string, input: { KeyId?: string }, res: http.ServerResponse, region = this.region): void {
        const keyId = String(input.KeyId);
        this.requests.push({ action, keyId });
        if (this.dropConnections) return void res.socket?.resetAndDestroy();
        if (action !== "GetPublicKey") return answerUnknownOperation(res);
        // KMS's words and status (AWS KMS Developer Guide, "Throttling AWS KMS requests": "You have exceeded the rate at
        // which you may call KMS. Reduce the frequency of your calls. (Service: AWSKMS; Status Code: 400; Error Code:
        // ThrottlingException ...").
        if (this.throttle) return answerAwsJsonError(res, 400, "ThrottlingException", "You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls.");
        const key = this.key();
        const arn = `arn:aws:kms:${this.region}:${FAKE_ACCOUNT_ID}:key/${key.keyId}`;
        // KeyId may be a key ID, key ARN, alias name or alias ARN (KMS API reference, GetPublicKey: KeyId).
        const alias = /^(?:arn:aws:kms:[a-z0-9-]+:\d{12}:)?(alias\/.+)$/.exec(keyId)?.[1];
        const other = alias === undefined ? undefined : this.otherKeys.get(alias);
        const known = region === this.region && (keyId === key.keyId || keyId === arn || (alias !== undefined && (this.aliases.has(alias) || other !== undefined)));
        if (!known) {
            // A key asked by its ID is named by its ARN ("Key 'arn:aws:kms:us-east-1:<account>:key/<id>' does not exist",
            // boto/botocore#2107; the class comment's sources).
            const keyArn = keyId.startsWith("arn:") ? keyId : `arn:aws:kms:${region}:${FAKE_ACCOUNT_ID}:key/${keyId}`;
            // A bare key ID that is neither a UUID nor mrk- and 32 hex digits is not looked up: "Invalid keyId
            // 'fake-key-id'", also for "134f2428cec14b25a1ae9048164dba47" (a UUID without its dashes) and "mrk-fake-key-id"
            // (DescribeKey answers recorded against AWS: localstack/localstack tests/aws/services/kms/test_kms.snapshot.json,
            // test_get_key_invalid_uuid, marked aws.validated; last validated 2024-04-11 in test_kms.validation.json).
            // Such an ID inside a key ARN is not covered by that recording, and keeps the ARN answer.
            const wellFormed = /^(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|mrk-[0-9a-fA-F]{32})$/.test(keyId);
            const message = alias
                ? `Alias arn:aws:kms:${region}:${FAKE_ACCOUNT_ID}:${alias} is not found.`
                : !keyId.startsWith("arn:") && !wellFormed
                  ? `Invalid keyId '${keyId}'`
                  : `Key '${keyArn}' does not exist`;
            return answerAwsJsonError(res, 400, "NotFoundException", message);
        }
        // A caller without kms:GetPublicKey: HTTP 400, `__type` AccessDeniedException, IAM's words naming the key's ARN
        // (fakeIds.ts iamNotAuthorized; KMS's own answer, status 400, is quoted in ecadlabs/signatory#388). On the wire
        // as botocore's kms 2014-11-01 service-2.json has the protocol: "json", jsonVersion 1.1, targetPrefix
        // TrentService. That model lists no AccessDeniedException (GetPublicKey's errors are KMS's own), so the SDK has
        // no class for it and names its error from `__type`. Not documented: whether KMS checks the caller before the
        // key's existence; here after it (the message names the key's ARN), before its state.
        if (this.deny) return answerAwsJsonError(res, 400, "AccessDeniedException", iamDenied("kms:GetPublicKey", arn, this.deny));
        // KMS names the key by its ARN, status 400: "DisabledException: arn:aws:kms:<region>:<account>:key/<id> is
        // disabled." (quoted in hashicorp/terraform#14029) and "KMSInvalidStateException: arn:aws:kms:<region>:
        // <account>:key/<id> is pending deletion." (quoted in hashicorp/terraform-provider-aws#17889; that provider's
        // kms/key.go matches "is pending deletion").
        if (other === undefined && this.keyState === "Disabled") return answerAwsJsonError(res, 400, "DisabledException", `${arn} is disabled.`);
        if (other === undefined && this.keyState === "PendingDeletion") return answerAwsJsonError(res, 400, "KMSInvalidStateException", `${arn} is pending deletion.`);
        // CustomerMasterKeySpec: deprecated, still answered beside KeySpec (client-kms GetPublicKeyResponse).
        const keySpec = other ?? "ECC_NIST_P256";
        res.writeHead(200, { "content-type": "application/x-amz-json-1.1" }).end(JSON.stringify(this.publicKeyAnswer ?? {
            KeyId: arn,
            CustomerMasterKeySpec: keySpec,
            KeySpec: keySpec,
            KeyUsage: "SIGN_VERIFY",
            PublicKey: key.publicKey.export({ format: "der", type: "spki" }).toString("base64"),
            SigningAlgorithms: ["ECDSA_SHA_256"],
        }));
    }
}
