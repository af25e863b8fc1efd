// Sends this process's fetch calls to Google's REST APIs (https://*.googleapis.com) to the offline stand-in at
// $OFFLINE_GOOGLE_APIS (scripts/offline/cloudApiServer.ts), as `<base>/google/<host><path>`; every other request
// goes out as it would. Loaded with `node --require` in the processes the offline runs start (Pulumi's runner, the
// package's plugin), and called in-process by the mocks. Plain JavaScript: it runs before any TypeScript loader.
"use strict";

function install(base) {
    if (!base || globalThis.fetch.__offlineGoogleApis === base) return;
    const realFetch = globalThis.fetch.__realFetch ?? globalThis.fetch;
    const redirected = (input, init) => {
        const url = new URL(input instanceof Request ? input.url : String(input));
        if (url.protocol !== "https:" || !/(^|\.)googleapis\.com$/.test(url.hostname)) return realFetch(input, init);
        const headers = input instanceof Request ? input.headers : init?.headers;
        return realFetch(`${base}/google/${url.hostname}${url.pathname}${url.search}`, { ...init, headers });
    };
    redirected.__offlineGoogleApis = base;
    redirected.__realFetch = realFetch;
    globalThis.fetch = redirected;
}

install(process.env.OFFLINE_GOOGLE_APIS);
module.exports = { install };
