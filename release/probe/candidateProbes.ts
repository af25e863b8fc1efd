/** The real probes: each cloud's new version reached alone, with that cloud's own credentials. */
import { DeployedTarget } from "../types";
import { IdTokenHeaders, googleIdTokenHeaders, httpTransport } from "./cloudRunTransport";
import { lambdaTransport, probeLambdaClient } from "./lambdaTransport";
import { checkHealth, verifyCandidate } from "./load";
import { CandidateProbe } from "./probeReport";
import { Transport } from "./transport";

/** A probe over whatever transport reaches a target; one transport per version. */
export function candidateProbe(transportFor: (target: DeployedTarget) => Promise<Transport>): CandidateProbe {
    const transports = new Map<string, Promise<Transport>>();
    const send = (target: DeployedTarget) => {
        const key = `${target.service}/${target.version}`;
        if (!transports.has(key)) transports.set(key, transportFor(target));
        return transports.get(key) as Promise<Transport>;
    };
    return {
        verify: async (target, load) => verifyCandidate(await send(target), load),
        health: async (target) => checkHealth(await send(target)),
    };
}

export async function lambdaProbe(region: string): Promise<CandidateProbe> {
    const client = await probeLambdaClient({ region });
    return candidateProbe((target) => lambdaTransport(client, region, target.service, target.version));
}

/**
 * The tagged revision's URL, called with ID tokens for the service's own URL: Cloud Run accepts "the receiving
 * service's *.run.app URL" as the audience, and audiences are a service-level setting that applies to all its
 * revisions (Cloud Run docs, "Set custom audiences for services"); whether a tag's own URL is accepted as well is
 * documented nowhere.
 */
export function cloudRunProbe(idTokenHeaders: IdTokenHeaders = googleIdTokenHeaders()): CandidateProbe {
    const probe = candidateProbe(async (target) => {
        const url = target.candidateUrl;
        const audience = target.serviceUrl;
        const missing = (output: string) => new Error(`gcp: the stack outputs have no ${output}; update the stack with this version of the program first (pulumi up)`);
        if (!url) throw missing(`gcp.candidateUrl (the tagged URL of revision ${target.version})`);
        if (!audience) throw missing("gcp.serviceUrl (the service's URL, the ID tokens' audience)");
        return httpTransport(url, () => idTokenHeaders(audience));
    });
    // A service keeps its URL, so the token had for the running one is the one the first probe presents (kept by
    // idTokenHeaders). index.ts has exported gcp.serviceUrl beside the revision from the start; outputs without it are
    // left to the probe, which names the output.
    const credentials = async (running: DeployedTarget) => {
        if (running.serviceUrl) await idTokenHeaders(running.serviceUrl);
    };
    return { ...probe, credentials };
}
