/** The Lambda HTTP API behind a Function URL (payload 2.0): image command `api.handler`. */
import { bootstrap } from "./bootstrap";
import { functionUrlHandler } from "./functionUrlHandler";
import { drainOnSigterm } from "./lambdaShutdown";
import { inInvocation, logNodeWarnings } from "./log";

// Only where it serves (Lambda sets AWS_LAMBDA_FUNCTION_NAME): a test that imports this module keeps its runner's own.
if (process.env.AWS_LAMBDA_FUNCTION_NAME) logNodeWarnings();
const boot = bootstrap("lambda-api");
export const handler = drainOnSigterm(inInvocation(functionUrlHandler(boot.app)), boot.lifecycle, boot.settings.DRAIN_TIMEOUT_MS);
