import * as assert from "assert";
import * as http from "http";
import { AddressInfo } from "net";
import { ListTopicSubscriptions, TopicSubscription, alarmDeliveryProblem } from "../../release/alerts/alarmDelivery";
import { snsTopicSubscriptions } from "../../release/alerts/snsSubscriptions";
import { awsQueryErrorXml } from "../../scripts/offline/awsErrorAnswer";
import { AWS_READ_ATTEMPTS } from "../../release/awsReadAttempts";
import { runRelease } from "../../release/release";
import { ReleaseError } from "../../release/releaseError";
import type { ReleaseEvent } from "../../release/events";
import { startSilentServer } from "../harness/silentServer";
import { ALARM_TOPIC, FakeStack, HEALTHY, TEAM_ALERT_EMAIL, depsFor, fakeMetrics, fakeProbes, withoutOutput } from "./fakes";

const EMAIL = TEAM_ALERT_EMAIL;
const AWS_WEIGHT = "multicloud-service:aws.canary.weightPercent";

/**
 * ListSubscriptionsByTopic as SNS answers it (Query protocol, XML; SNS API Reference, ListSubscriptionsByTopic,
 * "Response Elements" and its example): a confirmed subscription carries its ARN, an unconfirmed one the string
 * "PendingConfirmation"; more than one page carries a NextToken.
 */
function listSubscriptionsXml(topicArn: string, members: { protocol: string; endpoint: string; arn: string }[], nextToken?: string) {
    const member = (m: (typeof members)[number]) =>
        `<member><TopicArn>${topicArn}</TopicArn><Protocol>${m.protocol}</Protocol><SubscriptionArn>${m.arn}</SubscriptionArn><Owner>123456789012</Owner><Endpoint>${m.endpoint}</Endpoint></member>`;
    return (
        `<ListSubscriptionsByTopicResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><ListSubscriptionsByTopicResult>` +
        `<Subscriptions>${members.map(member).join("")}</Subscriptions>${nextToken ? `<NextToken>${nextToken}</NextToken>` : ""}` +
        `</ListSubscriptionsByTopicResult><ResponseMetadata><RequestId>b9275252-3774-11df-9540-99d0768312d3</RequestId></ResponseMetadata></ListSubscriptionsByTopicResponse>`
    );
}

/**
 * GetSubscriptionAttributes as SNS answers it (SNS API Reference, GetSubscriptionAttributes: "Attributes.entry.N.key",
 * "Attributes.entry.N.value", and the shape of its example response): the attributes as entry/key/value elements, each a
 * string, an e-mail subscription's with its Endpoint and RawMessageDelivery too (aws/aws-cli
 * awscli/examples/sns/get-subscription-attributes.rst: Endpoint, Protocol, RawMessageDelivery,
 * ConfirmationWasAuthenticated, Owner, SubscriptionArn, TopicArn). The ids are made up.
 */
function subscriptionAttributesXml(subscriptionArn: string, confirmationWasAuthenticated: boolean, endpoint = EMAIL, protocol = "email") {
    const entry = (key: string, value: string) => `<entry><key>${key}</key><value>${value}</value></entry>`;
    return (
        `<GetSubscriptionAttributesResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><GetSubscriptionAttributesResult><Attributes>` +
        entry("Endpoint", endpoint) +
        entry("Owner", "123456789012") +
        entry("ConfirmationWasAuthenticated", String(confirmationWasAuthenticated)) +
        entry("PendingConfirmation", "false") +
        entry("Protocol", protocol) +
        entry("RawMessageDelivery", "false") +
        entry("SubscriptionArn", subscriptionArn) +
        entry("TopicArn", ALARM_TOPIC) +
        `</Attributes></GetSubscriptionAttributesResult><ResponseMetadata><RequestId>057f074c-33a7-11df-9540-99d0768312d3</RequestId></ResponseMetadata></GetSubscriptionAttributesResponse>`
    );
}

/** SNS's refusal of an action to the release's role, in the Query protocol's ErrorResponse (see the 403 case below). */
function authorizationErrorXml(action: string, resource: string) {
    return awsQueryErrorXml(
        "http://sns.amazonaws.com/doc/2010-03-31/",
        "AuthorizationError",
        `User: arn:aws:sts::123456789012:assumed-role/release/ci is not authorized to perform: SNS:${action} on resource: ${resource} because no identity-based policy allows the SNS:${action} action`,
        "9dd01905-5012-5f99-8663-4b3ecd0dfaef",
    );
}

