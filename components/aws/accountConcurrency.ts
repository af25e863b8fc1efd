import type { AccountLimit } from "@aws-sdk/client-lambda";
import * as pulumi from "@pulumi/pulumi";
import { answerExcerpt } from "../answerExcerpt";
import { perRun } from "../perRun";
import { awsReadFailure, withClient } from "./awsClient";
import { Refusal, refusal } from "../refusal";
import { endpointVariablesNameIt } from "./endpointVariables";

/** What Lambda keeps unreserved in an account and region of the usual limit: PutFunctionConcurrency refuses to go below it. */
export const UNRESERVED_CONCURRENCY_MINIMUM = 100;

/**
 * What must stay unreserved in an account whose limit is `limit`: 100, or all of a limit below that. A new account's
 * limit is often 10, and Lambda then refuses any reservation, in these words: "Specified ReservedConcurrentExecutions
 * for function decreases account's UnreservedConcurrentExecution below its minimum value of [10]" (reported from real
 * accounts; the Lambda guide states only the 100).
 */
export function unreservedMinimum(limit: number): number {
    return Math.min(UNRESERVED_CONCURRENCY_MINIMUM, limit);
}

/**
 * Warns when Lambda holds another reservation than the stack asks for, as the provider read it back: after an `up`
 * whose create of the function failed at PutFunctionConcurrency, the next `up` with the same value sends none (the
 * provider's update sets it only when the value differs from the one it recorded, which was the one asked for), and
 * records what Lambda holds instead (-1: none), so the `up` after that sets it (terraform-provider-aws
 * internal/service/lambda/function.go: resourceFunctionUpdate, `d.HasChange("reserved_concurrent_executions")`).
 */
export function warnWhenReservationDiffers(region: string, functionName: string, requested: number, heldReadBack: number | undefined, warn: (message: string) => void = (m) => pulumi.log.warn(m)): void {
    if (pulumi.runtime.isDryRun() || heldReadBack === undefined || heldReadBack === requested) return;
    warn(
        `Lambda holds ${heldReadBack < 0 ? "no reserved concurrency" : `a reservation of ${heldReadBack}`} for ${functionName}, not the ${requested} the deployment asks for: ` +
            "an earlier `up` failed setting it, and the provider sends a reservation only when the stack's value changes. " +
            `The next \`pulumi up\` sets it (\`aws lambda get-function-concurrency --region ${region} --function-name ${functionName}\` shows what Lambda holds).`,
    );
}

const accountLimits = perRun<AccountLimit | undefined>();

/** The two figures of AccountLimit the checks below read: both in every answer of Lambda's own (Lambda API reference, GetAccountSettings). */
type ConcurrencyLimits = { ConcurrentExecutions: number; UnreservedConcurrentExecutions: number };

/**
 * The account's Lambda limits in `region` (GetAccountSettings: AccountLimit), which the checks below read: once a run,
 * shared by the program's check before anything is registered and the components'. The run keeps Lambda's own answer
 * (a denial, AccessDeniedException, lasts the run: perRun.ts), and each reader's failure names Lambda, the call, the
 * setting it checks (`checked`: the setting and its value) and what to do (awsReadFailure): a denied GetAccountSettings
 * names the permission; one that got no answer is a NoAnswer, run again once Lambda answers. The components read it
 * mid-update, after the resources before them are registered (the Map's read even with no reservation set).
 */
async function readAccountLimit(region: string, checked: string): Promise<ConcurrencyLimits> {
    return concurrencyLimitsIn(await answeredAccountLimit(region, checked), region, checked);
}

async function answeredAccountLimit(region: string, checked: string): Promise<AccountLimit | undefined> {
    try {
        return await accountLimits(region, async () => {
            const { LambdaClient, GetAccountSettingsCommand } = await import("@aws-sdk/client-lambda");
            const { AccountLimit } = await withClient(LambdaClient, region, (client) => client.send(new GetAccountSettingsCommand({})));
            return AccountLimit;
        });
    } catch (err) {
        const unread = `could not read the account's Lambda limits in ${region} (GetAccountSettings), which ${checked} is checked against`;
        throw awsReadFailure(unread, err as Error, { service: "Lambda", needs: "lambda:GetAccountSettings" });
    }
}

/**
 * Lambda answers GetAccountSettings with AccountLimit and its figures (Lambda API reference, GetAccountSettings:
 * "Response Syntax"; the SDK's types mark every field optional, as its models do any answer's). One without them came
 * from something other than Lambda, and checking against a default would pass a reservation Lambda then refuses.
 */
