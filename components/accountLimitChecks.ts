import type { SettingsProblem } from "../config/errors";
import { UngrantableReservation, checkReservedConcurrency } from "./aws/accountConcurrency";
import type { CloudCheckTargets } from "./cloudChecks";
import { QuotaRefusal, checkMaxInstancesOnceARun } from "./gcp/cloudRunQuota";
import { NoAnswer } from "./noAnswer";
import { providerAccessToken, warnNowhere } from "./preflight";

/**
 * The stack's settings against what its AWS account and its Google project can grant, checked before anything of
 * either cloud is registered: a reservation above the account's concurrency limit less what must stay unreserved is
 * refused by Lambda at PutFunctionConcurrency, and max instances beyond the region's Cloud Run quota by Cloud Run at
 * the revision. Inside the components the refusal came only once the bucket, the roles, the registry and the other
 * cloud's resources had been made, among the errors of everything that waited for it.
 */
export async function accountLimitProblems({ aws, gcp }: CloudCheckTargets): Promise<SettingsProblem[]> {
    return (await Promise.all([awsReservationProblems(aws), gcpQuotaProblems(gcp)])).flat();
}

/**
 * A read of the account's limits that fails stops the run here: checkReservedConcurrency's read words it
 * (accountConcurrency.ts readAccountLimit: Lambda, the call, the setting it checks by its key, the SDK's words and what
 * to do), as the components' reads do.
 */
async function awsReservationProblems(aws: CloudCheckTargets["aws"]): Promise<SettingsProblem[]> {
    const requested = aws?.reservedConcurrency;
    if (!aws || !requested) return [];
    try {
        await checkReservedConcurrency(aws.region, requested.value, warnNowhere, requested.at);
        return [];
    } catch (err) {
        if (err instanceof UngrantableReservation) return [{ key: requested.at, message: err.message }];
        throw err;
    }
}

/**
 * The quota is read here only where the Cloud Quotas API already answers (any `up` after a stack's first, or a project
 * that had it on): on a first `up` the component enables the API and reads the quota there, waiting out the minute a
 * just-enabled API answers SERVICE_DISABLED. So a SERVICE_DISABLED, or any other failure to read, leaves the check to
 * the component, which names the cause; only a read that refuses is a settings error. It is asked once: a busy answer
 * (429, 5xx) would otherwise hold every preview for up to two minutes before the component asks again anyway. A read
 * that holds is kept for the run, so the component does not ask again. A read that gets no answer (nobody answers
 * within the bound, or the host cannot be reached: a NoAnswer) stops the run here: the component's read would get no
 * answer either (neither is retried), and only after its first resources.
 */
async function gcpQuotaProblems(gcp: CloudCheckTargets["gcp"]): Promise<SettingsProblem[]> {
    const scale = gcp?.scale;
    if (!gcp || !scale) return [];
    const accessToken = await providerAccessToken(gcp.provider);
    const request = { project: gcp.project, region: gcp.region, maxInstances: scale.maxInstances.value, cpu: scale.cpu, memory: scale.memory };
    return checkMaxInstancesOnceARun(request, accessToken, { once: true }).then(
        () => [],
        (err: Error) => {
            if (err instanceof NoAnswer) throw err;
            return err instanceof QuotaRefusal ? [{ key: scale.maxInstances.at, message: err.message }] : [];
        },
    );
}
