import { randomUUID } from "crypto";
import { once } from "events";
import { IncomingMessage, ServerResponse, createServer } from "http";
import { AddressInfo } from "net";
import { answerAwsJsonError, answerUnknownOperation } from "../../scripts/offline/awsErrorAnswer";

export interface StartedExecution {
    stateMachineArn: string;
    input: unknown;
    executionArn: string;
    /** Seconds since the epoch, as StartExecution answers it. */
    startDate: number;
    /** The request's SigV4 Authorization header: which credentials, region and service signed it. */
    authorization: string;
}

export interface FakeStepFunctions {
    endpoint: string;
    started: StartedExecution[];
    /** Every other request that reached this endpoint: "METHOD /path target". */
    unexpected: string[];
    /** The next StartExecution is refused with this error instead (e.g. ExecutionLimitExceeded). */
    refuseNext(type: keyof typeof REFUSALS): void;
    close(): Promise<void>;
}

const JSON_1_0 = "application/x-amz-json-1.0";
const START_EXECUTION = "AWSStepFunctions.StartExecution";
/**
 * The namespace Step Functions writes before each of its own errors' names in `__type`: a real StartExecution's
 * ExecutionAlreadyExists as @aws-sdk/client-sfn logged it, `"__type":"com.amazonaws.swf.service.v2.model#ExecutionAlreadyExists"`
 * (CloudSnorkel/cdk-github-runners#472). The SDK keeps the part after '#' as the error's name.
 */
const SFN_ERROR = (type: string) => `com.amazonaws.swf.service.v2.model#${type}`;
// StartExecution's stateMachineArn: unqualified (…:stateMachine:name), a version (…:name:10) or an alias (…:name:PROD)
// (Step Functions API Reference, StartExecution, stateMachineArn; alias names: CreateStateMachineAlias, name).
const STATE_MACHINE_ARN = /^(arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_-]+)(?::(?:\d+|[A-Za-z0-9_.-]{1,80}))?$/;

/**
 * StartExecution's errors (API Reference, StartExecution, Errors), each a 400. ExecutionAlreadyExists in the service's
 * own words, naming the execution's ARN: "ExecutionAlreadyExists: Execution Already Exists: '<arn>'" as
 * @aws-sdk/client-sfn threw it from a real StartExecution (CloudSnorkel/cdk-github-runners#607, the ARN redacted
 * there). InvalidName in its own words too, the name in quotes: "Invalid Name: 'activity<name'" (localstack's
 * AWS-recorded tests/aws/services/stepfunctions/v2/test_sfn_api_activities.snapshot.json, CreateActivity's name, which
 * has StartExecution's rules). For ExecutionLimitExceeded no real answer's text was found: its message is the API
 * Reference's description of the error, which is not what the service says.
 */
const REFUSALS = {
    ExecutionLimitExceeded: (_executionArn: string, _name: string) => "The maximum number of running executions has been reached. Running executions must end or be stopped before a new execution can be started.",
    ExecutionAlreadyExists: (executionArn: string, _name: string) => `Execution Already Exists: '${executionArn}'`,
    InvalidName: (_executionArn: string, name: string) => `Invalid Name: '${name}'`,
} as const;

/**
 * An execution name's characters: none of white space, < > { } [ ], ? *, " # % \ ^ | ~ ` $ & , ; : /, a control
 * character (U+0000-001F, U+007F-009F, U+FFFE-FFFF) or a surrogate (U+D800-DFFF) (StartExecution, name; botocore
 * data/stepfunctions/2016-11-23/service-2.json, StartExecutionInput.name). Read by code point (`u`), so a lone
 * surrogate is one.
 */
const EXECUTION_NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f\ufffe\uffff\ud800-\udfff]*$/u;

/**
 * A name outside the model's length (shape Name: min 1, max 80) never reaches the service's name rules: the request's
 * validation refuses it, 400 ValidationException, as AWS answered a StartExecution with a longer name: "1 validation
 * error detected: Value 'xxx' at 'name' failed to satisfy constraint: Member must have length less than or equal to
 * 80" (wolfeidau/buildkite-serverless-agent#37). The empty name's words are the same validation's for the minimum
 * (not seen from Step Functions itself). `__type` without a namespace: no real Step Functions answer showing this
 * one's was found.
 */
function nameLengthProblem(name: string): string | undefined {
    const length = [...name].length;
    if (length >= 1 && length <= 80) return undefined;
    const rule = length < 1 ? "greater than or equal to 1" : "less than or equal to 80";
    return `1 validation error detected: Value '${name}' at 'name' failed to satisfy constraint: Member must have length ${rule}`;
}

/** x-amzn-RequestId: the header an AWS JSON service names its request by (@smithy/core protocols, deserializeMetadata reads x-amzn-requestid). */
const requestId = () => ({ "x-amzn-requestid": randomUUID() });

function answer(res: ServerResponse, body: object): void {
    res.writeHead(200, { "content-type": JSON_1_0, ...requestId() }).end(JSON.stringify(body));
}

/** Step Functions' refusal of a request: 400, in AWS JSON 1.0. */
function refuse(res: ServerResponse, type: string, message: string): void {
    answerAwsJsonError(res, 400, type, message, { version: "1.0", headers: requestId() });
}

/**
 * Step Functions' StartExecution on loopback, in the AWS JSON 1.0 protocol the SDK speaks: it records each
 * execution's input and answers as the service does. Anything else is refused and recorded, so an endpoint
 * variable that points every other AWS service here keeps the test from reaching AWS.
 */