/**
 * `answer`: instead of a page, SNS's answer to each request (an error). `attributes`: GetSubscriptionAttributes'
 * answer per subscription ARN.
 */
async function fakeSns(pages: string[], answer?: { status: number; xml: string }, attributes: Record<string, { status: number; xml: string }> = {}) {
    const requests: URLSearchParams[] = [];
    const server = http.createServer((req, res) => {
        let body = "";
        req.on("data", (d) => (body += d));
        req.on("end", () => {
            const form = new URLSearchParams(body);
            requests.push(form);
            if (answer) return void res.writeHead(answer.status, { "content-type": "text/xml" }).end(answer.xml);
            if (form.get("Action") === "GetSubscriptionAttributes") {
                const attribute = attributes[form.get("SubscriptionArn") ?? ""];
                return void res.writeHead(attribute.status, { "content-type": "text/xml" }).end(attribute.xml);
            }
            const page = form.get("NextToken") ? pages[Number(form.get("NextToken"))] : pages[0];
            res.writeHead(200, { "content-type": "text/xml" }).end(page);
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return { endpoint, requests, close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(resolve))) };
}

// Before: a stack whose alert addresses were still the committed placeholder (platform-oncall@example.com) released on
// GCP with alert policies mailing no one, and on AWS stopped only at
// the SNS check, which could not say why no one would ever confirm. RFC 2606 reserves example.com for examples.
describe("release: alert addresses at a domain reserved for examples are refused before anything is deployed", () => {
    const placeholders = (doc: Record<string, any>) => {
        doc["multicloud-service:aws"].alarms.email = "platform-oncall@example.com";
        doc["multicloud-service:gcp"].alerts.email = "platform-oncall@example.com";
    };

    it("the committed stack file's placeholder, on both clouds: each named with the command that sets it; nothing deployed, verified or baked", async () => {
        const stack = new FakeStack("prod", undefined, placeholders);
        const probes = fakeProbes();
        const { metrics, reads } = fakeMetrics(() => HEALTHY);
        await assert.rejects(runRelease(depsFor(stack, metrics, [], probes.probes)), (err: Error) => {
            assert.ok(err instanceof ReleaseError);
            assert.match(err.message, /^aws: the alerts reach nobody: aws\.alarms\.email is platform-oncall@example\.com, at a domain reserved for examples \(RFC 2606\)\. Set it to an address someone reads \(pulumi config set --path multicloud-service:aws\.alarms\.email <address> --stack my-org\/prod\), run pulumi up, then the release again; /);
            assert.match(err.message, /; gcp: the alerts reach nobody: gcp\.alerts\.email is platform-oncall@example\.com, .* --stack my-org\/prod\), run pulumi up, then the release again\. No traffic moved$/);
            return true;
        });
        assert.strictEqual(stack.ups, 0);
        assert.strictEqual(reads.length, 0);
        assert.deepStrictEqual(probes.verified, []);
    });

    it("a resumed release (traffic already on the new version) is refused without claiming no traffic moved", async () => {
        const stack = new FakeStack().failUp(3); // deploy, 10 %, then the 50 % up fails: 50 % recorded
        const { metrics } = fakeMetrics(() => HEALTHY);
        await assert.rejects(runRelease(depsFor(stack, metrics)), /pulumi up failed/);
        const gcp = JSON.parse(stack.config.values["multicloud-service:gcp"]);
        gcp.alerts.email = "platform-oncall@example.com";
        stack.config.values["multicloud-service:gcp"] = JSON.stringify(gcp);
        const upsBefore = stack.ups;
        await assert.rejects(runRelease(depsFor(stack, metrics)), (err: Error) => {
            assert.match(err.message, /gcp: the alerts reach nobody/);
            assert.doesNotMatch(err.message, /No traffic moved/);
            assert.match(err.message, /Traffic stays where the release left it \(50% to the new version\)$/);
            return true;
        });
        assert.strictEqual(stack.ups, upsBefore);
    });

    it("a rehearsal (--simulate) of the committed file is not refused: it puts nothing live", async () => {
        const stack = new FakeStack("prod", undefined, placeholders);
        const outcome = await runRelease({ ...depsFor(stack, fakeMetrics(() => HEALTHY).metrics), alarmSubscriptions: undefined, rehearsal: true });
        assert.strictEqual(outcome.decision, "promoted");
    });
});

describe("release: the alarms must reach someone before traffic moves (aws.alarms.email confirmed on SNS)", () => {
    const pending: TopicSubscription[] = [{ protocol: "email", endpoint: EMAIL, confirmed: false }];

    it("the address has not confirmed its subscription: the release stops before any traffic moves, saying what to do", async () => {
        const stack = new FakeStack();
        const probes = fakeProbes();
        const { metrics, reads } = fakeMetrics(() => HEALTHY);
        await assert.rejects(runRelease(depsFor(stack, metrics, [], probes.probes, pending)), (err: Error) => {
            assert.ok(err instanceof ReleaseError);
            assert.match(err.message, new RegExp(`${EMAIL} has not confirmed its subscription to ${ALARM_TOPIC}`));
            assert.match(err.message, /AWS Notification - Subscription Confirmation/);
            assert.match(err.message, new RegExp(`aws sns subscribe --region ap-northeast-1 --topic-arn ${ALARM_TOPIC} --protocol email --notification-endpoint ${EMAIL}`));
            // Confirmed so, only the topic's or the subscription's owner can remove it (SNS API Reference, ConfirmSubscription).
            assert.ok(err.message.includes(`aws sns confirm-subscription --region ap-northeast-1 --topic-arn ${ALARM_TOPIC} --token <the link's Token> --authenticate-on-unsubscribe true`), err.message);
            assert.match(err.message, /No traffic moved/);
            return true;
        });
        assert.deepStrictEqual(stack.weights(AWS_WEIGHT), [], "no weight was set");
        assert.strictEqual(stack.ups, 0, "checked on the outputs before the new version was deployed");
        assert.strictEqual(reads.length, 0, "no bake began");
        assert.deepStrictEqual(probes.verified, [], "the new version was not verified either");
    });

    it("no subscription at all (SNS deleted it unconfirmed after 48 hours, or removed by hand): stops too, naming the setting and `up --refresh`", async () => {
        // The stack's state still holds the deleted subscription, so a plain `up` sends nothing (terraform-provider-aws
        // sns/topic_subscription.go drops it from state only when a read answers NotFound). Before: "Run `pulumi up`".
        await assert.rejects(runRelease(depsFor(new FakeStack(), fakeMetrics(() => HEALTHY).metrics, [], fakeProbes().probes, [])), (err: Error) => {
            assert.match(err.message, /has no confirmed subscription, and none for platform-oncall@acme-platform\.io \(aws.alarms.email\)/);
            assert.match(err.message, /run `pulumi up --refresh` to subscribe it again/);
            assert.doesNotMatch(err.message, /Run `pulumi up` to subscribe/);
            return true;
        });
    });

    // RFC 5321 section 2.4: mailbox domains "are hence not case sensitive", and exploiting a local part's case "impedes
    // interoperability and is discouraged"; the address pending in other capitals is the stack's, still to be confirmed.
    it("the address pending under other capitals is still told to confirm, not to subscribe again", async () => {
        const capitals: TopicSubscription[] = [{ protocol: "email", endpoint: EMAIL.toUpperCase(), confirmed: false }];
        await assert.rejects(runRelease(depsFor(new FakeStack(), fakeMetrics(() => HEALTHY).metrics, [], fakeProbes().probes, capitals)), (err: Error) => {
            assert.match(err.message, new RegExp(`${EMAIL} has not confirmed its subscription to ${ALARM_TOPIC}`));
            assert.doesNotMatch(err.message, /pulumi up --refresh/);
            return true;
        });
    });

    it("any confirmed subscription reaches someone (a pager's HTTPS endpoint beside the pending address): the release goes on", async () => {
        const subscriptions: TopicSubscription[] = [...pending, { protocol: "https", endpoint: "https://events.pagerduty.com/integration/x/enqueue", confirmed: true }];
        assert.strictEqual(alarmDeliveryProblem(ALARM_TOPIC, EMAIL, subscriptions), undefined);
        const outcome = await runRelease(depsFor(new FakeStack(), fakeMetrics(() => HEALTHY).metrics, [], fakeProbes().probes, subscriptions));
        assert.strictEqual(outcome.decision, "promoted");
    });

    // aws.alarms.email is optional outside production (config/crossFieldIssues.ts); without it the program still
    // makes the topic but subscribes nothing to it (components/aws/alarms.ts), so SNS lists no subscription.
    it("a non-production stack without aws.alarms.email (a topic with no subscription): the release goes on", async () => {
        const stack = new FakeStack("dev", undefined, (doc) => delete doc["multicloud-service:aws"].alarms.email);
        const outcome = await runRelease(depsFor(stack, fakeMetrics(() => HEALTHY).metrics, [], fakeProbes().probes, []));
        assert.strictEqual(outcome.decision, "promoted");
    });

    it("a stack last updated by an older program (no alarmTopicArn output yet): checked after the release's own deploy adds it", async () => {
        const stack = withoutOutput(new FakeStack(), "aws", "alarmTopicArn", (s) => s.ups === 0);
        await assert.rejects(runRelease(depsFor(stack, fakeMetrics(() => HEALTHY).metrics, [], fakeProbes().probes, pending)), /has not confirmed its subscription/);
        assert.strictEqual(stack.ups, 1, "the deploy at 0 % ran, no weight moved");
        assert.deepStrictEqual(stack.weights(AWS_WEIGHT), []);
        // Still no topic after the deploy: asked to update the stack with this program.
        const never = withoutOutput(new FakeStack(), "aws", "alarmTopicArn", () => true);
        await assert.rejects(runRelease(depsFor(never, fakeMetrics(() => HEALTHY).metrics)), /no alarmTopicArn: update the stack/);
    });

    it("an SNS that never answers fails the read in its timeout, naming the topic; the release stops before traffic moves", async function () {
        this.timeout(10_000);
        // Before: no request timeout (@smithy/node-http-handler's default is 0), so the release waited for ever.
        const sns = await startSilentServer();
        let timedOut: Error | undefined;
        try {
            const list = await snsTopicSubscriptions({ region: "ap-northeast-1", endpoint: sns.url, credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" }, attemptTimeoutMs: 300 });
            await assert.rejects(list(ALARM_TOPIC), (err: Error) => {
                assert.match(err.message, new RegExp(`^SNS did not list the subscriptions of ${ALARM_TOPIC} \\(ListSubscriptionsByTopic`));
                assert.match(err.message, /TimeoutError/);
                timedOut = err;
                return true;
            });
            assert.strictEqual(sns.asked.length, AWS_READ_ATTEMPTS.maxAttempts, "each attempt timed out");
        } finally {
            await sns.stop();
        }
        // The release, given that very failure of the read.
        const stack = new FakeStack();
        const refused: ListTopicSubscriptions = async () => {
            throw timedOut!;
        };
        await assert.rejects(runRelease({ ...depsFor(stack, fakeMetrics(() => HEALTHY).metrics), alarmSubscriptions: refused }), (err: Error) => {
            assert.ok(err instanceof ReleaseError);
            assert.match(err.message, /^aws: cannot tell whether the alarms reach anyone: SNS did not list the subscriptions/);
            assert.match(err.message, /No traffic moved$/);
            return true;
        });
        assert.strictEqual(stack.ups, 0);
    });

    it("a refusal in SNS's own words (403 AuthorizationError) names the permission", async () => {
        // SNS speaks the Query protocol: an error is an ErrorResponse document (botocore sns/2010-03-31 service-2.json,
        // AuthorizationError: httpStatusCode 403, senderFault; the message is IAM's "is not authorized to perform" form),
        // which @aws-sdk/client-sns names AuthorizationErrorException, its shape's name.
        const sns = await fakeSns([], {
            status: 403,
            xml: authorizationErrorXml("ListSubscriptionsByTopic", ALARM_TOPIC),
        });
        try {
            const list = await snsTopicSubscriptions({ region: "ap-northeast-1", endpoint: sns.endpoint, credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" } });
            await assert.rejects(list(ALARM_TOPIC), /needs sns:ListSubscriptionsByTopic on the topic\): AuthorizationErrorException: User: .* is not authorized to perform: SNS:ListSubscriptionsByTopic/);
            assert.strictEqual(sns.requests.length, 1, "a refusal is not tried again");
        } finally {
            await sns.close();
        }
    });

    it("reads every page of SNS's answer and tells confirmed from PendingConfirmation", async () => {
        const sns = await fakeSns([
            listSubscriptionsXml(ALARM_TOPIC, [{ protocol: "email", endpoint: EMAIL, arn: "PendingConfirmation" }], "1"),
            listSubscriptionsXml(ALARM_TOPIC, [{ protocol: "https", endpoint: "https://pager.example/hook", arn: `${ALARM_TOPIC}:80289ba6-0fd4-4079-afb4-ce8c8260f0ca` }]),
        ]);
        try {
            const list = await snsTopicSubscriptions({ region: "ap-northeast-1", endpoint: sns.endpoint, credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" } });
            assert.deepStrictEqual(await list(ALARM_TOPIC), [
                { protocol: "email", endpoint: EMAIL, confirmed: false },
                { protocol: "https", endpoint: "https://pager.example/hook", confirmed: true, arn: `${ALARM_TOPIC}:80289ba6-0fd4-4079-afb4-ce8c8260f0ca` },
            ]);
            assert.deepStrictEqual(
                sns.requests.map((r) => [r.get("Action"), r.get("TopicArn"), r.get("NextToken")]),
                [
                    ["ListSubscriptionsByTopic", ALARM_TOPIC, null],
                    ["ListSubscriptionsByTopic", ALARM_TOPIC, "1"],
                ],
            );
        } finally {
            await sns.close();
        }
    });

    // A subscription SNS lists as "Deleted" (unsubscribed, e.g. through an alarm e-mail's link) is not the address's
    // pending one: no e-mail confirms it, so the release says to subscribe the address again, not to confirm.
    it("a subscription SNS lists as Deleted is no longer there: the release says to subscribe the address again with `pulumi up --refresh`", async () => {
        const sns = await fakeSns([listSubscriptionsXml(ALARM_TOPIC, [{ protocol: "email", endpoint: EMAIL, arn: "Deleted" }])]);
        try {
            const list = await snsTopicSubscriptions({ region: "ap-northeast-1", endpoint: sns.endpoint, credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" } });
            const subscriptions = await list(ALARM_TOPIC);
            assert.deepStrictEqual(subscriptions, []);
            const problem = alarmDeliveryProblem(ALARM_TOPIC, EMAIL, subscriptions);
            assert.match(problem ?? "", /has no confirmed subscription, and none for platform-oncall@acme-platform\.io \(aws.alarms.email\)/);
            assert.match(problem ?? "", /run `pulumi up --refresh` to subscribe it again/);
            assert.doesNotMatch(problem ?? "", /has not confirmed its subscription/);
        } finally {
            await sns.close();
        }
    });
});

// Every e-mail SNS sends a subscription ends with an Unsubscribe link, and a subscription confirmed through the e-mail's
// own link (ConfirmationWasAuthenticated false) is removed by whoever opens it, a mail scanner that opens links too
// (AWS Knowledge Center, "How do I keep mailing list recipients from unsubscribing everyone on the list from my Amazon
// SNS topic emails?"). Before: the release neither read nor said it; the alarms went silent at the first scanned e-mail.
describe("release: an alarm e-mail anyone could unsubscribe is said before traffic moves (ConfirmationWasAuthenticated)", () => {
    const SUBSCRIPTION = `${ALARM_TOPIC}:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55`;
    const PAGER = `${ALARM_TOPIC}:80289ba6-0fd4-4079-afb4-ce8c8260f0ca`;
    const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" };

    it("reads GetSubscriptionAttributes of each confirmed e-mail subscription only, and tells one confirmed by its link from one confirmed with credentials", async () => {
        const other = `${ALARM_TOPIC}:6c9a9d0e-7b41-4a0f-9c55-0b3d2f1a8e77`;
        const sns = await fakeSns(
            [
                listSubscriptionsXml(ALARM_TOPIC, [
                    { protocol: "email", endpoint: EMAIL, arn: SUBSCRIPTION },
                    { protocol: "email", endpoint: "sre-lead@acme-platform.io", arn: other },
                    { protocol: "email", endpoint: "new-hire@acme-platform.io", arn: "PendingConfirmation" },
                    { protocol: "https", endpoint: "https://pager.example/hook", arn: PAGER },
                ]),
            ],
            undefined,
            { [SUBSCRIPTION]: { status: 200, xml: subscriptionAttributesXml(SUBSCRIPTION, false) }, [other]: { status: 200, xml: subscriptionAttributesXml(other, true, "sre-lead@acme-platform.io") } },
        );
        try {
            const list = await snsTopicSubscriptions({ region: "ap-northeast-1", endpoint: sns.endpoint, credentials });
            assert.deepStrictEqual(await list(ALARM_TOPIC), [
                { protocol: "email", endpoint: EMAIL, confirmed: true, arn: SUBSCRIPTION, confirmedWithCredentials: false },
                { protocol: "email", endpoint: "sre-lead@acme-platform.io", confirmed: true, arn: other, confirmedWithCredentials: true },
                { protocol: "email", endpoint: "new-hire@acme-platform.io", confirmed: false },
                { protocol: "https", endpoint: "https://pager.example/hook", confirmed: true, arn: PAGER },
            ]);
            const asked = sns.requests.filter((r) => r.get("Action") === "GetSubscriptionAttributes").map((r) => r.get("SubscriptionArn"));
            assert.deepStrictEqual(asked.sort(), [SUBSCRIPTION, other].sort(), "neither the pending address nor the pager's HTTPS endpoint is asked");
        } finally {
            await sns.close();
        }
    });

    // An email-json subscription's every message is the notification's JSON document, which carries its UnsubscribeURL
    // (SNS Developer Guide, "HTTP/HTTPS notification JSON format": "UnsubscribeURL: A URL that you can use to
    // unsubscribe the endpoint from this topic"), so one confirmed through its link is as easily removed.
    it("a confirmed email-json subscription's confirmation is read too: one confirmed by its link is told apart", async () => {
        const json = `${ALARM_TOPIC}:3f1e7c52-9a0b-4d6e-8c21-5b7a9e0d4c13`;
        const sns = await fakeSns([listSubscriptionsXml(ALARM_TOPIC, [{ protocol: "email-json", endpoint: "sre-lead@acme-platform.io", arn: json }])], undefined, {
            [json]: { status: 200, xml: subscriptionAttributesXml(json, false, "sre-lead@acme-platform.io", "email-json") },
        });
        try {
            const list = await snsTopicSubscriptions({ region: "ap-northeast-1", endpoint: sns.endpoint, credentials });
            assert.deepStrictEqual(await list(ALARM_TOPIC), [{ protocol: "email-json", endpoint: "sre-lead@acme-platform.io", confirmed: true, arn: json, confirmedWithCredentials: false }]);
        } finally {
            await sns.close();
        }
    });

    it("a refused attribute read is said of that subscription, in SNS's words, and the list still answers", async () => {
        const sns = await fakeSns([listSubscriptionsXml(ALARM_TOPIC, [{ protocol: "email", endpoint: EMAIL, arn: SUBSCRIPTION }])], undefined, {
            [SUBSCRIPTION]: { status: 403, xml: authorizationErrorXml("GetSubscriptionAttributes", SUBSCRIPTION) },
        });
        try {
            const list = await snsTopicSubscriptions({ region: "ap-northeast-1", endpoint: sns.endpoint, credentials });
            const [subscription] = await list(ALARM_TOPIC);
            assert.strictEqual(subscription.confirmed, true);
            assert.match(
                (subscription.confirmedWithCredentials as { unread: string }).unread,
                /^GetSubscriptionAttributes, which needs sns:GetSubscriptionAttributes, answered AuthorizationErrorException: User: .* is not authorized to perform: SNS:GetSubscriptionAttributes/,
            );
        } finally {
            await sns.close();
        }
    });

    it("the release goes on and says how to make the subscription need credentials to remove; one confirmed with credentials is not mentioned", async () => {
        const region = ALARM_TOPIC.split(":")[3];
        const events: ReleaseEvent[] = [];
        const byLink: TopicSubscription[] = [{ protocol: "email", endpoint: EMAIL, confirmed: true, arn: SUBSCRIPTION, confirmedWithCredentials: false }];
        const outcome = await runRelease(depsFor(new FakeStack(), fakeMetrics(() => HEALTHY).metrics, events, fakeProbes().probes, byLink));
        assert.strictEqual(outcome.decision, "promoted", "not a refusal: the alarms reach someone now");
        const notices = events.flatMap((e) => (e.kind === "notice" ? [e.text] : []));
        const notice = notices.find((text) => text.includes(SUBSCRIPTION));
        assert.ok(notice, `a notice names the subscription; notices: ${JSON.stringify(notices)}`);
        assert.match(notice, new RegExp(`^aws: ${EMAIL} confirmed its subscription to ${ALARM_TOPIC} through the e-mail's link, so the Unsubscribe link in any alarm e-mail removes it without AWS credentials`));
        assert.ok(notice.includes(`aws sns unsubscribe --region ${region} --subscription-arn ${SUBSCRIPTION}, then pulumi up --refresh`), notice);
        assert.ok(notice.includes(`aws sns confirm-subscription --region ${region} --topic-arn ${ALARM_TOPIC} --token <the link's Token> --authenticate-on-unsubscribe true`), notice);

        const quiet: ReleaseEvent[] = [];
        const withCredentials: TopicSubscription[] = [{ ...byLink[0], confirmedWithCredentials: true }];
        await runRelease(depsFor(new FakeStack(), fakeMetrics(() => HEALTHY).metrics, quiet, fakeProbes().probes, withCredentials));
        assert.deepStrictEqual(quiet.filter((e) => e.kind === "notice" && e.text.includes(SUBSCRIPTION)), []);
    });

    it("an address added by hand is subscribed again by hand: `pulumi up --refresh` subscribes only aws.alarms.email", async () => {
        const region = ALARM_TOPIC.split(":")[3];
        const byHand = `${ALARM_TOPIC}:6c9a9d0e-7b41-4a0f-9c55-0b3d2f1a8e77`;
        const events: ReleaseEvent[] = [];
        const subscriptions: TopicSubscription[] = [
            { protocol: "email", endpoint: EMAIL, confirmed: true, arn: SUBSCRIPTION, confirmedWithCredentials: true },
            { protocol: "email", endpoint: "sre-lead@acme-platform.io", confirmed: true, arn: byHand, confirmedWithCredentials: false },
        ];
        await runRelease(depsFor(new FakeStack(), fakeMetrics(() => HEALTHY).metrics, events, fakeProbes().probes, subscriptions));
        const notice = events.flatMap((e) => (e.kind === "notice" && e.text.includes(byHand) ? [e.text] : []))[0];
        assert.ok(notice, JSON.stringify(events));
        assert.ok(notice.includes(`aws sns unsubscribe --region ${region} --subscription-arn ${byHand}, then aws sns subscribe --region ${region} --topic-arn ${ALARM_TOPIC} --protocol email --notification-endpoint sre-lead@acme-platform.io`), notice);
        assert.ok(!notice.includes("pulumi up --refresh"), notice);
    });

    // The stack subscribes aws.alarms.email with protocol "email" only (components/aws/alarms.ts): the same address
    // subscribed as email-json by hand does not come back with `pulumi up --refresh`.
    it("the alarm address subscribed by hand as email-json is subscribed again by hand, with its protocol", async () => {
        const region = ALARM_TOPIC.split(":")[3];
        const json = `${ALARM_TOPIC}:3f1e7c52-9a0b-4d6e-8c21-5b7a9e0d4c13`;
        const events: ReleaseEvent[] = [];
        const subscriptions: TopicSubscription[] = [{ protocol: "email-json", endpoint: EMAIL, confirmed: true, arn: json, confirmedWithCredentials: false }];
        await runRelease(depsFor(new FakeStack(), fakeMetrics(() => HEALTHY).metrics, events, fakeProbes().probes, subscriptions));
        const notice = events.flatMap((e) => (e.kind === "notice" && e.text.includes(json) ? [e.text] : []))[0];
        assert.ok(notice, JSON.stringify(events));
        assert.ok(notice.includes(`then aws sns subscribe --region ${region} --topic-arn ${ALARM_TOPIC} --protocol email-json --notification-endpoint ${EMAIL}`), notice);
        assert.ok(!notice.includes("pulumi up --refresh"), notice);
    });

    it("an attribute read that failed is said, not taken for either answer", async () => {
        const events: ReleaseEvent[] = [];
        const unread: TopicSubscription[] = [{ protocol: "email", endpoint: EMAIL, confirmed: true, arn: SUBSCRIPTION, confirmedWithCredentials: { unread: "GetSubscriptionAttributes, which needs sns:GetSubscriptionAttributes, answered AuthorizationErrorException: ..." } }];
        const outcome = await runRelease(depsFor(new FakeStack(), fakeMetrics(() => HEALTHY).metrics, events, fakeProbes().probes, unread));
        assert.strictEqual(outcome.decision, "promoted");
        const notices = events.flatMap((e) => (e.kind === "notice" ? [e.text] : []));
        assert.ok(notices.some((text) => text.startsWith(`aws: could not tell whether anyone can unsubscribe ${EMAIL} from ${ALARM_TOPIC} without AWS credentials: GetSubscriptionAttributes`)), JSON.stringify(notices));
    });
});
