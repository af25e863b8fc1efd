/**
 * How the Node.js runtime names an error that escapes a handler (aws-lambda-nodejs-runtime-interface-client
 * src/Errors.js): toRapidResponse answers an Error's name and message and anything else's typeof and toString(); an
 * unhandled rejection is wrapped as Runtime.UnhandledPromiseRejection, whose message is Error's conversion of its
 * reason (super(reason)): empty for an undefined reason. A handler whose promise rejects with undefined or null fails
 * as the string "handled" (src/CallbackContext.js, fail: done('handled'); tests/e2e/lambdaHost.ts answers the same):
 * handlerError. Code for the stand-ins' runtime scripts (lambdaRuntime.ts, invokeBundle.ts).
 */
export const RAPID_ERRORS = `
const rapidError = (e) => (e instanceof Error ? { name: e.name, message: e.message } : { name: typeof e, message: String(e) });
const rejectionError = (reason) => ({ name: "Runtime.UnhandledPromiseRejection", message: reason === undefined ? "" : String(reason) });
const handlerError = (e) => (e === undefined || e === null ? { name: "string", message: "handled" } : rapidError(e));
`;
