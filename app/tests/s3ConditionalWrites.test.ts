import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { request } from "node:http";
import { S3Store } from "../src/storage/s3Store";
import { preconditionFailed } from "./faults/faultProxy";
import { RecordingServer, recordingServer } from "./recordingServer";
import { apiRole, asRole } from "./rolePolicies";
import { LocalS3, s3rverClientConfig, startS3rver } from "./s3rver";

const BUCKET = "conditional-bucket";

// S3's conditional writes: "With concurrent conditional writes, the first to finish wins and later ones get 412";
// a 409 ConditionalRequestConflict comes "when a concurrent delete succeeds before the conditional write completes",
// and "If a conflicting operation occurs during the upload S3 returns a 409 ConditionalRequestConflict response. On a
// 409 failure you should retry the upload" (S3 User Guide, "Conditional writes"; @aws-sdk/client-s3 PutObjectCommand docs).
describe("a conditional write S3 answers 409 ConditionalRequestConflict", () => {
    let s3: LocalS3;
    let conflictOnce: RecordingServer;
    let conflicts: number;
    let putsSeen: number;
    before(async () => {
        s3 = await startS3rver([BUCKET]);
        const pass = asRole(apiRole("input/"), BUCKET, s3.endpoint);
        conflictOnce = await recordingServer((req, res, body) => {
            if (req.method === "PUT") putsSeen++;
            if (req.method === "PUT" && conflicts > 0) {
                conflicts--;
                // S3's words for it (Amazon S3 API Reference, "Error responses", ConditionalRequestConflict: 409 Conflict).
                return res
                    .writeHead(409, { "content-type": "application/xml" })
                    .end("<Error><Code>ConditionalRequestConflict</Code><Message>A conflicting operation occurred. If using PutObject you can retry the request. If using multipart upload you should initiate another CreateMultipartUpload request and re-upload each part.</Message></Error>");
            }
            pass(req, res, body);
        });
    });
    after(async () => {
        await conflictOnce.close();
        await s3.close();
    });

    it("is tried again, as S3 says, and the name is written when the conflict has passed (not given up for the next name)", async () => {
        conflicts = 1;
        putsSeen = 0;
        const store = new S3Store(BUCKET, "input/", s3rverClientConfig(conflictOnce.url));
        assert.equal(await store.putIfAbsent("input/contested.txt", new TextEncoder().encode("mine"), "text/plain"), true);
        assert.equal(new TextDecoder().decode((await store.get("input/contested.txt"))!.body), "mine");
    });

    it("a conflict that lasts leaves the name to the next candidate after three tries, instead of trying it without end", async () => {
        conflicts = 5;
        putsSeen = 0;
        const store = new S3Store(BUCKET, "input/", s3rverClientConfig(conflictOnce.url));
        assert.equal(await store.putIfAbsent("input/still-contested.txt", new TextEncoder().encode("mine"), "text/plain"), false);
        assert.equal(putsSeen, 3, "three tries in all (CONFLICT_ATTEMPTS)");
        assert.equal(await store.get("input/still-contested.txt"), undefined, "nothing written under the contested name");
    });
});

// Any other refusal of a conditional write is a failure to report, not a name taken: answered "false", the upload would
// go on to the next candidate name, and an AccessDenied on every one of them ends as "no free name" (a 500 that hides
// the cause) after a hundred writes.
describe("a conditional write S3 refuses with AccessDenied", () => {
    let s3: LocalS3;
    let denying: RecordingServer;
    before(async () => {
        s3 = await startS3rver([BUCKET]);
        const pass = asRole(apiRole("input/"), BUCKET, s3.endpoint);
        // S3's words (Amazon S3 API Reference, "Error responses": AccessDenied, 403 Forbidden), as missingKey403.test.ts sends them.
        denying = await recordingServer((req, res, body) =>
            req.method === "PUT" ? res.writeHead(403, { "content-type": "application/xml" }).end("<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>") : pass(req, res, body),
        );
    });
    after(async () => {
        await denying.close();
        await s3.close();
    });

    it("is thrown with its 403, not answered as a name already taken", async () => {
        const store = new S3Store(BUCKET, "input/", s3rverClientConfig(denying.url));
        await assert.rejects(store.putIfAbsent("input/denied.txt", new TextEncoder().encode("mine"), "text/plain"), (err: Error & { $metadata?: { httpStatusCode?: number } }) => err.name === "AccessDenied" && err.$metadata?.httpStatusCode === 403);
    });
});

// S3's refusal of a conditional write (412 PreconditionFailed) is sent as tests/faults/faultProxy.ts sends it:
// s3rver predates conditional writes, so this stand-in answers it.
describe("a conditional write whose first attempt's answer was lost (the SDK's retry is answered 412)", () => {
    let s3: LocalS3;
    let lossy: RecordingServer;
    /** What the first PUT does: stored, then the connection reset before its answer; or reset before anything was stored. */
    let firstPut: "stored" | "lost";
    let putsSeen: number;
    const written = new Set<string>();
    before(async () => {
        s3 = await startS3rver([BUCKET]);
        const pass = asRole(apiRole("input/"), BUCKET, s3.endpoint);
        lossy = await recordingServer((req, res, body) => {
            if (req.method !== "PUT") return pass(req, res, body);
            const key = new URL(req.url!, "http://s3.local").pathname;
            if (putsSeen++ === 0) {
                if (firstPut === "lost") return req.socket.destroy();
                const stored = request(`${s3.endpoint}${req.url}`, { method: "PUT", headers: req.headers }, (answer) => {
                    answer.resume();
                    answer.on("end", () => {
                        written.add(key);
                        req.socket.destroy();
                    });
                });
                return stored.end(body);
            }
            // Taken: by this write's own first attempt ("stored"), or by another write since deleted ("lost": a HEAD
            // then finds nothing, which S3 answers 403 to this role, see rolePolicies.ts).
            if (written.has(key) || firstPut === "lost") return preconditionFailed(res);
            pass(req, res, body);
        });
    });
    after(async () => {
        await lossy.close();
        await s3.close();
    });

    /** A store through the lossy stand-in, whose first PUT from now on does what `first` says. */
    const storeWhoseFirstPut = (first: typeof firstPut) => {
        firstPut = first;
        putsSeen = 0;
        return new S3Store(BUCKET, "input/", s3rverClientConfig(lossy.url));
    };

    it("keeps its name when the key holds its own first attempt: acknowledged, not left for the next name (a second copy)", async () => {
        const store = storeWhoseFirstPut("stored");
        assert.equal(await store.putIfAbsent("input/lost-answer.txt", new TextEncoder().encode("mine"), "text/plain"), true);
        assert.equal(putsSeen, 2, "the first attempt and the SDK's retry");
        assert.equal(new TextDecoder().decode((await store.get("input/lost-answer.txt"))!.body), "mine");
    });

    it("gives the name up, without failing, when the key is gone by the time it is checked (S3's 403 for a missing key)", async () => {
        const store = storeWhoseFirstPut("lost");
        assert.equal(await store.putIfAbsent("input/gone-again.txt", new TextEncoder().encode("mine"), "text/plain"), false);
        assert.equal(putsSeen, 2, "the first attempt and the SDK's retry");
    });
});
