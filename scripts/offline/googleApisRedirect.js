// Sends this process's fetch calls to Google's REST APIs (https://*.googleapis.com) to the offline stand-in at
// $OFFLINE_GOOGLE_APIS (scripts/offline/cloudApiServer.ts), as `<base>/google/<host><path>`; every other request
// goes out as it would. The registries' OCI distribution API (`https://<account>.dkr.ecr.<region>.amazonaws.com/v2/...`,
// `https://<region>-docker.pkg.dev/v2/...`, gcr.io's, Docker Hub's) goes to `<base>/registry/<host><path>` the same way,
// so that no offline run reads a real registry. Loaded with `node --require` in the processes the offline runs start (Pulumi's runner, the
// package's plugin), and called in-process by the mocks. Plain JavaScript: it runs before any TypeScript loader.
"use strict";

/** ECR, Artifact Registry, Container Registry's hosts (served by Artifact Registry) and Docker Hub with its token service. */
const REGISTRY_HOSTS = /\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com$|-docker\.pkg\.dev$|^(?:[a-z]+\.)?gcr\.io$|^(?:registry-1|auth)\.docker\.io$/;

/**
 * Puts the redirect to `base` in as this process's fetch. Returns what takes it out again: the fetch it replaced is put
 * back only while this redirect is still the process's fetch (what replaced it since is left as it is). When a redirect
 * to `base` is already in, it is left to whoever put it in, and nothing is taken out.
 */
function install(base) {
    const replaced = globalThis.fetch;
    if (!base || replaced.__offlineGoogleApis === base) return () => {};
    const realFetch = replaced.__realFetch ?? replaced;
    const redirected = (input, init) => {
        const url = new URL(input instanceof Request ? input.url : String(input));
        const registry = REGISTRY_HOSTS.test(url.hostname);
        if (url.protocol !== "https:" || !(registry || /(^|\.)googleapis\.com$/.test(url.hostname))) return realFetch(input, init);
        const headers = input instanceof Request ? input.headers : init?.headers;
        return realFetch(`${base}/${registry ? "registry" : "google"}/${url.hostname}${url.pathname}${url.search}`, { ...init, headers });
    };
    redirected.__offlineGoogleApis = base;
    redirected.__realFetch = realFetch;
    globalThis.fetch = redirected;
    return () => {
        if (globalThis.fetch === redirected) globalThis.fetch = replaced;
    };
}

install(process.env.OFFLINE_GOOGLE_APIS);
module.exports = { install };
