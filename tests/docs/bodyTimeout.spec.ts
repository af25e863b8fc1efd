import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/stackFile";
import { CLOUD_RUN_MAX_REQUEST_TIMEOUT_SECONDS } from "../../config/cloudLimits";
import { bodyLimits } from "../../components/gcp/cloudRunService";

/**
 * docs/api.md's answer to a body that stops arriving on Cloud Run. Where bodyLimits makes BODY_TIMEOUT_MS as long as
 * Cloud Run's request timeout, Cloud Run's clock, started first at its front end, runs out first and its answer is the
 * one the client gets: "If your service doesn't respond within this limit, Cloud Run closes the network connection and
 * returns an HTTP 504 error" (Cloud Run docs, "Configure request timeout for services").
 */
describe("docs/api.md says who answers a body that stops arriving on Cloud Run", () => {
    const guide = fs.readFileSync(path.join(PROJECT_ROOT, "docs", "api.md"), "utf8");
    const bullet = (guide.split("\n- ").find((item) => item.includes("`BODY_TIMEOUT_MS`")) ?? "").replace(/\s+/g, " ");
    const sameClock = (seconds: number) => Number(bodyLimits("512Mi", seconds).BODY_TIMEOUT_MS) === seconds * 1000;

    it("Cloud Run's 504 up to the longest request timeout the body's clock equals, the service's 408 above it", () => {
        const longestEqual = Array.from({ length: CLOUD_RUN_MAX_REQUEST_TIMEOUT_SECONDS }, (_, i) => i + 1).filter(sameClock).pop();
        assert.match(bullet, new RegExp(`with \`gcp\\.requestTimeoutSeconds\` over ${longestEqual}, the service's, a \`408\``));
        assert.match(bullet, new RegExp(`at ${longestEqual} or less the two are the same length and Cloud Run's, [^.]*, runs out first: Cloud Run closes the connection and answers \`504\``));
    });
});
