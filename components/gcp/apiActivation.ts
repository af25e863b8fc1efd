import * as pulumi from "@pulumi/pulumi";
import { googleAnswerBody } from "./googleAnswerBody";
import { ApiProject, GoogleApiError, consumerMayBe, describeFailure, googleApiError } from "./googleApiError";
import { refusalHint } from "./googleRefusal";
import { boundedFetch, isTransient } from "../httpAttempt";
import { refusal } from "../refusal";
import { waitClock } from "../waitClock";
import { callerQuotaProject, googleReadHeaders } from "./quotaProject";

/**
 * Enabling an API returns before every Google system serves it: "activation is not guaranteed by the time the
 * google_project_service resource is done provisioning ... just-created projects may experience longer service
 * activation times" (the Google provider's guide to google_project_service), and until then the API answers 403
 * SERVICE_DISABLED. The provider retries that answer for none of the resources created here (magic-modules' retry
 * predicates), so the first `up` of a new project failed halfway. Each API is asked one cheap read, its list of one in
 * the project, until it stops answering SERVICE_DISABLED; what needs it is registered after.
 */
const API_ACTIVATION_WAIT_MS = 5 * 60_000;
const API_PROBE_INTERVAL_MS = 10_000;

/** Each API's cheapest read of the project: the first page (of one) of a list its deployer may read. */
function activationProbeUrl(api: string, project: string, region: string): string {
    switch (api) {
        case "run":
            return `https://run.googleapis.com/v2/projects/${project}/locations/${region}/services?pageSize=1`;
        case "artifactregistry":
            return `https://artifactregistry.googleapis.com/v1/projects/${project}/locations/${region}/repositories?pageSize=1`;
        case "storage":
            // buckets.list (storage.buckets.list, in roles/storage.admin), which names its project in the query.
            return `https://storage.googleapis.com/storage/v1/b?project=${project}&maxResults=1`;
        case "iam":
            return `https://iam.googleapis.com/v1/projects/${project}/serviceAccounts?pageSize=1`;
        case "monitoring":
            return `https://monitoring.googleapis.com/v3/projects/${project}/alertPolicies?pageSize=1`;
        case "secretmanager":
            return `https://secretmanager.googleapis.com/v1/projects/${project}/secrets?pageSize=1`;
        case "cloudquotas":
            return `https://cloudquotas.googleapis.com/v1/projects/${project}/locations/global/services/run.googleapis.com/quotaInfos?pageSize=1`;
        case "containeranalysis":
            return `https://containeranalysis.googleapis.com/v1/projects/${project}/occurrences?pageSize=1`;
        case "containerscanning":
            // No read of its own: Artifact Registry's scans are read through the Container Analysis API.
            return "";
        default:
            throw new Error(`no activation probe for ${api}.googleapis.com`);
    }
}

/**
 * Waits until every API serves the project (answers anything but 403 SERVICE_DISABLED: a refusal for another reason is
 * the resource's own create's to report; a quota or server answer, 429 or 5xx, says nothing either way and is asked
 * again), saying once which it waits for; fails naming each API not yet serving after API_ACTIVATION_WAIT_MS, and
 * its last answer. An answer that is not the API's fails at once, naming the API: a 200 that is no API's answer
 * (googleAnswerBody), or any other in no words of Google's error model (googleApiError's notGoogle): a 401 or 403 is
 * a proxy or firewall refusing the probe, as it would the provider's creates after it; a 404 is Google's front end
 * answering for a URL no API maps (a probe this file got wrong), which says nothing of whether the API serves.
 */
