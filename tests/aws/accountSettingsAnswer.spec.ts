import * as assert from "assert";
import { checkMapConcurrency, checkReservedConcurrency } from "../../components/aws/accountConcurrency";
import { Refusal } from "../../components/refusal";
import { cloudApiEnvironment, serveCloudApis } from "../../scripts/offline/cloudApiServer";
import { changeProcessEnvironment } from "../../scripts/offline/environment";
import { mockCloudFor } from "../../scripts/offline/mockCloud";

/**
 * Before: an answer without AccountLimit's figures passed both checks unseen, checkReservedConcurrency against the
 * default floor and no limit at all, checkMapConcurrency by returning; a reservation Lambda refuses then stopped
 * `pulumi up` at PutFunctionConcurrency. Lambda's own answer always holds them (fakeAwsApis.ts accountSettingsBody, its
 * source), so one without them is refused, quoted. Outside a run the account's limits are kept per process
 * (perRun.ts), so each case asks in a region of its own.
 */
describe("a GetAccountSettings answer without AccountLimit's concurrency figures is refused, quoted", function () {
    this.timeout(20_000);
    const cases = [
        { region: "il-central-1", body: { AccountUsage: { TotalCodeSize: 0, FunctionCount: 0 } }, answered: "no AccountLimit" },
        { region: "me-central-1", body: { AccountLimit: { ConcurrentExecutions: 1000 } }, answered: 'AccountLimit {"ConcurrentExecutions":1000}' },
        { region: "me-south-1", body: { AccountLimit: { UnreservedConcurrentExecutions: 1000 } }, answered: 'AccountLimit {"UnreservedConcurrentExecutions":1000}' },
    ];
    for (const { region, body, answered } of cases) {
        describe(`answered ${JSON.stringify(body)}`, () => {
            let restore: () => void;
            before(async () => {
                const cloud = mockCloudFor({ "aws:region": region });
                cloud.awsApis.accountSettingsBody = body;
                restore = changeProcessEnvironment({ ...cloudApiEnvironment(await serveCloudApis(cloud), { preload: false }), AWS_EC2_METADATA_DISABLED: "true" });
            });
            after(() => restore?.());

            const refused = (checked: string) => (err: Error) => {
                assert.ok(err instanceof Refusal, `a refusal, not ${err.name}`);
                assert.strictEqual(
                    err.message,
                    `Lambda's GetAccountSettings in ${region} answered ${answered}, without ConcurrentExecutions and UnreservedConcurrentExecutions as counts, ` +
                        `so ${checked} cannot be checked against the account's limits: check that AWS_ENDPOINT_URL_LAMBDA and AWS_ENDPOINT_URL, if set, name Lambda itself, then run this again`,
                );
                return true;
            };
            it("the reservation's check refuses it", async () => {
                await assert.rejects(checkReservedConcurrency(region, 500, () => {}, "multicloud-service:aws.reservedConcurrency"), refused("multicloud-service:aws.reservedConcurrency 500"));
            });
            it("the Map's check refuses it", async () => {
                await assert.rejects(checkMapConcurrency(region, 40, undefined, () => {}), refused("aws.pipeline.maxConcurrency 40"));
            });
        });
    }
});
