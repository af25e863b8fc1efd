import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { functionUrlEvent } from "./events";
import { LambdaApi, resultJson, startLambdaApi } from "./lambdaApi";
import { RecordingServer, recordingServer } from "./recordingServer";
import { s3rverServiceEnv } from "./s3rver";
import { withTimingBounds } from "./timingBounds";

const BUCKET = "sockets-bucket";
/** Pulumi.prod.yaml's batchSize: a bulk check sends this many HEADs at once. */
const PROD_BATCH_SIZE = 500;
/** A HEAD's time at S3 here: slow, not failing (a tenth of the default 2 s attempt timeout plus a little). */
const HEAD_MS = 250;

// The SDK's NodeHttpHandler gives each client an agent of at most 50 sockets (@smithy/node-http-handler,
// dist-cjs/index.js: `const maxSockets = 50`), and both the attempt's connectionTimeout and its requestTimeout start when
// the request is made, not when it gets a socket (setConnectionTimeout, setRequestTimeout): a request waiting behind 50
// others uses up its attempt there. With prod's batch of 500 the last HEADs wait nine rounds: at 250 ms a HEAD, past the
// 2 s attempt timeout, and the bulk check failed with 503 against a bucket that answered every HEAD.
describe("a bulk check of a prod batch (500 names) against a slowish S3 (dist/api.js)", () => {
    let s3: RecordingServer;
    let lambda: LambdaApi;
    let open = 0;
    let most = 0;
    before(async () => {
        s3 = await recordingServer((req, res) => {
            if (req.method !== "HEAD") return res.writeHead(404).end();
            open++;
            most = Math.max(most, open);
            // S3 answers a HEAD of a missing key 404, without a body, to a caller that may list the bucket (Amazon S3
            // API Reference, HeadObject: "If you have the s3:ListBucket permission on the bucket, Amazon S3 returns an
            // HTTP status code 404 Not Found error"; "A HEAD request has the same options as a GET operation on an
            // object. The response is identical to the GET response except that there is no response body").
            setTimeout(() => {
                open--;
                res.writeHead(404).end();
            }, HEAD_MS);
        });
        lambda = startLambdaApi({ ...s3rverServiceEnv(s3.url, BUCKET), BATCH_SIZE: String(PROD_BATCH_SIZE) });
    });
    after(async () => {
        await lambda?.stop();
        await s3?.close();
    });

    it("answers 200 with every name checked, more HEADs at once than the SDK's 50 sockets", withTimingBounds(async (bound) => {
        const names = Array.from({ length: PROD_BATCH_SIZE }, (_, i) => `n${i}.txt`);
        const result = await lambda.call(functionUrlEvent("POST", "/objects/exists", JSON.stringify({ names })));
        // The 503 this catches is HEADs' attempts timing out (2 s each) while they wait for a socket; an oversubscribed
        // machine's own lateness passes those timeouts too (one failed so at load 16 on 2 cores).
        bound(result.statusCode !== 503, `answered 503 ${JSON.stringify(resultJson(result))}`);
        if (result.statusCode !== 503) {
            assert.equal(result.statusCode, 200, JSON.stringify(resultJson(result)));
            assert.deepEqual(resultJson(result), { exists: Object.fromEntries(names.map((n) => [n, false])) });
        }
        // More at once than the SDK's own 50 sockets (@smithy/node-http-handler: `maxSockets = 50`), which held the rest
        // back. Not "all 500": on a loaded machine the first HEADs are answered (250 ms) before the last are sent, so
        // the count in flight depends on the machine (473 in one run of npm test beside other work); the agents' own
        // maxSockets of 500 is the next describe's.
        assert.ok(most > 50, `HEADs in flight at once: ${most}`);
    }));
});

// Real S3 answers over HTTPS: the SDK's NodeHttpHandler uses the config's httpsAgent there and its httpAgent only for an
// http:// endpoint such as the fake above (@smithy/node-http-handler dist-cjs/index.js, NodeHttpHandler: `isSSL ? config.httpsAgent :
// config.httpAgent`), so the batch's sockets must be on both.
describe("the S3 client's sockets for a batch, over HTTPS as against real S3", () => {
    it("both agents hold a whole batch's sockets", () => {
        const { s3ClientConfig } = require("../src/storage/s3Store") as typeof import("../src/storage/s3Store");
        const handler = s3ClientConfig({ attemptTimeoutMs: 2000, maxAttempts: 3, deadlineMs: 6000 }, PROD_BATCH_SIZE).requestHandler as Record<string, { maxSockets?: number }>;
        assert.equal(handler.httpsAgent?.maxSockets, PROD_BATCH_SIZE, "httpsAgent");
        assert.equal(handler.httpAgent?.maxSockets, PROD_BATCH_SIZE, "httpAgent");
    });
});