export async function startFakeStepFunctions(): Promise<FakeStepFunctions> {
    const started: StartedExecution[] = [];
    const unexpected: string[] = [];
    const refusals: (keyof typeof REFUSALS)[] = [];
    /** Every execution started, by ARN, with its input as sent: none of them ever ends here, so a name is never free again. */
    const byArn = new Map<string, StartedExecution & { rawInput: string }>();
    const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const target = String(req.headers["x-amz-target"] ?? "");
        if (req.method !== "POST" || target !== START_EXECUTION || req.headers["content-type"] !== JSON_1_0) {
            unexpected.push(`${req.method} ${req.url} ${target}`.trim());
            // AWS's bare 400 UnknownOperationException (also seen from AWS in aws/aws-sdk-js#425); `unexpected` above
            // names the request for the test.
            return answerUnknownOperation(res, { version: "1.0", headers: requestId() });
        }
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
        const arn = typeof body.stateMachineArn === "string" ? STATE_MACHINE_ARN.exec(body.stateMachineArn) : null;
        if (!arn) {
            // 400 InvalidArn (Step Functions API Reference, StartExecution, Errors), its message the reason in quotes, as AWS
            // answered in localstack's recorded snapshots (tests/aws/services/stepfunctions/v2/test_sfn_api.snapshot.json:
            // "Invalid Arn: 'Invalid ARN prefix: not_a_valid_arn'"; test_sfn_api_express.snapshot.json: "Invalid Arn:
            // 'Resource type not valid in this context: express'"): the first for a string that is no ARN, the second for
            // an ARN of another resource type.
            const given = String(body.stateMachineArn);
            const reason = given.startsWith("arn:") ? `Resource type not valid in this context: ${given.split(":")[5] ?? ""}` : `Invalid ARN prefix: ${given}`;
            return refuse(res, SFN_ERROR("InvalidArn"), `Invalid Arn: '${reason}'`);
        }
        // The model's limit on `input` (shape SensitiveData, max 262144; "Length constraints apply to the payload size,
        // and are expressed as bytes in UTF-8 encoding": botocore data/stepfunctions/2016-11-23/service-2.json,
        // StartExecutionInput.input). Over it, the request's validation refuses it as it refuses a `name` over its
        // length, 400 ValidationException (wolfeidau/buildkite-serverless-agent#37); the message is that validation's
        // form for this member without its value (a sensitive member): no real answer for an oversized input was found.
        const inputBytes = Buffer.byteLength(String(body.input ?? ""), "utf8");
        if (inputBytes > 262_144) {
            return refuse(res, "ValidationException", "1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to 262144");
        }
        let input: unknown;
        try {
            input = JSON.parse(body.input ?? "{}");
        } catch (err) {
            // 400 InvalidExecutionInput (Step Functions API Reference, StartExecution, Errors), in AWS's form "Invalid State
            // Machine Execution Input: '<the parser's words>'" (localstack's recorded snapshot above: "... Input:
            // 'Unrecognized token 'not': was expecting (JSON String, ...)'", Jackson's words); the words inside the
            // quotes are Node's JSON.parse's here, the stand-in's own.
            return refuse(res, SFN_ERROR("InvalidExecutionInput"), `Invalid State Machine Execution Input: '${(err as Error).message}'`);
        }
        // …:execution:<machine>:<name> whether the ARN was qualified or not; the version or alias is reported apart
        // (DescribeExecution stateMachineVersionArn / stateMachineAliasArn; localstack services/stepfunctions/provider.py start_execution).
        const executionArn = `${arn[1].replace(":stateMachine:", ":execution:")}:${body.name ?? randomUUID()}`;
        const refusal = refusals.shift();
        if (refusal) return refuse(res, SFN_ERROR(refusal), REFUSALS[refusal](executionArn, String(body.name)));
        if (body.name !== undefined) {
            const name = String(body.name);
            const lengthProblem = nameLengthProblem(name);
            if (lengthProblem) return refuse(res, "ValidationException", lengthProblem);
            if (!EXECUTION_NAME.test(name)) return refuse(res, SFN_ERROR("InvalidName"), REFUSALS.InvalidName(executionArn, name));
        }
        // A name already used: the same execution while it runs if the input is the same, else ExecutionAlreadyExists
        // (StartExecution: "idempotent for STANDARD workflows"; @aws-sdk/client-sfn StartExecutionCommand).
        const earlier = byArn.get(executionArn);
        if (earlier) {
            // The input is compared as sent: the same JSON written with other spacing is another input.
            if (earlier.rawInput !== (body.input ?? "{}")) return refuse(res, SFN_ERROR("ExecutionAlreadyExists"), REFUSALS.ExecutionAlreadyExists(executionArn, String(body.name)));
            return answer(res, { executionArn, startDate: earlier.startDate });
        }
        const execution = { stateMachineArn: body.stateMachineArn, input, rawInput: String(body.input ?? "{}"), executionArn, startDate: Date.now() / 1000, authorization: String(req.headers.authorization ?? "") };
        byArn.set(executionArn, execution);
        started.push(execution);
        answer(res, { executionArn, startDate: execution.startDate });
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as AddressInfo;
    return {
        endpoint: `http://127.0.0.1:${port}`,
        started,
        unexpected,
        refuseNext: (type) => void refusals.push(type),
        close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
    };
}
