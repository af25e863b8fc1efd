import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/stackFile";
import { FetchJson, fetchJsonOverHttps, refreshPrices } from "../../review/prices/refresh";
import { parsePricesArgs } from "../../review/prices/args";
import { regionsToRefresh, stackRegions } from "../../review/prices/regions";
import { loadPriceTable } from "../../review/prices/table";
import { serviceDisabled } from "../../scripts/offline/googleApiAnswers";
import { startSilentServer } from "../harness/silentServer";

const DIR = path.join(PROJECT_ROOT, "tests", "review", "fixtures", "prices");
const read = (...p: string[]) => JSON.parse(fs.readFileSync(path.join(DIR, ...p), "utf8"));

/**
 * The two price APIs as fixtures in their documented shapes (tests/review/fixtures/README.md): AWS offer files by URL,
 * Google's services.list in two pages and each service's skus.list. Every URL asked is recorded. `skusPageSize`: each
 * skus.list comes a page of at most that many at a time, as Google's list methods may answer: first a page with no
 * SKUs but a token, "fewer results than the number requested (including zero results), even if not at the end of the
 * collection" (AIP-158, aip-dev/google.aip.dev aip/general/0158.md), and last a page with none and no token. Each page
 * is proto3 JSON, which leaves out a field at its default, an empty repeated field or an empty string ("If the field
 * doesn't support field presence and has the default value (for example any empty repeated field) serializers should
 * omit it": protobuf.dev/programming-guides/json, Presence and default-values): those two pages are
 * `{"nextPageToken": "..."}` and `{}`.
 */
function fakeApis({ skusPageSize }: { skusPageSize?: number } = {}) {
    const asked: string[] = [];
    const inPages = (all: { skus: unknown[] }, pageToken: string | null) => {
        const pages = [[], ...Array.from({ length: Math.ceil(all.skus.length / skusPageSize!) }, (_, i) => all.skus.slice(i * skusPageSize!, (i + 1) * skusPageSize!)), []];
        const at = pageToken === null ? 0 : Number(Buffer.from(pageToken, "base64url").toString("utf8"));
        const next = at + 1 < pages.length ? Buffer.from(String(at + 1), "utf8").toString("base64url") : "";
        return { ...(pages[at].length ? { skus: pages[at] } : {}), ...(next ? { nextPageToken: next } : {}) };
    };
    const fetchJson: FetchJson = async (url) => {
        asked.push(url);
        const aws = /^https:\/\/pricing\.us-east-1\.amazonaws\.com\/offers\/v1\.0\/aws\/([A-Za-z0-9]+)\/current\/ap-northeast-1\/index\.json$/.exec(url);
        if (aws) return read("aws", `${aws[1]}.json`);
        const u = new URL(url);
        if (u.host !== "cloudbilling.googleapis.com" || u.searchParams.get("key") !== "test-key") throw new Error(`unexpected request ${url}`);
        if (u.pathname === "/v1/services") return read("gcp", u.searchParams.get("pageToken") === "CgRzZXJ2" ? "services.page2.json" : "services.page1.json");
        const skus = /^\/v1\/services\/([0-9A-F-]+)\/skus$/.exec(u.pathname);
        if (skus && u.searchParams.get("currencyCode") === "USD") {
            const all = read("gcp", `skus.${skus[1]}.json`);
            return skusPageSize ? inPages(all, u.searchParams.get("pageToken")) : all;
        }
        throw new Error(`unexpected request ${url}`);
    };
    return { asked, fetchJson };
}

/** fakeApis' answers with `edit` made to Cloud Billing's SKU `skuId` wherever a page lists it. */
function withSkuEdited(skuId: string, edit: (sku: any) => void): FetchJson {
    const { fetchJson } = fakeApis();
    return async (url) => {
        const answer: any = await fetchJson(url);
        for (const sku of answer.skus ?? []) if (sku.skuId === skuId) edit(sku);
        return answer;
    };
}

/**
 * fakeApis' answers with one more first-tier on-demand row of Lambda duration (per Lambda-GB-Second) in ap-northeast-1's
 * AWSLambda offer, in the offer file's shape: its SKU, its usage type and its price in USD.
 */
