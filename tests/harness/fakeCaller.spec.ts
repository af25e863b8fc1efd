import * as assert from "assert";
import { FAKE_CALLER } from "../../scripts/offline/fakeIds";

describe("the offline AWS caller", () => {
    it("has a user ID of IAM's form: AIDA, then word characters, at least 16 in all (botocore iam 2010-05-08 service-2.json, idType)", () => {
        assert.match(FAKE_CALLER.userId, /^AIDA\w{12,124}$/);
    });
});
