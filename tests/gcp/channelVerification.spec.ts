import * as assert from "assert";
import { execFile, spawnSync } from "child_process";
import { once } from "events";
import * as http from "http";
import { AddressInfo } from "net";
import { promisify } from "util";
import { verifyChannelCommands } from "../../components/gcp/channelVerification";

const CHANNEL = "projects/multicloud-service-prod/notificationChannels/8260518937561928713";

/**
 * Google's front end as the printed calls meet it: a POST without a Content-Length is refused with 411 and Google's
 * page ("411. That's an error. POST requests require a Content-length header.", as googleapis/google-api-dotnet-client#84
 * and googleapis/storage-testbench#729 quote it); sendVerificationCode answers an empty object, verify the channel.
 */
async function googleFront() {
    const requests: { method?: string; url?: string; authorization?: string; body: string }[] = [];
    const server = http.createServer((req, res) => {
        let body = "";
        req.on("data", (chunk) => (body += chunk));
        req.on("end", () => {
            requests.push({ method: req.method, url: req.url, authorization: req.headers.authorization, body });
            if (req.method === "POST" && req.headers["content-length"] === undefined) {
                res.writeHead(411, { "content-type": "text/html; charset=UTF-8" }).end("<p><b>411.</b> <ins>That's an error.</ins><p>POST requests require a <code>Content-length</code> header.  <ins>That's all we know.</ins>");
                return;
            }
            res.writeHead(200, { "content-type": "application/json; charset=UTF-8" }).end(req.url?.endsWith(":verify") ? JSON.stringify({ name: CHANNEL, verificationStatus: "VERIFIED" }) : "{}");
        });
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    return { requests, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe("the calls that verify a notification channel, as printed, with the real curl", () => {
    it("both go through Google's front: sendVerificationCode with an empty body and a Content-Length, then verify with the code", async function () {
        if (spawnSync("curl", ["--version"]).status !== 0) {
            console.log("      skipped: no curl on this machine");
            return this.skip();
        }
        const front = await googleFront();
        try {
            const [send, verify] = verifyChannelCommands(CHANNEL)
                .split(", then with the code in the e-mail Google sends: ")
                .map((command) => command.replace("https://monitoring.googleapis.com", front.url).replace("$(gcloud auth print-access-token)", "ya29.person").replace("<code>", "G-123456"));
            // -f: a refusal (411) fails the command, as a person would see it fail.
            for (const command of [send, verify]) await promisify(execFile)("bash", ["-c", command.replace(/^curl /, "curl -sSf ")], { timeout: 10_000 });
        } finally {
            await front.close();
        }
        assert.deepStrictEqual(front.requests, [
            { method: "POST", url: `/v3/${CHANNEL}:sendVerificationCode`, authorization: "Bearer ya29.person", body: "" },
            { method: "POST", url: `/v3/${CHANNEL}:verify`, authorization: "Bearer ya29.person", body: '{"code":"G-123456"}' },
        ]);
    });
});
