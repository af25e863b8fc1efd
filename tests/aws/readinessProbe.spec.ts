import * as assert from "assert";
import * as http from "http";
import { AddressInfo } from "net";
import { S3Store } from "../../app/src/storage/s3Store";
import { decideForRole as decide } from "../harness/iamSimulator";
import { deployPipeline } from "./fixtures";

type WireRequest = { method: string; path: string; query: URLSearchParams };

const emptyListing = (bucket: string, prefix: string) =>
    `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>${bucket}</Name><Prefix>${prefix}</Prefix><KeyCount>0</KeyCount><MaxKeys>1</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>`;

/**
 * The S3 requests the service's store really sends for `act`, captured on the wire from the SDK (path-style, on
 * loopback) by a fake S3 that answers each with `answer`.
 */
async function onTheWire(bucket: string, prefix: string, answer: (url: URL) => { status: number; body: string }, act: (store: S3Store) => Promise<void>): Promise<WireRequest[]> {
    const seen: WireRequest[] = [];
    const server = http.createServer((req, res) => {
        const url = new URL(req.url!, "http://127.0.0.1");
        seen.push({ method: req.method!, path: url.pathname, query: url.searchParams });
        const { status, body } = answer(url);
        res.writeHead(status, { "content-type": "application/xml" }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
        const { port } = server.address() as AddressInfo;
        const credentials = { accessKeyId: "AKIDPROBE", secretAccessKey: "probe" };
        await act(new S3Store(bucket, prefix, { endpoint: `http://127.0.0.1:${port}`, forcePathStyle: true, region: "ap-northeast-1", credentials }));
    } finally {
        await new Promise((resolve) => server.close(resolve));
    }
    return seen;
}

/** The request the readiness probe sends. */
async function probeRequestOnTheWire(bucket: string, prefix: string): Promise<WireRequest> {
    const [seen] = await onTheWire(bucket, prefix, () => ({ status: 200, body: emptyListing(bucket, prefix) }), (store) => store.ping());
    assert.ok(seen, "the probe sent no request");
    return seen;
}

/**
 * The listing the store sends to tell a missing key from a denied one: the fake S3 answers the GET with 403 and the
 * listing with no keys. S3 answers a GetObject of a missing key with 403 AccessDenied when the caller lacks
 * s3:ListBucket (Amazon S3 API Reference, GetObject: "If you don't have the s3:ListBucket permission, Amazon S3
 * returns an HTTP status code 403 Access Denied error"), with its error body (S3 API Reference, "Error responses").
 */
async function missingKeyListingOnTheWire(bucket: string, prefix: string, key: string): Promise<WireRequest[]> {
    const answer = (url: URL) =>
        url.searchParams.has("list-type")
            ? { status: 200, body: emptyListing(bucket, key) }
            : { status: 403, body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>4442587FB7D0A2F9</RequestId><HostId>${"h".repeat(76)}=</HostId></Error>` };
    const seen = await onTheWire(bucket, prefix, answer, async (store) => {
        assert.strictEqual(await store.get(key), undefined, "a 403 with the key not listed is a missing key");
    });
    return seen.filter((r) => r.query.has("list-type"));
}

describe("AWS /ready: the storage probe is a request the API's role may make (IAM simulator, request taken off the wire)", function () {
    this.timeout(30_000);

    for (const stack of ["dev", "prod"] as const) {
        it(stack, async () => {
            const { cloud, fn, rolePolicy } = await deployPipeline(stack);
            const env = fn("api").inputs.environment.variables;
            const bucketArn = cloud.one("aws:s3/bucket:Bucket").outputs.arn;
            const wire = await probeRequestOnTheWire(env.BUCKET_NAME, env.OBJECT_PREFIX);
            // GET /<bucket>?list-type=2&prefix=...: ListObjectsV2, authorized as s3:ListBucket with s3:prefix.
            assert.strictEqual(wire.method, "GET");
            assert.strictEqual(wire.path.replace(/\/$/, ""), `/${env.BUCKET_NAME}`);
            assert.strictEqual(wire.query.get("list-type"), "2");
            const context = { "s3:prefix": wire.query.get("prefix") ?? "", "s3:max-keys": wire.query.get("max-keys") ?? "" };
            assert.strictEqual(await decide(rolePolicy("api"), "s3:ListBucket", bucketArn, context), "Allowed");
        });
    }

    for (const stack of ["dev", "prod"] as const) {
        it(`${stack}: the listing that tells a missing key from a denied one is allowed for the API and the worker roles`, async () => {
            const { cloud, fn, rolePolicy } = await deployPipeline(stack);
            const env = fn("api").inputs.environment.variables;
            const bucketArn = cloud.one("aws:s3/bucket:Bucket").outputs.arn;
            const key = `${env.OBJECT_PREFIX}reports/missing.csv`;
            const listings = await missingKeyListingOnTheWire(env.BUCKET_NAME, env.OBJECT_PREFIX, key);
            assert.strictEqual(listings.length, 1);
            const [wire] = listings;
            assert.strictEqual(wire.method, "GET");
            assert.strictEqual(wire.path.replace(/\/$/, ""), `/${env.BUCKET_NAME}`);
            assert.strictEqual(wire.query.get("prefix"), key);
            const context = { "s3:prefix": wire.query.get("prefix") ?? "", "s3:max-keys": wire.query.get("max-keys") ?? "" };
            for (const role of ["api", "worker"] as const) {
                assert.strictEqual(await decide(rolePolicy(role), "s3:ListBucket", bucketArn, context), "Allowed", role);
            }
        });
    }

    it("the simulator can fail: HeadBucket (s3:ListBucket with no prefix), the old probe, is denied", async () => {
        const { cloud, rolePolicy } = await deployPipeline("dev");
        assert.strictEqual(await decide(rolePolicy("api"), "s3:ListBucket", cloud.one("aws:s3/bucket:Bucket").outputs.arn, {}), "ImplicitlyDenied");
    });
});
