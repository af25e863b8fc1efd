import type { EnvironmentChanges } from "../../scripts/offline/environment";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PROXY_VARIABLES } = require("../../scripts/test/proxyVariables.js") as typeof import("../../scripts/test/proxyVariables");

/** Every variable that names a proxy or its exceptions, Go's, Node's and gRPC's, unset: each spec sets its own. */
export const NO_PROXY_VARIABLES: EnvironmentChanges = Object.fromEntries(PROXY_VARIABLES.flatMap((name) => [name, name.toLowerCase()]).map((name) => [name, undefined]));
