import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { S3Store } from "../src/storage/s3Store";
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
    before(async () => {
        s3 = await startS3rver([BUCKET]);
        const pass = asRole(apiRole("input/"), BUCKET, s3.endpoint);
        conflictOnce = await recordingServer((req, res, body) => {
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
        const store = new S3Store(BUCKET, "input/", s3rverClientConfig(conflictOnce.url));
        assert.equal(await store.putIfAbsent("input/contested.txt", new TextEncoder().encode("mine"), "text/plain"), true);
        assert.equal(new TextDecoder().decode((await store.get("input/contested.txt"))!.body), "mine");
    });
});
