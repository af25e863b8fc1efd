import * as assert from "assert";
import { awsReadFailure } from "../../components/aws/awsClient";
import { Refusal } from "../../components/refusal";

describe("awsReadFailure: a read that AWS throttled after the SDK's retries", () => {
    // Each service's own name for it: KMS's ThrottlingException, STS's Throttling (aws/aws-sdk-go-v2#2481: "api error
    // Throttling: Rate exceeded" from GetCallerIdentity), Lambda's TooManyRequestsException (429; "Rate exceeded" on its
    // management API, aws-samples/serverless-snippets#258). The words are the same for the three here, KMS's own are
    // supplyChain.spec's (fakeKms.ts).
    for (const [service, name, needs] of [
        ["KMS", "ThrottlingException", "kms:GetPublicKey on it"],
        ["STS", "Throttling", "sts:GetCallerIdentity"],
        ["Lambda", "TooManyRequestsException", "lambda:GetAccountSettings"],
    ]) {
        it(`${service}'s ${name} says the read was throttled and to run again, printed without a stack`, () => {
            const throttled = Object.assign(new Error("Rate exceeded"), { name, $metadata: { httpStatusCode: name === "TooManyRequestsException" ? 429 : 400, attempts: 3 } });
            const failure = awsReadFailure(`could not read from ${service}`, throttled, { service, needs });
            assert.ok(failure instanceof Refusal, `${failure.constructor.name} is not a Refusal`);
            assert.strictEqual(
                failure.message,
                `could not read from ${service}: ${name}: Rate exceeded; ${service} throttled the read, after the AWS SDK's retries (the account's request rate, not a permission or the setting): run again`,
            );
        });
    }

    it("another answer keeps the SDK's words alone", () => {
        const other = Object.assign(new Error("Internal error"), { name: "KMSInternalException", $metadata: { httpStatusCode: 500, attempts: 3 } });
        assert.strictEqual(awsReadFailure("could not read from KMS", other, { service: "KMS", needs: "kms:GetPublicKey" }).message, "could not read from KMS: KMSInternalException: Internal error");
    });
});
