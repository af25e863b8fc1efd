/** The Lambda HTTP API behind a Function URL (payload 2.0): image command `api.handler`. */
import { handle } from "hono/aws-lambda";
import { bootstrap } from "./bootstrap";
import { drainOnSigterm } from "./lambdaShutdown";

const boot = bootstrap("lambda-api");
export const handler = drainOnSigterm(handle(boot.app), boot.lifecycle, boot.settings.DRAIN_TIMEOUT_MS);
