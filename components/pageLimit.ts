import { describeValue } from "../config/errors";

/**
 * The most pages the release or the program follows of one read. Each read they page fits in one or a few: the
 * release's GetMetricData asks one period per query (a data point each), DescribeAlarms at most 100 names with
 * MaxRecords 100, ListSubscriptionsByTopic a topic's few subscriptions at 100 a page (SNS), timeSeries.list a
 * revision's few series; the program's Cloud Run projects.locations.list a few dozen regions, Artifact Analysis'
 * occurrences.list an image's findings at 1000 a page, and ECR's DescribeImageScanFindings an image's enhanced findings
 * at 1000 a page. Without a limit, a cloud or a stand-in in front of it that keeps answering a next page would keep the
 * reader reading for ever, each page within its attempts' bound (release/awsReadAttempts.ts,
 * release/monitoringReadRetry.ts, gcp/googleApiError.ts, aws/awsClient.ts): the release's poll, bake and
 * health checks, or the program's preview and up, stalled.
 */
export const MOST_PAGES = 100;

/** A Google API's page with no next page token: proto3 JSON leaves out an empty nextPageToken on the last page (a null reads as left out). */
export const isLastGooglePage = (nextPageToken: unknown) => nextPageToken === undefined || nextPageToken === null || nextPageToken === "";

/**
 * One read's guard against paging for ever: called with each next page's token the read would follow, it answers why
 * the read must not follow it, or undefined and counts it followed. The same token again would read the same pages for
 * ever.
 */
export function nextPageGuard(call: string, reader = "the release"): (token: unknown) => string | undefined {
    const seen = new Set<unknown>();
    return (token) => {
        const endless = endlessPaging(call, reader, token, seen, seen.size + 1);
        if (!endless) seen.add(token);
        return endless;
    };
}

/**
 * Why `reader` must not follow `token`, a read's next page's token after `pages` pages (`seen`: the tokens followed so
 * far), or undefined.
 */
function endlessPaging(call: string, reader: string, token: unknown, seen: ReadonlySet<unknown>, pages: number): string | undefined {
    const shown = describeValue(token);
    if (typeof token !== "string") return `${call} answered a next page token that is not a string, ${shown}: ${reader} stops reading it`;
    if (seen.has(token)) return `${call} answered the next page token ${shown} a second time: following it would read the same pages for ever, so ${reader} stops reading it`;
    if (pages >= MOST_PAGES) return `${call} answered a next page on each of ${MOST_PAGES} pages, where ${reader}'s read fits in a few: ${reader} stops reading it rather than follow it for ever`;
    return undefined;
}
