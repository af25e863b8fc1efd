import { SettingsError, PROJECT_NAMESPACE, StackSettings } from "../config";
import { UngrantableReservation, checkReservedConcurrency } from "./aws/accountConcurrency";

/** Warnings are the component's to give: it checks again, for callers of the package. */
const notHere = () => undefined;

/**
 * The stack's settings against what its AWS account can grant, checked before anything of either cloud is registered:
 * a reservation above the account's concurrency limit less what must stay unreserved is refused by Lambda at
 * PutFunctionConcurrency. Inside the component the refusal came only once the bucket, the roles, the registry and the
 * other cloud's resources had been made, among the errors of everything that waited for the function. (Cloud Run's
 * quota is read inside its component: the Cloud Quotas API it asks is enabled there, on a stack's first `up`.)
 */
export async function checkAccountLimits(settings: StackSettings): Promise<void> {
    const requested = settings.aws.reservedConcurrency;
    if (!settings.aws.enabled || requested === undefined) return;
    try {
        await checkReservedConcurrency(settings.providers["aws:region"], requested, notHere);
    } catch (err) {
        if (!(err instanceof UngrantableReservation)) throw err;
        throw new SettingsError(settings.stack, [{ key: `${PROJECT_NAMESPACE}:aws.reservedConcurrency`, message: err.message }]);
    }
}
