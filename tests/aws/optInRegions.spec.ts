import * as assert from "assert";
import { Region } from "@pulumi/aws/types/enums";
import { awsReadFailure } from "../../components/aws/awsClient";
import { isOptInRegion } from "../../components/aws/optInRegions";
import { sdkIdentity } from "../../components/aws/sdkIdentity";
import { readStackFile } from "../../config/stackFile";
import { cloudAccess } from "../../release/main";
import { releasePlanFromConfig } from "../../release/settings";
import { useCloudApisInProcess } from "../../scripts/offline/cloudApiServer";
import { MockCloud, mockCloudFor } from "../../scripts/offline/mockCloud";
import { FakeStack } from "../release/fakes";

/** Runs `use` with this process's AWS SDK calls going to `cloud`'s stand-ins, whose STS takes no token. */
async function withStsRefusingTheToken<T>(use: (cloud: MockCloud) => Promise<T>): Promise<T> {
    const cloud = mockCloudFor(readStackFile("prod").config);
    cloud.awsApis.refuseToken = true;
    const restore = await useCloudApisInProcess(cloud);
    try {
        return await use(cloud);
    } finally {
        restore();
    }
}

const STS_WORDS = "InvalidClientTokenId: The security token included in the request is invalid.";

// Before: in a region the account had not enabled (every region launched after March 20, 2019 until it is), or with a
// session token from STS's global endpoint there, the check of whose the credentials are said only STS's words, "The
// security token included in the request is invalid", which read as keys that are wrong or expired: a release (its own
// credentials, asked before any traffic moves) stopped naming no region, and the credentials were rotated for nothing.
describe("credentials refused in an opt-in AWS region name the region's opt-in status, STS's own words kept", function () {
    this.timeout(30_000);

    it("the regions launched after March 20, 2019 are opt-in; the older ones and other partitions are not", () => {
        for (const region of ["af-south-1", "ap-east-1", "ap-southeast-3", "eu-south-1", "me-south-1", "mx-central-1", "ap-east-2", "il-central-1"]) {
            assert.ok(isOptInRegion(region), region);
        }
        for (const region of ["us-east-1", "ap-northeast-1", "ap-northeast-3", "eu-north-1", "sa-east-1", "cn-north-1", "us-gov-west-1", "eusc-de-east-1"]) {
            assert.ok(!isOptInRegion(region), region);
        }
        // Every one @pulumi/aws knows is either: 17 regions every account has, the rest opt-in or outside the commercial partition.
        const commercialDefault = Object.values(Region).filter((r) => !isOptInRegion(r) && !/^(cn-|us-gov-|eusc-)|-iso/.test(r));
        assert.strictEqual(commercialDefault.length, 17, commercialDefault.join(" "));
    });

    it("STS refusing the token in an opt-in region: its words, then the region's opt-in status and the global endpoint's tokens", async () => {
        await withStsRefusingTheToken(async () => {
            await assert.rejects(sdkIdentity("af-south-1"), (err: Error) => {
                assert.ok(err.message.startsWith(`could not ask STS in af-south-1 whose the AWS SDK's default credentials are (GetCallerIdentity): ${STS_WORDS} (af-south-1 is an opt-in region`), err.message);
                assert.match(err.message, /aws account get-region-opt-status --region-name af-south-1/);
                assert.match(err.message, /STS's global endpoint \(sts\.amazonaws\.com\).*version 2 tokens/);
                assert.doesNotMatch(err.message, /needs sts:GetCallerIdentity/);
                return true;
            });
        });
    });

    it("in a region every account has, the same refusal is the credentials' own: STS's words alone", async () => {
        await withStsRefusingTheToken(async () => {
            await assert.rejects(sdkIdentity("eu-west-2"), (err: Error) => {
                assert.strictEqual(err.message, `could not ask STS in eu-west-2 whose the AWS SDK's default credentials are (GetCallerIdentity): ${STS_WORDS}`);
                return true;
            });
        });
    });

    it("another refusal there is not the region's: an expired session token keeps STS's words alone", () => {
        // STS's words for it (GetCallerIdentity): "An error occurred (ExpiredToken) ... The security token included in the
        // request is expired" (miquella/vaulted#107, prowler-cloud/prowler#789).
        const expired = Object.assign(new Error("The security token included in the request is expired"), { name: "ExpiredToken" });
        const unread = "could not ask STS in af-south-1 whose the AWS SDK's default credentials are (GetCallerIdentity)";
        const failure = awsReadFailure(unread, expired, { service: "STS", needs: "sts:GetCallerIdentity", region: "af-south-1" });
        assert.strictEqual(failure.message, `${unread}: ExpiredToken: The security token included in the request is expired`);
    });

    it("a release of a stack in an opt-in region: its question of whose its credentials are fails naming the region's opt-in status", async () => {
        await withStsRefusingTheToken(async (cloud) => {
            const plan = releasePlanFromConfig(new FakeStack("prod", undefined, (values) => (values["aws:region"] = "me-south-1")).config, "prod");
            const { awsCaller } = await cloudAccess(plan);
            await assert.rejects(awsCaller!(), /InvalidClientTokenId: The security token included in the request is invalid\. \(me-south-1 is an opt-in region/);
            assert.strictEqual(cloud.awsApis.requests.filter((r) => r.action === "GetCallerIdentity").length, 1);
        });
    });
});