export async function waitUntilServing(
    apis: readonly string[],
    project: { id: string; number: string },
    region: string,
    accessToken: string,
    fetchImpl?: typeof fetch,
): Promise<void> {
    const giveUpAt = waitClock.now() + API_ACTIVATION_WAIT_MS;
    const probe = (api: string) => activationProbeUrl(api, project.id, region);
    let pending = apis.filter((api) => probe(api) !== "");
    let said = false;
    const quota = callerQuotaProject(project.id);
    for (;;) {
        // All at once: an `up` of a project whose APIs serve pays one round trip, not one per API.
        /** Per API, why it does not serve yet (undefined: it serves). */
        const answers = await Promise.all(
            pending.map(async (api) => {
                const what = `could not ask ${api}.googleapis.com whether it serves project ${project.id}`;
                const url = probe(api);
                const res = await boundedFetch(url, { headers: googleReadHeaders(accessToken, quota) }, { what, fetch: fetchImpl });
                // A 200 that is no API's answer (a proxy's page) says nothing of the API: refused, not taken for serving.
                if (res.ok) {
                    await googleAnswerBody<unknown>(res, what);
                    return undefined;
                }
                const error = await googleApiError(res);
                if (isTransient(error.httpStatus)) return `answers HTTP ${error.httpStatus}${error.status ? ` ${error.status}` : ""} (quota or Google's own trouble)`;
                // Not the API's answer, which no wait changes: a proxy's or firewall's 401 or 403 (refusalHint says so, as for
                // any call), or Google's front end's HTML 404 for a URL no API maps (checked before any API weighs whether it is enabled).
                if (error.notGoogle) throw describeFailure(what, error, refusalHint(error, "") || unansweredProbe(url));
                return disabledFor(error, project) ? "still answers 403 SERVICE_DISABLED" : undefined;
            }),
        );
        const waiting = pending.map((api, i) => ({ api, why: answers[i] })).filter((a) => a.why !== undefined);
        pending = waiting.map((a) => a.api);
        if (pending.length === 0) return;
        const names = pending.map((api) => `${api}.googleapis.com`).join(", ");
        if (waitClock.now() + API_PROBE_INTERVAL_MS > giveUpAt) {
            const whys = waiting.map((a) => `${a.api}.googleapis.com ${a.why}`).join("; ");
            throw refusal(`${whys} for project ${project.id} ${API_ACTIVATION_WAIT_MS / 60_000} min after it was enabled; check the API in the console (APIs & Services), then run pulumi up again`);
        }
        if (!said) {
            said = true;
            await pulumi.log.info(`waiting for ${names} to serve project ${project.id}: enabled moments ago, an API answers SERVICE_DISABLED until the change reaches every Google system (or is busy: 429, 5xx)`);
        }
        await waitClock.sleep(API_PROBE_INTERVAL_MS);
    }
}

/** Why an answer in no words of Google's error model, other than a 401 or 403, is no "serving", and what to do. */
function unansweredProbe(url: string): string {
    return (
        `no API answered ${url} (no {"error": {...}} JSON): Google's front end answers so for a URL no API maps, or something between this machine ` +
        "and googleapis.com (a proxy, HTTPS_PROXY) answered in its place; it says nothing of whether the API serves. Check the network path to googleapis.com " +
        "and run pulumi up again; if it stays, the probe's URL is this program's mistake: report it with this message"
    );
}

/**
 * Known once every enabled API serves the project: what a resource that needs them depends on. A preview creates
 * nothing and asks nothing. Its value is empty and the services come with it as the resources it was made from, as
 * dependsOnResources' do (../dependsOnResources.ts says why): a value holding them walked their whole object graphs
 * again for every resource registered after them.
 */
export function servingApis(
    services: pulumi.CustomResource[],
    apis: readonly string[],
    project: { id: string; number: pulumi.Input<string> },
    region: string,
    accessToken: pulumi.Input<string>,
): pulumi.Output<pulumi.Resource[]> {
    const created = pulumi.all(services.map((s) => s.id));
    const none = (): pulumi.Resource[] => [];
    if (pulumi.runtime.isDryRun()) return created.apply(none);
    // The provider's access token is a secret; what waited on it is not (else every resource that needs an API, and
    // its outputs, would turn secret in an `up` and not in a preview).
    return pulumi.all([pulumi.unsecret(pulumi.output(accessToken)), project.number, created]).apply(async ([token, number]) => {
        await waitUntilServing(apis, { id: project.id, number }, region, token);
        return none();
    });
}

/**
 * Whether an answer says the API is disabled for this project (one about another project, the caller's quota project,
 * is not this wait's to outlast): ErrorInfo's SERVICE_DISABLED and its consumer when the answer has an ErrorInfo;
 * else Cloud Storage's older form, a 403 whose errors[].reason is accessNotConfigured, which names its project only in
 * the message ("... has not been used in project <number> before or it is disabled").
 */
export function disabledFor(error: GoogleApiError, project: ApiProject & { number: string }): boolean {
    if (error.reason !== undefined) return error.reason === "SERVICE_DISABLED" && consumerMayBe(error.consumer, project);
    if (error.httpStatus !== 403 || error.legacyReason !== "accessNotConfigured") return false;
    const named = /project (\d+)/.exec(error.message)?.[1];
    return named === undefined || named === project.number;
}
