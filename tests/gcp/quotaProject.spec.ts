import * as assert from "assert";
import * as path from "path";
import { callerQuotaProject } from "../../components/gcp/quotaProject";
import { scratchDir } from "../harness/tempDirs";
import { writeUserAdcFile } from "../harness/userAdc";

/** A user's ADC file naming `quotaProject`, as `gcloud auth application-default set-quota-project` leaves it. */
const adcFile = (quotaProject?: string) => writeUserAdcFile(scratchDir("adc"), { quotaProject });

describe("the quota project the program's own Google reads name (x-goog-user-project)", () => {
    it("the provider's: GOOGLE_BILLING_PROJECT under USER_PROJECT_OVERRIDE, else the read's own project; without the override, none of its", () => {
        assert.deepStrictEqual(callerQuotaProject("p", { USER_PROJECT_OVERRIDE: "true", GOOGLE_BILLING_PROJECT: "billing" }), { project: "billing", from: "GOOGLE_BILLING_PROJECT" });
        assert.deepStrictEqual(callerQuotaProject("p", { USER_PROJECT_OVERRIDE: "true" }), { project: "p", from: "USER_PROJECT_OVERRIDE" });
        assert.strictEqual(callerQuotaProject("p", { GOOGLE_BILLING_PROJECT: "billing", GOOGLE_OAUTH_ACCESS_TOKEN: "t" }), undefined, "billing_project is ignored without user_project_override");
    });

    // The provider parses the variable with Go's strconv.ParseBool (its framework provider's configure reads it so), whose
    // true values are 1, t, T, TRUE, true and True.
    it("USER_PROJECT_OVERRIDE as the provider parses it: each of Go's true values", () => {
        for (const value of ["1", "t", "T", "TRUE", "true", "True"]) {
            assert.deepStrictEqual(callerQuotaProject("p", { USER_PROJECT_OVERRIDE: value, GOOGLE_OAUTH_ACCESS_TOKEN: "t" }), { project: "p", from: "USER_PROJECT_OVERRIDE" }, value);
        }
        assert.strictEqual(callerQuotaProject("p", { USER_PROJECT_OVERRIDE: "false", GOOGLE_OAUTH_ACCESS_TOKEN: "t" }), undefined);
    });

    it("GOOGLE_CLOUD_QUOTA_PROJECT before the ADC file's, as the client libraries take it", () => {
        assert.deepStrictEqual(callerQuotaProject("p", { GOOGLE_CLOUD_QUOTA_PROJECT: "env-quota", GOOGLE_APPLICATION_CREDENTIALS: adcFile("file-quota") }), { project: "env-quota", from: "GOOGLE_CLOUD_QUOTA_PROJECT" });
    });

    it("the ADC file's quota_project_id only where the provider signs in with ADC; a missing or quota-less file names none", () => {
        const file = adcFile("file-quota");
        assert.deepStrictEqual(callerQuotaProject("p", { GOOGLE_APPLICATION_CREDENTIALS: file }), { project: "file-quota", from: `the quota_project_id of ${file}` });
        for (const name of ["GOOGLE_CREDENTIALS", "GOOGLE_CLOUD_KEYFILE_JSON", "GCLOUD_KEYFILE_JSON", "GOOGLE_OAUTH_ACCESS_TOKEN"]) {
            assert.strictEqual(callerQuotaProject("p", { GOOGLE_APPLICATION_CREDENTIALS: file, [name]: "x" }), undefined, name);
        }
        assert.strictEqual(callerQuotaProject("p", { GOOGLE_APPLICATION_CREDENTIALS: adcFile() }), undefined);
        assert.strictEqual(callerQuotaProject("p", { GOOGLE_APPLICATION_CREDENTIALS: path.join(scratchDir("adc"), "no-such-key.json") }), undefined);
    });
});
