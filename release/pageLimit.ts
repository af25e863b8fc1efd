import { describeValue } from "../config/errors";

/**
 * The most pages the release follows of one read. Each read it pages fits in one or a few: GetMetricData asks one
 * period per query (a data point each), DescribeAlarms at most 100 names with MaxRecords 100, ListSubscriptionsByTopic
 * a topic's few subscriptions at 100 a page (SNS), timeSeries.list a revision's few series. Without a limit, a cloud or
 * a stand-in in front of it that keeps answering a next page would keep the release reading for ever, each page within
 * its attempts' bound (awsReadAttempts.ts, monitoringReadRetry.ts), the poll, the bake and its health checks stalled.
 */
export const MOST_PAGES = 100;

/**
 * One read's guard against paging for ever: called with each next page's token the read would follow, it answers why
 * the read must not follow it, or undefined and counts it followed. The same token again would read the same pages for
 * ever.
 */
export function nextPageGuard(call: string): (token: unknown) => string | undefined {
    const seen = new Set<unknown>();
    return (token) => {
        const endless = endlessPaging(call, token, seen, seen.size + 1);
        if (!endless) seen.add(token);
        return endless;
    };
}

/** Why a read must not follow `token`, its next page's token after `pages` pages (`seen`: the tokens followed so far), or undefined. */
function endlessPaging(call: string, token: unknown, seen: ReadonlySet<unknown>, pages: number): string | undefined {
    const shown = describeValue(token);
    if (typeof token !== "string") return `${call} answered a next page token that is not a string, ${shown}: the release stops reading it`;
    if (seen.has(token)) return `${call} answered the next page token ${shown} a second time: following it would read the same pages for ever, so the release stops reading it`;
    if (pages >= MOST_PAGES) return `${call} answered a next page on each of ${MOST_PAGES} pages, where the release's read fits in a few: the release stops reading it rather than follow it for ever`;
    return undefined;
}
