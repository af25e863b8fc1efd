import * as assert from "assert";
import { cloudRunLocations } from "../../components/gcp/cloudRunLocations";
import { MOST_PAGES } from "../../components/pageLimit";
import { notFound, permissionDenied } from "../../scripts/offline/googleApiAnswers";

/**
 * fetch answering the list's first page with asia-northeast1 and a next page token, and the next page with `next`.
 * The page's shape is Cloud Run Admin API v1 projects.locations.list's (ListLocationsResponse: `locations`, each a
 * Location with `name` and `locationId`, and `nextPageToken`).
 */
function pagesEndingWith(next: () => Response): typeof fetch {
    return (async (url: string) => {
        // Another macrotask each page, as a network answer is: a read that pages for ever then fails by mocha's
        // timeout rather than starving it (a mutant removing the page guard's same-token check hung 666 s).
        await new Promise((resolve) => setImmediate(resolve));
        return new URL(url).searchParams.get("pageToken") ? next() : Response.json({ locations: [{ name: "projects/p/locations/asia-northeast1", locationId: "asia-northeast1" }], nextPageToken: "2" });
    }) as unknown as typeof fetch;
}

// Before, a page answered 200 `null`, NOT_FOUND or with locations without a locationId read as a page naming none:
// a region on it (europe-north2 here) was refused as one Cloud Run does not offer (regionChecks.ts).
describe("Cloud Run's locations list (gcp:region against it)", () => {
    it("a page that is no list of locations throws, quoting it, rather than leaving its regions out", async () => {
        const unreadable: [next: () => Response, said: RegExp][] = [
            [() => Response.json(null), /with a page that is no list of locations with a locationId each \(null\), so which regions/],
            [() => Response.json({ locations: [{ name: "projects/p/locations/europe-north2" }] }), /with a page that is no list of locations with a locationId each \(\{"locations":\[\{"name":"projects\/p\/locations\/europe-north2"\}\]\}\)/],
            [() => notFound(), /^Cloud Run answered its locations list for project p NOT_FOUND \(is p the project's ID\?\), so which regions/],
        ];
        for (const [next, said] of unreadable) {
            await assert.rejects(cloudRunLocations("p", "token", { fetch: pagesEndingWith(next), once: true }), (err: Error) => {
                assert.match(err.message, said);
                assert.match(err.message, /is unknown: run this again, and if it stays, see them with gcloud run regions list --project p$/);
                return true;
            });
        }
    });

    // Before, Google's error body under a 200 read as a page naming no locations (proto3 JSON leaves an empty list out):
    // the list ended without its regions, and a region on it was refused as one Cloud Run does not offer.
    it("a page that is Google's error body alone under a 200 fails naming the call, not a page naming no regions", async () => {
        // Google's own PERMISSION_DENIED body (googleApiAnswers.ts) under a status Google does not send it with: no API's
        // answer, as a proxy that rewrites statuses would give it.
        const refused = await permissionDenied("run.googleapis.com", "run.locations.list", "projects/p-error-body").json();
        await assert.rejects(cloudRunLocations("p-error-body", "token", { fetch: pagesEndingWith(() => Response.json(refused)), once: true }), (err: Error) => {
            assert.match(
                err.message,
                /^could not list Cloud Run's locations for project p-error-body: Google answered HTTP 200 with an error in place of the answer \(\{"error":\{"code":403,"message":"Permission 'run\.locations\.list' denied/,
            );
            assert.match(err.message, /, which says neither what was asked nor NOT_FOUND\. Run this again, and if it stays, check the network path to googleapis\.com \(a proxy may rewrite its answers\)$/);
            return true;
        });
    });

    // Before: an `error` alone that is not Google's Status (a gateway's `{"error": "Forbidden"}` under a 200) read as a
    // page naming no regions.
    it("a page that is an error alone in no words of Google's under a 200 fails naming the call too", async () => {
        // A stand-in: no product's words, only its shape (an `error` string alone, not google.rpc.Status) matters.
        await assert.rejects(
            cloudRunLocations("p-error-string", "token", { fetch: pagesEndingWith(() => Response.json({ error: "Forbidden" })), once: true }),
            /^Error: could not list Cloud Run's locations for project p-error-string: Google answered HTTP 200 with an error in place of the answer \(\{"error":"Forbidden"\}\)/,
        );
    });

    it("a last page without `locations` (proto3 JSON leaves an empty list out) names none, and one whose nextPageToken is null ends the list", async () => {
        // A project of its own: the list is kept for the process outside a run (perRun.ts).
        assert.deepStrictEqual(await cloudRunLocations("p-empty-last-page", "token", { fetch: pagesEndingWith(() => Response.json({})), once: true }), ["asia-northeast1"]);
        // proto3 JSON reads null as the field's default (protobuf's "JSON Mapping": "null is an accepted value for all field types"): no next page.
        assert.deepStrictEqual(await cloudRunLocations("p-null-token", "token", { fetch: pagesEndingWith(() => Response.json({ nextPageToken: null })), once: true }), ["asia-northeast1"]);
    });

    // Before, every next page token was followed: one that never ends, or comes again, kept preview and up reading for ever.
    it("a next page token on every page, or the same one again, stops with a refusal naming the call", async () => {
        let pages = 0;
        // No API's answer (AIP-158: the last page's next_page_token is empty). Another macrotask each page, as a network
        // answer is: an endless loop of resolved promises would starve the test's timeout.
        const endless = (async () => {
            await new Promise((resolve) => setImmediate(resolve));
            return Response.json({ locations: [], nextPageToken: `page-${++pages}` });
        }) as unknown as typeof fetch;
        await assert.rejects(cloudRunLocations("p-endless", "token", { fetch: endless, once: true }), (err: Error) => {
            assert.strictEqual(
                err.message,
                `Cloud Run's locations list (projects.locations.list) for project p-endless answered a next page on each of ${MOST_PAGES} pages, where the program's read fits in a few: ` +
                    "the program stops reading it rather than follow it for ever; so which regions Cloud Run offers project p-endless is unknown: run this again, and if it stays, see them with gcloud run regions list --project p-endless",
            );
            return true;
        });
        assert.strictEqual(pages, MOST_PAGES);
        // A token that is no string (proto3 JSON writes nextPageToken as one) is no page to follow, nor the last page.
        await assert.rejects(
            cloudRunLocations("p-number-token", "token", { fetch: pagesEndingWith(() => Response.json({ locations: [], nextPageToken: 3 })), once: true }),
            /^Error: Cloud Run's locations list \(projects\.locations\.list\) for project p-number-token answered a next page token that is not a string, 3: the program stops reading it; so which regions/,
        );
        await assert.rejects(
            cloudRunLocations("p-repeating", "token", { fetch: pagesEndingWith(() => Response.json({ locations: [], nextPageToken: "2" })), once: true }),
            /: Cloud Run's locations list \(projects\.locations\.list\) for project p-repeating answered the next page token "2" a second time: following it would read the same pages for ever/,
        );
    });
});
