// @ts-check
/**
 * The variables that name a proxy or its exceptions, each in either spelling (this one and its lowercase): Go's and
 * Node's, and gRPC's own (@grpc/grpc-js reads grpc_proxy and no_grpc_proxy first). `npm test` runs every check without
 * them (all.js), and the proxy spec unsets them before it sets its own.
 * Plain JavaScript: scripts/test/all.js requires it before anything compiles TypeScript.
 */
"use strict";

const PROXY_VARIABLES = ["HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY", "GRPC_PROXY", "NO_GRPC_PROXY"];

module.exports = { PROXY_VARIABLES };
