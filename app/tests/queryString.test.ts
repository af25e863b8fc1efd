import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bootstrap } from "../src/bootstrap";
import { MemoryStore } from "../src/storage";

// A request's path ends where its query begins: RFC 3986, "Query" ("The query component is indicated by the first
// question mark ("?") character"), and Hono's own getPath (hono/src/utils/url.ts) stops there too. The app routes by
// rawPath (src/requestNames.ts) instead, to see every byte of a name: it must stop at the "?" as well, or a
// cache-busting `?v=2` on a probe or a download becomes part of the route and of the object's name.

const appOn = (store: MemoryStore) => bootstrap("server", { LOG_LEVEL: "error" }, store).app;

describe("a query string is not part of the path", () => {
    it("/health?probe=1 and /ready?probe=1 are the health and readiness routes", async () => {
        const app = appOn(new MemoryStore());
        assert.equal((await app.request("/health?probe=1")).status, 200);
        assert.deepEqual(await (await app.request("/ready?probe=1")).json(), { ready: true });
    });

    it("PUT /objects/q.txt?x=1 stores q.txt, and GET /objects/q.txt?v=2 reads it", async () => {
        const app = appOn(new MemoryStore());
        const put = await app.request("/objects/q.txt?x=1", { method: "PUT", body: "query", headers: { "content-type": "text/plain" } });
        assert.equal(put.status, 201, await put.clone().text());
        assert.equal((await put.json()).name, "q.txt");
        const got = await app.request("/objects/q.txt?v=2");
        assert.equal(got.status, 200);
        assert.equal(await got.text(), "query");
    });
});
