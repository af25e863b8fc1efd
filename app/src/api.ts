/** The Lambda HTTP API behind a Function URL (payload 2.0): image command `api.handler`. */
import { bootstrap } from "./bootstrap";
import { functionUrlHandler } from "./functionUrlHandler";
import { drainOnSigterm } from "./lambdaShutdown";
import { logNodeWarnings } from "./log";

logNodeWarnings();
const boot = bootstrap("lambda-api");
export const handler = drainOnSigterm(functionUrlHandler(boot.app), boot.lifecycle, boot.settings.DRAIN_TIMEOUT_MS);
