import * as assert from "assert";
import { signingPublicKey } from "../../components/image/signingKey";
import { useCloudApisInProcess } from "../../scripts/offline/cloudApiServer";
import { FAKE_ACCOUNT_ID } from "../../scripts/offline/fakeIds";
import { SIGNING_KEY_ALIAS } from "../../scripts/offline/fakeKms";
import { MockCloud } from "../../scripts/offline/mockCloud";

// A region of its own: the key's answer is kept for the process outside a run (signingKey.ts, perRun).
const REGION = "me-central-1";
const REFERENCE = `awskms:///${SIGNING_KEY_ALIAS}`;
const RETRY = "check that AWS_ENDPOINT_URL_KMS and AWS_ENDPOINT_URL, if set, name KMS itself, then run this again";

// Before: both read as "could not read the image signing key ... from KMS", with the deployer's need of
// kms:GetPublicKey beside it, sending one to IAM for an answer that had no key in it.
describe("a KMS answer without a usable public key is refused saying what it lacked, not as a permission problem", function () {
    this.timeout(30_000);
    let cloud: MockCloud;
    let restore: () => void;
    beforeEach(async () => {
        cloud = new MockCloud({ aws: REGION, gcp: "me-central1" }, "multicloud-service-prod");
        restore = await useCloudApisInProcess(cloud);
    });
    afterEach(() => restore());

    const signingKeyAnswer = { KeyId: `arn:aws:kms:${REGION}:${FAKE_ACCOUNT_ID}:key/1234abcd-12ab-34cd-56ef-1234567890ab`, KeySpec: "ECC_NIST_P256", KeyUsage: "SIGN_VERIFY", SigningAlgorithms: ["ECDSA_SHA_256"] };

    it("no PublicKey in the answer", async () => {
        cloud.awsApis.kms.publicKeyAnswer = signingKeyAnswer;
        await assert.rejects(signingPublicKey(REFERENCE, REGION), {
            message: `KMS's GetPublicKey for the image signing key ${SIGNING_KEY_ALIAS} (${REGION}) answered with no PublicKey (${JSON.stringify({ KeyId: signingKeyAnswer.KeyId, KeySpec: "ECC_NIST_P256", KeyUsage: "SIGN_VERIFY" })}): ${RETRY}`,
        });
    });

    it("a PublicKey that is no DER SubjectPublicKeyInfo", async () => {
        cloud.awsApis.kms.publicKeyAnswer = { ...signingKeyAnswer, PublicKey: Buffer.from("not a key").toString("base64") };
        await assert.rejects(signingPublicKey(REFERENCE, REGION), (err: Error) => {
            assert.match(err.message, new RegExp(`^KMS's GetPublicKey for the image signing key ${SIGNING_KEY_ALIAS} \\(${REGION}\\) answered a PublicKey that is no DER SubjectPublicKeyInfo \\(.+; 9 bytes, starting 6e6f742061206b65\\): ${RETRY}$`));
            assert.doesNotMatch(err.message, /kms:GetPublicKey/);
            return true;
        });
        cloud.awsApis.kms.publicKeyAnswer = undefined;
        assert.strictEqual((await signingPublicKey(REFERENCE, REGION)).asymmetricKeyType, "ec");
    });
});
