import * as assert from "assert";
import { waitUntilServing } from "../../components/gcp/apiActivation";
import { FAKE_PROJECT_NUMBER } from "../../scripts/offline/fakeIds";
import { frontEndNotFound, frontEndServerError, notFound, serviceDisabled } from "../../scripts/offline/googleApiAnswers";
import { withVirtualClock } from "../harness/virtualClock";

/**
 * The activation wait's probes meet answers that are not the API's: a proxy's or captive portal's 200 page, a
 * firewall's 403 page. Neither says the API serves the project; taken for "serving", the wait let the creates start
 * against an API it knew nothing of.
 */
describe("waitUntilServing: an answer that is not the API's is no 'serving'", function () {
    this.timeout(20_000);
    const project = { id: "p", number: FAKE_PROJECT_NUMBER };
    /** The run probe answers `first`, then (if asked again) Google's 200 with an empty list. */
    const answering = (first: () => Response) => {
        let asked = 0;
        const answer = (async () => (++asked === 1 ? first() : Response.json({}))) as unknown as typeof fetch;
        return { wait: () => waitUntilServing(["run"], project, "asia-northeast1", "token", answer), asked: () => asked };
    };
    // A stand-in for a proxy's or firewall's block page: no product's words, only its shape (HTML, not Google's error JSON) matters.
    const html = (status: number) => () => new Response("<html><body>Access to this site is blocked by your organization</body></html>", { status, headers: { "content-type": "text/html" } });

    it("a 200 whose body is not JSON fails at once, naming the API and the network path", () =>
        withVirtualClock(async () => {
            const probe = answering(html(200));
            await assert.rejects(
                probe.wait(),
                /^Error: could not ask run\.googleapis\.com whether it serves project p: Google answered HTTP 200 with a body that is not JSON \(.*Access to this site is blocked.*\), not an API's answer: .*check the network path to googleapis\.com$/,
            );
            assert.strictEqual(probe.asked(), 1);
        }));

    it("a 401 or 403 in no words of Google's error model fails at once, saying no role mends it", () =>
        withVirtualClock(async () => {
            for (const status of [401, 403]) {
                const probe = answering(html(status));
                await assert.rejects(
                    probe.wait(),
                    new RegExp(`^Error: could not ask run\\.googleapis\\.com whether it serves project p: HTTP ${status}; the answer is no Google API error .*not IAM: no role mends it\\..*Access to this site is blocked`),
                );
                assert.strictEqual(probe.asked(), 1);
            }
        }));

    // Google's front end answers its own trouble in HTML, not the error model; 5xx says nothing of the API either way.
    it("Google's front end's HTML 502 is asked again, not refused as another's answer", () =>
        withVirtualClock(async (slept) => {
            const probe = answering(frontEndServerError);
            await probe.wait();
            assert.deepStrictEqual([probe.asked(), slept], [2, [10_000]]);
        }));

    it("Google's front end's HTML 404 for a URL no API maps fails at once, naming the URL: it says nothing of the API", () =>
        withVirtualClock(async () => {
            const probe = answering(() => frontEndNotFound("/v2/projects/p/locations/asia-northeast1/services?pageSize=1"));
            await assert.rejects(
                probe.wait(),
                /^Error: could not ask run\.googleapis\.com whether it serves project p: HTTP 404; no API answered https:\/\/run\.googleapis\.com\/v2\/projects\/p\/locations\/asia-northeast1\/services\?pageSize=1 .*The requested URL <code>\/v2\/projects\/p\//s,
            );
            assert.strictEqual(probe.asked(), 1);
        }));

    it("a proxy's 400 page fails at once too, naming the URL", () =>
        withVirtualClock(async () => {
            const probe = answering(html(400));
            await assert.rejects(probe.wait(), /^Error: could not ask run\.googleapis\.com whether it serves project p: HTTP 400; no API answered https:\/\/run\.googleapis\.com\/.*Access to this site is blocked/s);
            assert.strictEqual(probe.asked(), 1);
        }));

    it("an API's own refusal other than SERVICE_DISABLED (its JSON NOT_FOUND) is taken for serving, unwaited", () =>
        withVirtualClock(async (slept) => {
            const probe = answering(() => notFound());
            await probe.wait();
            assert.deepStrictEqual([probe.asked(), slept], [1, []]);
        }));

    it("Google's own SERVICE_DISABLED is still waited out, and its 200 taken for serving", () =>
        withVirtualClock(async (slept) => {
            const probe = answering(() => serviceDisabled("Cloud Run Admin", "run.googleapis.com"));
            await probe.wait();
            assert.deepStrictEqual([probe.asked(), slept], [2, [10_000]]);
        }));
});
