import { GOOGLE_API_TITLES as TITLES, serviceDisabled } from "./googleApiAnswers";

/**
 * The list reads the program probes an API's activation with (components/gcp/apiActivation.ts), in the APIs' own
 * words: 403 PERMISSION_DENIED with reason SERVICE_DISABLED while the project has not enabled the API, and for the
 * first `activationReads` reads after it did (a just-enabled API: "If you enabled this API recently, wait a few
 * minutes for the action to propagate to our systems and retry"); then 200 with an empty list.
 */
export class FakeApiActivation {
    readonly requests: { api: string; url: string; status: number }[] = [];
    /** Per API, how many reads after its enabling still answer SERVICE_DISABLED. */
    readonly activationReads = new Map<string, number>();
    /** Set: every read answers SERVICE_DISABLED for this consumer instead (the caller's quota project, not the target). */
    otherConsumer?: string;

    constructor(private readonly isEnabled: (project: string, service: string) => boolean) {}

    /**
     * Whether `service` (`cloudquotas.googleapis.com`) serves `project`: enabled, and past the reads its activation still
     * answers SERVICE_DISABLED. Until then every method of the API answers so, not only the list read probed here.
     */
    serves(project: string, service: string): boolean {
        return this.isEnabled(project, service) && (this.activationReads.get(service.replace(/\.googleapis\.com$/, "")) ?? 0) === 0;
    }

    answer(url: string): Response | undefined {
        const match =
            /^https:\/\/([a-z]+)\.googleapis\.com\/[^?]*\/projects\/([^/]+)\/[^?]+\?(?:pageSize|maxResults)=1$/.exec(url) ??
            /^https:\/\/(storage)\.googleapis\.com\/storage\/v1\/b\?project=([^&]+)&maxResults=1$/.exec(url);
        if (!match || !(match[1] in TITLES)) return undefined;
        const [, api, project] = match;
        const service = `${api}.googleapis.com`;
        const enabled = this.isEnabled(project, service);
        const left = this.activationReads.get(api) ?? 0;
        if (enabled && left > 0) this.activationReads.set(api, left - 1);
        const serving = !this.otherConsumer && enabled && left === 0;
        this.requests.push({ api, url, status: serving ? 200 : 403 });
        return serving ? Response.json({}) : serviceDisabled(TITLES[api], service, { consumer: this.otherConsumer, legacyErrors: api === "storage" });
    }
}
