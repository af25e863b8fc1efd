import * as pulumi from "@pulumi/pulumi";
import { withClient } from "./awsClient";

/** What Lambda keeps unreserved in every account and region: PutFunctionConcurrency refuses to go below it. */
export const UNRESERVED_CONCURRENCY_MINIMUM = 100;

/**
 * Refuses, before the function is registered, a reservation the account cannot grant: Lambda keeps at least 100
 * concurrent executions unreserved, so a reservation above the account's limit minus 100 fails at
 * PutFunctionConcurrency, halfway through `pulumi up` (a new account's limit is often 10, not 1,000). The limit comes
 * from GetAccountSettings (AccountLimit.ConcurrentExecutions).
 *
 * Other functions' reservations can refuse it too, and then later: the provider updates the code and configuration,
 * then the reservation, and publishes a version last, so a refusal leaves the new code on $LATEST unpublished
 * (terraform-provider-aws, internal/service/lambda/function.go, resourceFunctionUpdate). What this function already
 * holds is unknown before it is registered (its name is Pulumi's), so when AccountLimit.UnreservedConcurrentExecutions
 * may not cover the reservation it is a warning with the figures, not a refusal.
 */
export async function checkReservedConcurrency(region: string, requested: number, warn: (message: string) => void = (m) => pulumi.log.warn(m)): Promise<number> {
    const { LambdaClient, GetAccountSettingsCommand } = await import("@aws-sdk/client-lambda");
    const { AccountLimit } = await withClient(new LambdaClient({ region }), (client) => client.send(new GetAccountSettingsCommand({})));
    const limit = AccountLimit?.ConcurrentExecutions;
    if (limit !== undefined && requested > limit - UNRESERVED_CONCURRENCY_MINIMUM) {
        throw new Error(
            `reserved concurrency ${requested} would leave less than ${UNRESERVED_CONCURRENCY_MINIMUM} of this account's ${limit} concurrent executions ` +
                `unreserved in ${region}, which Lambda refuses: reserve at most ${Math.max(0, limit - UNRESERVED_CONCURRENCY_MINIMUM)} ` +
                `(aws.reservedConcurrency), or ask for a higher "Concurrent executions" quota in Service Quotas`,
        );
    }
    const unreserved = AccountLimit?.UnreservedConcurrentExecutions;
    const grantable = unreserved === undefined ? undefined : unreserved - UNRESERVED_CONCURRENCY_MINIMUM;
    if (grantable !== undefined && requested > grantable) {
        warn(
            `reserved concurrency ${requested}: ${unreserved} of this account's ${limit ?? "?"} concurrent executions in ${region} are unreserved, ` +
                `so Lambda grants it only if this function already reserves at least ${requested - grantable} of the others ` +
                `(${UNRESERVED_CONCURRENCY_MINIMUM} must stay unreserved). A refusal stops \`pulumi up\` after the new code is on $LATEST ` +
                `and before a version is published: see README "When pulumi up stops at the reserved concurrency"`,
        );
    }
    return requested;
}