function withLambdaDurationRow(sku: string, usagetype: string, usd: string): FetchJson {
    const { fetchJson } = fakeApis();
    return async (url) => {
        const offer: any = await fetchJson(url);
        if (offer.offerCode === "AWSLambda") {
            offer.products[sku] = { sku, attributes: { regionCode: "ap-northeast-1", usagetype, group: "AWS-Lambda-Duration" } };
            offer.terms.OnDemand[sku] = { [`${sku}.JRTCKXETXF`]: { priceDimensions: { [`${sku}.JRTCKXETXF.6YS6EN2CT7`]: { unit: "Lambda-GB-Second", beginRange: "0", pricePerUnit: { USD: usd } } } } };
        }
        return offer;
    };
}

describe("review: npm run prices (the price table's refresh)", () => {
    it("reads every figure from the AWS offer files and Google's billing catalog, dated today with the URL it came from", async () => {
        const { asked, fetchJson } = fakeApis();
        const table = await refreshPrices({ awsRegions: ["ap-northeast-1"], gcpRegions: ["asia-northeast1"], googleApiKey: "test-key", fetchJson, today: "2027-01-15" });
        const aws = table.regions["aws:ap-northeast-1"];
        const gcp = table.regions["gcp:asia-northeast1"];
        // First tiers (beginRange 0), the ARM duration apart from x86, S3's Standard volume (not Infrequent Access).
        assert.deepStrictEqual(
            Object.fromEntries(Object.entries(aws).map(([k, f]) => [k, f.usd])),
            { "lambda.request": 0.0000002, "lambda.gbSecond.arm64": 0.0000133334, "lambda.gbSecond.x86_64": 0.0000166667, "stepFunctions.stateTransition": 0.000025, "logs.ingestedGB": 0.76, "logs.storedGBMonth": 0.033, "alarms.metricMonth": 0.1, "s3.standardGBMonth": 0.025 },
        );
        // The first priced tier after a free one; the region's SKU (tier 1), not another region's.
        assert.deepStrictEqual(
            Object.fromEntries(Object.entries(gcp).map(([k, f]) => [k, f.usd])),
            { "run.request": 0.0000004, "run.vcpuSecond": 0.000024, "run.gibSecond": 0.0000025, "run.idleVcpuSecond": 0.0000025, "run.idleGibSecond": 0.0000025, "logging.ingestedGiB": 0.5, "storage.standardGiBMonth": 0.023, "monitoring.alertConditionMonth": 1.5 },
        );
        assert.strictEqual(aws["lambda.request"].source, "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AWSLambda/current/ap-northeast-1/index.json");
        assert.strictEqual(aws["stepFunctions.stateTransition"].source, "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonStates/current/ap-northeast-1/index.json");
        // The request-based CPU SKU, not the instance-based one of the same region.
        assert.match(gcp["run.vcpuSecond"].how, /SKU CF4E-A0C7-E3BF/);
        assert.strictEqual(gcp["run.request"].source, "https://cloudbilling.googleapis.com/v1/services/152E-C115-5142/skus");
        assert.match(gcp["run.request"].how, /SKU 8A6C-1F1B-3D45/);
        assert.ok(Object.values(table.regions).every((r) => Object.values(r).every((f) => f.asOf === "2027-01-15")));
        // One download per offer file, both pages of the services list.
        assert.strictEqual(asked.filter((u) => u.includes("amazonaws")).length, 4);
        assert.ok(asked.some((u) => u.includes("pageToken=CgRzZXJ2")));
    });

    // Before: a page without `skus` stopped the refresh ("no \"skus\" in the answer").
    it("a skus.list page with no SKUs (`{\"nextPageToken\": ...}`, or `{}` at the end) is read as an empty page, and the pages after it are read", async () => {
        const { asked, fetchJson } = fakeApis({ skusPageSize: 2 });
        const table = await refreshPrices({ awsRegions: [], gcpRegions: ["asia-northeast1"], googleApiKey: "test-key", fetchJson, today: "2027-01-15" });
        const whole = await refreshPrices({ awsRegions: [], gcpRegions: ["asia-northeast1"], googleApiKey: "test-key", fetchJson: fakeApis().fetchJson, today: "2027-01-15" });
        assert.deepStrictEqual(table, whole, "the same figures as from the one-page answers");
        const cloudRunPages = asked.filter((u) => u.includes("/services/152E-C115-5142/skus"));
        // An empty first page, the SKUs two at a time, an empty last page.
        const skus = read("gcp", "skus.152E-C115-5142.json").skus.length;
        assert.ok(skus > 2, "more than one page of SKUs");
        assert.strictEqual(cloudRunPages.length, 1 + Math.ceil(skus / 2) + 1, cloudRunPages.join("\n"));
    });

    it("the free tier's Global- usage types (a $0 band beside the region's row) are not taken for the list price", async () => {
        // AWS Billing, "Tracking your AWS Free Tier usage": Global-Lambda-GB-Second, Global-StateTransition and the like.
        const withFreeTier = withLambdaDurationRow("FREETIER", "Global-Lambda-GB-Second", "0.0000000000");
        const table = await refreshPrices({ awsRegions: ["ap-northeast-1"], gcpRegions: [], fetchJson: withFreeTier, today: "2027-01-15" });
        assert.strictEqual(table.regions["aws:ap-northeast-1"]["lambda.gbSecond.x86_64"].usd, 0.0000166667);
    });

    it("a Google SKU priced in another unit than the figure's is refused, naming both: GBy.mo is not GiBy.mo", async () => {
        // google/cloud/billing/v1/cloud_catalog.proto, PricingExpression.usage_unit: "The short hand for unit of usage this
        // pricing is specified in. Example: usage_unit of "GiBy" means that usage is specified in "Gibi Byte"." A price per
        // gigabyte taken for one per gibibyte would understate the storage line by about 7 %.
        const perGigabyte = withSkuEdited("E5F0-6A5D-7BAD", (sku) => {
            for (const info of sku.pricingInfo) info.pricingExpression.usageUnit = "GBy.mo";
        });
        await assert.rejects(
            refreshPrices({ awsRegions: [], gcpRegions: ["asia-northeast1"], googleApiKey: "test-key", fetchJson: perGigabyte, today: "2027-01-15" }),
            /storage\.standardGiBMonth: SKU E5F0-6A5D-7BAD is priced per GBy\.mo, not GiBy\.mo/,
        );
    });

    it("a figure the price list does not have exactly once is an error naming it, and nothing is returned", async () => {
        const { fetchJson } = fakeApis();
        const noArm: FetchJson = async (url) => {
            const offer: any = await fetchJson(url);
            if (offer.offerCode === "AWSLambda") for (const p of Object.values<any>(offer.products)) if (p.attributes.usagetype.endsWith("-ARM")) p.attributes.regionCode = "us-west-2";
            return offer;
        };
        await assert.rejects(refreshPrices({ awsRegions: ["ap-northeast-1"], gcpRegions: [], fetchJson: noArm, today: "2027-01-15" }), /lambda\.gbSecond\.arm64: no first-tier on-demand prices .* in ap-northeast-1 in AWSLambda/);
    });

    it("a figure the price list has twice at different prices is refused, naming both SKUs, and neither price is taken", async () => {
        // A second first-tier row of the x86 duration's usage type at another price (say the Lambda offer gains a row the
        // usage-type pattern also matches): taking either one would put a price of unknown meaning in the estimate.
        const twoPrices = withLambdaDurationRow("SECONDROW", "APN1-Lambda-GB-Second", "0.0000200000");
        await assert.rejects(
            refreshPrices({ awsRegions: ["ap-northeast-1"], gcpRegions: [], fetchJson: twoPrices, today: "2027-01-15" }),
            /lambda\.gbSecond\.x86_64: 2 different first-tier on-demand prices .* in ap-northeast-1 in AWSLambda \(SKUs .*B8PQ9G5EN2CSJ8YT.*SECONDROW/,
        );
    });

    it("two Google SKUs that both match a figure in the region are refused, naming both, and neither price is taken", async () => {
        // A second request-based CPU SKU serving asia-northeast1 at another price: which one bills the service cannot be
        // told from the catalog, so the refresh stops rather than pick the first one listed.
        const { fetchJson } = fakeApis();
        const twoSkus: FetchJson = async (url) => {
            const answer: any = await fetchJson(url);
            const cpu = (answer.skus ?? []).find((sku: any) => sku.skuId === "CF4E-A0C7-E3BF");
            if (cpu) answer.skus.push({ ...JSON.parse(JSON.stringify(cpu)), name: "services/152E-C115-5142/skus/0000-1111-2222", skuId: "0000-1111-2222", pricingInfo: [{ pricingExpression: { usageUnit: "s", tieredRates: [{ startUsageAmount: 0, unitPrice: { currencyCode: "USD", units: "0", nanos: 90000 } }] } }] });
            return answer;
        };
        await assert.rejects(
            refreshPrices({ awsRegions: [], gcpRegions: ["asia-northeast1"], googleApiKey: "test-key", fetchJson: twoSkus, today: "2027-01-15" }),
            /run\.vcpuSecond: 2 Cloud Run SKUs in asia-northeast1 match .*CF4E-A0C7-E3BF.*0000-1111-2222/,
        );
    });

    // cloudbilling v1 Sku.pricingInfo: "A timeline of pricing info for this SKU in chronological order." An earlier
    // price listed before the current one is not the price.
    it("a Google SKU with a timeline of prices: the last one, the current, is taken", async () => {
        const withEarlierPrice = withSkuEdited("CF4E-A0C7-E3BF", (sku) => {
            const earlier = JSON.parse(JSON.stringify(sku.pricingInfo[0]));
            earlier.effectiveTime = "2025-01-01T08:00:00Z";
            earlier.pricingExpression.tieredRates = [{ startUsageAmount: 0, unitPrice: { currencyCode: "USD", units: "0", nanos: 18000 } }];
            sku.pricingInfo.unshift(earlier);
        });
        const table = await refreshPrices({ awsRegions: [], gcpRegions: ["asia-northeast1"], googleApiKey: "test-key", fetchJson: withEarlierPrice, today: "2027-01-15" });
        assert.strictEqual(table.regions["gcp:asia-northeast1"]["run.vcpuSecond"].usd, 0.000024);
    });

    it("a Google SKU priced in another currency is refused, naming it, rather than taken for dollars", async () => {
        const inYen = withSkuEdited("CF4E-A0C7-E3BF", (sku) => {
            for (const info of sku.pricingInfo) for (const t of info.pricingExpression.tieredRates) t.unitPrice.currencyCode = "JPY";
        });
        await assert.rejects(
            refreshPrices({ awsRegions: [], gcpRegions: ["asia-northeast1"], googleApiKey: "test-key", fetchJson: inYen, today: "2027-01-15" }),
            /run\.vcpuSecond: SKU CF4E-A0C7-E3BF is not priced in USD/,
        );
    });

    // npm run prices gives the table it replaces (review/prices/main.ts): what is written is what was read today, not
    // the hand-transcribed rows of the table before, nor a region that was not read.
    it("given the previous table: every figure is today's from the APIs, none left transcribed, no region kept that was not read", async () => {
        const previous = loadPriceTable();
        previous.regions["aws:us-east-1"] = previous.regions["aws:ap-northeast-1"];
        const table = await refreshPrices({ awsRegions: ["ap-northeast-1"], gcpRegions: ["asia-northeast1"], googleApiKey: "test-key", fetchJson: fakeApis().fetchJson, today: "2027-01-15", previous });
        assert.deepStrictEqual(Object.keys(table.regions), ["aws:ap-northeast-1", "gcp:asia-northeast1"]);
        for (const figure of Object.values(table.regions).flatMap((r) => Object.values(r))) {
            assert.strictEqual(figure.asOf, "2027-01-15");
            assert.strictEqual(figure.transcribed, undefined);
        }
    });

    it("GCP without an API key says how to give one, before downloading anything", async () => {
        const { asked, fetchJson } = fakeApis();
        await assert.rejects(refreshPrices({ awsRegions: ["ap-northeast-1"], gcpRegions: ["asia-northeast1"], fetchJson, today: "2027-01-15" }), /GOOGLE_API_KEY=<key> npm run prices/);
        assert.deepStrictEqual(asked, []);
    });

    it("a price API it cannot reach is named with the reason", async () => {
        // A loopback port nothing listens on any more: the connection is refused (no network needed, none used).
        const server = net.createServer();
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        const port = (server.address() as net.AddressInfo).port;
        await new Promise((resolve) => server.close(resolve));
        const url = `https://127.0.0.1:${port}/offers/v1.0/aws/AWSLambda/current/ap-northeast-1/index.json?key=secret`;
        await assert.rejects(fetchJsonOverHttps(url), (err: Error) => {
            assert.strictEqual(err.message, `cannot reach ${url.replace("secret", "***")} (ECONNREFUSED): npm run prices needs the internet; review/prices.json is unchanged`);
            return true;
        });
    });

    // The key is in every catalog URL (`?key=`): an answer without the list names the URL with the key masked, as
    // fetchJsonOverHttps' errors do, since npm run prices' errors land in a terminal or a workflow log.
    it("a catalog answer without its list is named by its URL, the API key masked", async () => {
        // Not an answer the Cloud Billing Catalog API documents (services.list always has `services`, "Method:
        // services.list"); null stands for a body that lost it on the way (a proxy's or cache's empty JSON), the one
        // case pages() does not read as an empty page.
        const fetchJson: FetchJson = async () => null;
        await assert.rejects(refreshPrices({ awsRegions: [], gcpRegions: ["asia-northeast1"], googleApiKey: "AIza-secret-key", fetchJson, today: "2027-01-15" }), {
            message: 'https://cloudbilling.googleapis.com/v1/services?key=***: no "services" list in the answer',
        });
    });

    it("Google's answer when the Cloud Billing API is off in the key's project is shown whole: what to enable, and where", async () => {
        const server = await startSilentServer((_, res) => {
            // Google's API error model for a disabled API (scripts/offline/googleApiAnswers.ts), as the catalog answers it.
            void serviceDisabled("Cloud Billing", "cloudbilling.googleapis.com").text().then((body) => res.writeHead(403, { "content-type": "application/json" }).end(body));
        });
        const url = `${server.url}/v1/services?key=secret`;
        try {
            await assert.rejects(fetchJsonOverHttps(url), (err: Error) => {
                assert.match(err.message, /key=\*\*\* answered 403 Forbidden: Cloud Billing API has not been used in project \d+ before or it is disabled\. Enable it by visiting https:\/\/console\.developers\.google\.com\/apis\/api\/cloudbilling\.googleapis\.com\/overview\?project=\d+ then retry\. If you enabled this API recently/);
                assert.ok(!err.message.includes("secret"));
                return true;
            });
        } finally {
            await server.stop();
        }
    });

    it("a 200 whose body is not JSON (a proxy's page) names the URL, the key masked, and what answered", async () => {
        // A stand-in for a proxy's or captive portal's page: no product's words, only its shape (HTML, not JSON) matters.
        const server = await startSilentServer((_, res) => res.writeHead(200, { "content-type": "text/html" }).end("<html><body>Sign in to continue</body></html>"));
        const url = `${server.url}/v1/services?key=secret`;
        try {
            await assert.rejects(fetchJsonOverHttps(url), (err: Error) => {
                assert.match(err.message, /^http:\/\/127\.0\.0\.1:\d+\/v1\/services\?key=\*\*\* answered 200 with a body that is not JSON \(.*Sign in to continue.*\), not the price list: .*review\/prices\.json is unchanged$/);
                assert.ok(!err.message.includes("secret"));
                return true;
            });
        } finally {
            await server.stop();
        }
    });

    it("a 200 cut short (the connection closed before its Content-Length) names the URL, the key masked, and says to run again", async () => {
        const server = await startSilentServer((_, res) => {
            res.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
            res.write('{"products":', () => res.destroy());
        });
        const url = `${server.url}/offers/v1.0/aws/AWSLambda/current/ap-northeast-1/index.json?key=secret`;
        try {
            await assert.rejects(fetchJsonOverHttps(url), {
                message: `${url.replace("secret", "***")}: the answer did not arrive whole (terminated): run npm run prices again; review/prices.json is unchanged`,
            });
        } finally {
            await server.stop();
        }
    });

    it("the command: exits 1 with the reason and leaves review/prices.json as it was", function () {
        this.timeout(120_000);
        const before = fs.readFileSync(path.join(PROJECT_ROOT, "review", "prices.json"), "utf8");
        const env = { ...process.env };
        delete env.GOOGLE_API_KEY;
        const run = spawnSync(process.execPath, ["scripts/build/run.js", "review/prices/main.ts"], { cwd: PROJECT_ROOT, encoding: "utf8", env });
        assert.strictEqual(run.status, 1, run.stderr);
        assert.match(run.stderr, /^prices: the GCP figures need an API key with the Cloud Billing API enabled: GOOGLE_API_KEY=<key> npm run prices$/m);
        assert.strictEqual(fs.readFileSync(path.join(PROJECT_ROOT, "review", "prices.json"), "utf8"), before);
        assert.doesNotThrow(() => loadPriceTable());
        const usage = spawnSync(process.execPath, ["scripts/build/run.js", "review/prices/main.ts", "--region", "x"], { cwd: PROJECT_ROOT, encoding: "utf8" });
        assert.strictEqual(usage.status, 2);
        assert.match(usage.stderr, /unknown option --region\nusage: npm run prices -- \[--aws-region <region>\]/);
    });
});

// Before: the value after --aws-region was taken whatever it was, so `--aws-region --dry-run` asked AWS for a region
// named "--dry-run" and dropped the dry run (a write would have followed on a machine that could reach the APIs);
// a flag without any value was called unknown.
describe("npm run prices' arguments", () => {
    it("a region flag followed by another flag, or by nothing, needs a region; the rest parse as given", () => {
        assert.throws(() => parsePricesArgs(["--aws-region", "--dry-run"]), { message: "--aws-region needs a region (e.g. us-east-1)" });
        assert.throws(() => parsePricesArgs(["--gcp-region"]), { message: "--gcp-region needs a region (e.g. us-central1)" });
        assert.throws(() => parsePricesArgs(["--write"]), { message: "unknown option --write" });
        assert.throws(() => parsePricesArgs(["us-east-1"]), { message: "unknown argument us-east-1" });
        // An empty argument (`npm run prices -- "$REGION"` with REGION unset) is shown, not an "unknown argument " ending in nothing.
        assert.throws(() => parsePricesArgs([""]), { message: 'unknown argument ""' });
        assert.deepStrictEqual(parsePricesArgs(["--aws-region", "us-east-1", "--dry-run", "--gcp-region", "europe-west1", "--aws-region", "eu-west-1"]), {
            named: { aws: ["us-east-1", "eu-west-1"], gcp: ["europe-west1"] },
            dryRun: true,
        });
    });
});

describe("npm run prices' regions", () => {
    it("each cloud's: the stack files', the table's (keys `<cloud>:<region>`) and the named ones, once each, sorted", () => {
        const tableKeys = ["aws:ap-northeast-1", "aws:eu-west-1", "gcp:asia-northeast1", "gcp:europe-west1"];
        // asia-east1, named last, sorts first.
        const named = { aws: ["us-east-1", "ap-northeast-1"], gcp: ["asia-east1"] };
        assert.deepStrictEqual(regionsToRefresh({ aws: ["ap-northeast-1", "ap-northeast-1"], gcp: ["asia-northeast1"] }, tableKeys, named), {
            aws: ["ap-northeast-1", "eu-west-1", "us-east-1"],
            gcp: ["asia-east1", "asia-northeast1", "europe-west1"],
        });
    });

    it("the committed stack files' regions, each cloud's default where a file names none", () => {
        const regions = stackRegions();
        assert.deepStrictEqual([...new Set(regions.aws)], ["ap-northeast-1"]);
        assert.deepStrictEqual([...new Set(regions.gcp)], ["asia-northeast1"]);
        assert.strictEqual(regions.aws.length, fs.readdirSync(PROJECT_ROOT).filter((f) => /^Pulumi\..+\.yaml$/.test(f)).length);
    });
});
