import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { STSClient } from "@aws-sdk/client-sts";
import { boundedAttempt } from "../../components/aws/awsClient";
import { profileTheReadsTake } from "../../components/aws/environmentProfile";
import { probeLambdaClient } from "../../release/probe/lambdaTransport";
import { withProcessEnvironment } from "../../scripts/offline/environment";
import { scratchDir } from "../harness/tempDirs";

/**
 * A HOME whose ~/.aws/config has one profile, `deployer`, with a key pair and no [default], and the environment naming
 * it as AWS_DEFAULT_PROFILE alone. The AWS provider's SDK takes its profile from AWS_PROFILE, else AWS_DEFAULT_PROFILE
 * (aws-sdk-go-v2 config env_config.go profileEnvKeys, read by NewEnvConfig; hashicorp/aws-sdk-go-base getCredentialsProvider
 * loads it with config.LoadDefaultConfig), while the JS SDK reads AWS_PROFILE alone (@smithy/core config getProfileName).
 */
function defaultProfileHome(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
    const home = scratchDir("aws-default-profile");
    fs.mkdirSync(path.join(home, ".aws"), { recursive: true });
    fs.writeFileSync(path.join(home, ".aws", "config"), ["[profile deployer]", "aws_access_key_id = AKIADEPLOYERPROFILE", "aws_secret_access_key = secret", ""].join("\n"));
    return {
        HOME: home,
        AWS_DEFAULT_PROFILE: "deployer",
        AWS_PROFILE: undefined,
        AWS_CONFIG_FILE: undefined,
        AWS_SHARED_CREDENTIALS_FILE: undefined,
        AWS_ACCESS_KEY_ID: undefined,
        AWS_SECRET_ACCESS_KEY: undefined,
        AWS_SESSION_TOKEN: undefined,
        AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
        AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
        AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
        AWS_EC2_METADATA_DISABLED: "true",
        ...extra,
    };
}

/** The access key the program's AWS reads would sign with: its clients' own credential chain, resolved. */
async function readerKey(): Promise<string> {
    return signingKey(new STSClient({ region: "eu-north-1", ...boundedAttempt() }));
}

/** The access key `client` would sign with: its own credential chain, resolved. */
async function signingKey(client: { config: { credentials: () => Promise<{ accessKeyId: string }> }; destroy(): void }): Promise<string> {
    try {
        return (await client.config.credentials()).accessKeyId;
    } finally {
        client.destroy();
    }
}

describe("the program's AWS reads take the profile the AWS provider takes", () => {
    it("AWS_DEFAULT_PROFILE alone: the reads use that profile, as the provider does, not a [default] that is not there", async () => {
        assert.strictEqual(await withProcessEnvironment(defaultProfileHome(), readerKey), "AKIADEPLOYERPROFILE");
    });

    it("AWS_PROFILE beside it wins, in both SDKs", async () => {
        const home = defaultProfileHome({ AWS_PROFILE: "other", AWS_DEFAULT_PROFILE: "deployer" });
        fs.appendFileSync(path.join(home.HOME!, ".aws", "config"), ["[profile other]", "aws_access_key_id = AKIAOTHERPROFILE", "aws_secret_access_key = secret", ""].join("\n"));
        assert.strictEqual(await withProcessEnvironment(home, readerKey), "AKIAOTHERPROFILE");
    });

    it("a key pair in the environment beside AWS_DEFAULT_PROFILE: the keys, as aws-sdk-go-v2 resolveCredentialChain takes them before a profile the environment names", async () => {
        const home = defaultProfileHome({ AWS_ACCESS_KEY_ID: "AKIAENVIRONMENTKEYS", AWS_SECRET_ACCESS_KEY: "secret" });
        assert.strictEqual(await withProcessEnvironment(home, readerKey), "AKIAENVIRONMENTKEYS");
        assert.strictEqual(profileTheReadsTake(home), undefined, "a message about the credentials names no profile: the keys signed");
    });

    it("the release's probe signs its Invoke of the new version with that profile too, as the release's other AWS reads do", async () => {
        const key = await withProcessEnvironment(defaultProfileHome(), async () => signingKey(await probeLambdaClient({ region: "eu-north-1" })));
        assert.strictEqual(key, "AKIADEPLOYERPROFILE");
    });
});
