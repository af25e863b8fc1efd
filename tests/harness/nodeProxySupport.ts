import * as http from "http";

/**
 * Skips the suite, saying why, on a Node without http.setGlobalProxyFromEnv (before 24.14 and 25.4):
 * loader/proxyFromEnvironment.js leaves fetch to NODE_USE_ENV_PROXY at start there, so nothing goes through the proxy.
 */
export function skipWithoutGlobalProxy(suite: Mocha.Context): void {
    if (typeof (http as { setGlobalProxyFromEnv?: unknown }).setGlobalProxyFromEnv === "function") return;
    console.log(`      skipped: Node ${process.versions.node} has no http.setGlobalProxyFromEnv (24.14 and 25.4 on)`);
    suite.skip();
}
