import { atReservedDomain } from "../../components/alertAddress";
import { PROJECT_NAMESPACE } from "../../config";
import type { ReleasePlan } from "../settings";

/**
 * The go-live checklist's "alerts that reach a person", for the addresses themselves: one at a domain reserved for
 * examples (RFC 2606, RFC 6761; the committed stack files' placeholder) reaches no one. `pulumi up` only warns about it,
 * so a stack can be set up before its team's address is known; a release, which puts a version live, refuses it.
 * No one there would ever verify Google's e-mail channel (release/alerts/channelStatus.ts) or confirm the SNS
 * subscription either; this says why, before those checks could only say that no one did.
 */
export function alertAddressProblems(plan: ReleasePlan, cliStack: string): string[] {
    const addresses = [
        { cloud: "aws", key: "aws.alarms.email", email: plan.clouds.aws?.alarmEmail },
        { cloud: "gcp", key: "gcp.alerts.email", email: plan.clouds.gcp?.alertEmail },
    ];
    return addresses
        .filter((a): a is typeof a & { email: string } => a.email !== undefined && atReservedDomain(a.email))
        .map(
            ({ cloud, key, email }) =>
                `${cloud}: the alerts reach nobody: ${key} is ${email}, at a domain reserved for examples (RFC 2606). ` +
                `Set it to an address someone reads (pulumi config set --path ${PROJECT_NAMESPACE}:${key} <address> --stack ${cliStack}), run pulumi up, then the release again`,
        );
}