function concurrencyLimitsIn(answered: AccountLimit | undefined, region: string, checked: string): ConcurrencyLimits {
    const isCount = (n: unknown): n is number => Number.isInteger(n) && (n as number) >= 0;
    if (answered && isCount(answered.ConcurrentExecutions) && isCount(answered.UnreservedConcurrentExecutions)) {
        return { ConcurrentExecutions: answered.ConcurrentExecutions, UnreservedConcurrentExecutions: answered.UnreservedConcurrentExecutions };
    }
    const what = answered == null ? "no AccountLimit" : `AccountLimit ${answerExcerpt(answered)}`;
    throw refusal(
        `Lambda's GetAccountSettings in ${region} answered ${what}, without ConcurrentExecutions and ` +
            `UnreservedConcurrentExecutions as counts, so ${checked} cannot be checked against the account's limits: ` +
            `check that ${endpointVariablesNameIt("Lambda")}, then run this again`,
    );
}

/** A reservation the account can never grant: its limit less what must stay unreserved is below it. */
export class UngrantableReservation extends Refusal {
    name = "UngrantableReservation";
}

/**
 * Refuses, before the function is registered, a reservation the account cannot grant: a reservation above the
 * account's limit less what must stay unreserved (unreservedMinimum) fails at PutFunctionConcurrency, halfway through
 * `pulumi up`. The limit comes from GetAccountSettings (AccountLimit.ConcurrentExecutions).
 *
 * Other functions' reservations can refuse it too, and then later. On an update the provider changes the code and
 * configuration, then the reservation, and publishes a version last, so a refusal leaves the new code on $LATEST
 * unpublished (terraform-provider-aws, internal/service/lambda/function.go, resourceFunctionUpdate); on the create
 * of a new function, CreateFunction has published version 1 before the reservation is asked, so a refusal leaves the
 * function without its alias and URL. What this function already holds is unknown before it is registered (its name
 * is Pulumi's; a new one holds nothing), so when AccountLimit.UnreservedConcurrentExecutions may not cover the
 * reservation it is a warning with the figures, not a refusal.
 */
export async function checkReservedConcurrency(
    region: string,
    requested: number,
    warn: (message: string) => void = (m) => pulumi.log.warn(m),
    /** The setting the reservation comes from, as a failed read names it. */
    setting = "aws.reservedConcurrency",
): Promise<number> {
    const { ConcurrentExecutions: limit, UnreservedConcurrentExecutions: unreserved } = await readAccountLimit(region, `${setting} ${requested}`);
    const floor = unreservedMinimum(limit);
    if (requested > limit - floor) {
        const advice =
            limit - floor > 0
                ? `reserve at most ${limit - floor}, or ask`
                : "no reservation is possible in this account; reserve none (0 would refuse every request), or ask";
        throw new UngrantableReservation(
            `reserved concurrency ${requested} would leave less than ${floor} of this account's ${limit} concurrent executions ` +
                `unreserved in ${region}, which Lambda refuses: ${advice} for a higher "Concurrent executions" quota in Service Quotas`,
        );
    }
    const grantable = unreserved - floor;
    if (requested > grantable) {
        warn(
            `reserved concurrency ${requested}: ${unreserved} of this account's ${limit} concurrent executions in ${region} are unreserved, ` +
                `so Lambda grants it only if this function already reserves at least ${requested - grantable} of the others ` +
                `(${floor} must stay unreserved; a new function holds none). A refusal stops \`pulumi up\` at the reservation: ` +
                `see README "When pulumi up stops at the reserved concurrency"`,
        );
    }
    return requested;
}

/**
 * Warns when one run's inline Map may invoke more workers at once than the account can ever run for them: the worker
 * reserves nothing, so it shares the account's concurrency with the API and every other function (less what the API
 * reserves). Lambda answers the invocations past it with TooManyRequestsException (429), which the Map task retries
 * 5 times over at most 62 s (2 s doubling, full jitter); a key still throttled then fails the whole batch. The history
 * quota (historyEventsAtMost) leaves no room for more attempts at 1,000 keys, so the Map must not outgrow the pool.
 */
export async function checkMapConcurrency(
    region: string,
    maxConcurrency: number,
    apiReserved: number | undefined,
    warn: (message: string) => void = (m) => pulumi.log.warn(m),
): Promise<void> {
    const { ConcurrentExecutions: limit } = await readAccountLimit(region, `aws.pipeline.maxConcurrency ${maxConcurrency}`);
    const pool = limit - (apiReserved ?? 0);
    if (maxConcurrency <= pool) return;
    warn(
        `aws.pipeline.maxConcurrency ${maxConcurrency} is more than the ${pool} of this account's ${limit} concurrent executions in ${region} the worker can get` +
            `${apiReserved ? ` (the API reserves ${apiReserved})` : ""}: Lambda throttles the rest, Step Functions retries a throttled key for about a minute, ` +
            "then the batch fails. Lower aws.pipeline.maxConcurrency, or ask for a higher \"Concurrent executions\" quota in Service Quotas.",
    );
}
