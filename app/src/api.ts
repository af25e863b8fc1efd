/** The Lambda HTTP API behind a Function URL (payload 2.0): image command `api.handler`. */
import { handle } from "hono/aws-lambda";
import { bootstrap } from "./bootstrap";

export const handler = handle(bootstrap("lambda-api").app);
