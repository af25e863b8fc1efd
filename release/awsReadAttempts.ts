import { boundedAttempt } from "../components/aws/awsClient";
import { untrustedIssuerSaid } from "../components/noAnswer";
import { nextPageGuard } from "../components/pageLimit";

/**
 * How long one attempt of the release's AWS reads (CloudWatch's metrics and alarms, SNS's subscriptions) may take, and
 * how many attempts: the program's own bound on an attempt (components/aws/awsClient.ts: without one, an unanswered
 * call waits out the client's default socket timeout, retried: 900 s for CloudWatch, 300 s for SNS, each client's
 * runtimeConfig defaultSocketTimeout), and one retry, where the SDK's standard mode makes two.
 */
export const AWS_READ_ATTEMPTS = { maxAttempts: 2 };

/** An AWS SDK client's options that bound each attempt so; `attemptTimeoutMs`: instead of CALL_ATTEMPT's (a test's). */
export function boundedAttempts(attemptTimeoutMs?: number) {
    return { maxAttempts: AWS_READ_ATTEMPTS.maxAttempts, ...boundedAttempt(attemptTimeoutMs) };
}

/**
 * What an AWS SDK call that failed answered, for the release's messages: the error's name and message. A certificate
 * whose issuer Node does not trust also gets its code, which the SDK's rethrown TLS error leaves out of its message, and
 * what to set (UNTRUSTED_ISSUER_REMEDY), as the program's reads say it (components/aws/awsClient.ts awsReadFailure).
 */
export function awsAnswer(err: unknown): string {
    if (!(err instanceof Error)) return String(err);
    const untrusted = untrustedIssuerSaid(err);
    return `${err.name}: ${err.message}${untrusted ? ` ${untrusted}` : ""}`;
}

/**
 * Every page of an AWS `call` that pages by NextToken: `ask` with each page's token, from none, until a page names none.
 * Fails, naming the call, on a token that would page for ever (pageLimit.ts).
 */
export async function everyPage<P extends { NextToken?: string }>(call: string, ask: (NextToken: string | undefined) => Promise<P>): Promise<P[]> {
    const pages: P[] = [];
    const endlessAt = nextPageGuard(call);
    let NextToken: string | undefined;
    do {
        const page = await ask(NextToken);
        pages.push(page);
        NextToken = page.NextToken;
        const endless = NextToken ? endlessAt(NextToken) : undefined;
        if (endless) throw Object.assign(new Error(endless), { name: "PagingWithoutEnd" });
    } while (NextToken);
    return pages;
}
