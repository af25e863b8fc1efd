import { withClient } from "./awsClient";

/** What Lambda keeps unreserved in every account and region: PutFunctionConcurrency refuses to go below it. */
export const UNRESERVED_CONCURRENCY_MINIMUM = 100;

/**
 * Refuses, before the function is registered, a reservation the account cannot grant: Lambda keeps at least 100
 * concurrent executions unreserved, so a reservation above the account's limit minus 100 fails at
 * PutFunctionConcurrency, halfway through `pulumi up` (a new account's limit is often 10, not 1,000). The limit comes
 * from GetAccountSettings (AccountLimit.ConcurrentExecutions); other functions' reservations are Lambda's to check.
 */
export async function checkReservedConcurrency(region: string, requested: number): Promise<number> {
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
    return requested;
}
