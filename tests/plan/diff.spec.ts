import * as assert from "assert";
import { RecordedResource } from "../../scripts/offline/mockCloud";
import { ProgramRun } from "../../scripts/offline/runProgram";
import { secretInput as secret } from "../../scripts/offline/registeredInputs";
import { renderDiff } from "../../scripts/plan/diff";

const resource = (name: string, inputs: Record<string, unknown>): RecordedResource =>
    ({ type: "aws:lambda/function:Function", name, custom: true, inputs, outputs: {}, urn: `urn:pulumi:s::p::aws:lambda/function:Function::${name}` }) as RecordedResource;
const runOf = (stack: string, resources: RecordedResource[]) => ({ stack, cloud: { resources } }) as unknown as ProgramRun;

// Before: only a real dev-vs-prod diff was checked (a changed input and the count line); a diff that printed a
// secret's value, or marked a resource only the left stack has as changed, passed.
describe("the plan's diff between two stacks (scripts/plan/diff.ts)", () => {
    const left = runOf("dev", [resource("fn", { memorySize: 512, environment: { variables: { DATABASE_URL: secret("postgres://dev-password@db") } } }), resource("gone", {})]);
    const right = runOf("prod", [resource("fn", { memorySize: 1024, environment: { variables: { DATABASE_URL: secret("postgres://prod-password@db") } } }), resource("new", {})]);
    const diff = renderDiff(left, right);

    it("never prints a secret's value", () => {
        assert.ok(!/password/.test(diff), diff);
        assert.match(diff, /^ {4}memorySize: 512 -> 1024$/m);
    });

    it("marks a resource only in the left stack -, only in the right +, one in both that differs ~, and counts them", () => {
        const marks = diff.split("\n").filter((line) => /^[-+~] /.test(line));
        assert.deepStrictEqual(marks, ["~ aws:lambda/function:Function  fn", "- aws:lambda/function:Function  gone", "+ aws:lambda/function:Function  new"]);
        assert.match(diff, /\n3 of 3 resources differ\.$/);
    });

    // Before: only inputs both stacks set were compared; a setting one stack has and the other lacks (a timeout in dev
    // only, a reserved concurrency in prod only) was left out, and a resource differing only so was not marked at all.
    it("shows an input set in one stack only, as (unset) on the other side, either way", () => {
        const dev = runOf("dev", [resource("fn", { memorySize: 512, timeout: 30, tags: { stack: "dev" } })]);
        const prod = runOf("prod", [resource("fn", { memorySize: 512, reservedConcurrentExecutions: 10, tags: { stack: "dev", tier: "production" } })]);
        const lines = renderDiff(dev, prod).split("\n");
        assert.deepStrictEqual(lines.slice(2, -2), [
            "~ aws:lambda/function:Function  fn",
            "    reservedConcurrentExecutions: (unset) -> 10",
            '    tags.tier: (unset) -> "production"',
            "    timeout: 30 -> (unset)",
        ]);
        assert.strictEqual(lines.at(-1), "1 of 1 resources differ.");
    });

    // A policy or a state machine's definition is sent as one JSON string: the diff names the statement that changed,
    // not the whole document, and a document only re-indented (the same statements) is no difference.
    it("opens a JSON document input and shows the path that changed inside it", () => {
        const policy = (action: string, indent?: number) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:ListBucket", action], Resource: "*" }] }, null, indent);
        const role = (name: string, inputs: Record<string, unknown>) => ({ ...resource(name, inputs), type: "aws:iam/rolePolicy:RolePolicy" }) as RecordedResource;
        const dev = runOf("dev", [role("read", { policy: policy("s3:GetObject") }), role("same", { policy: policy("s3:GetObject") })]);
        const prod = runOf("prod", [role("read", { policy: policy("s3:PutObject") }), role("same", { policy: policy("s3:GetObject", 2) })]);
        const lines = renderDiff(dev, prod).split("\n");
        assert.deepStrictEqual(lines.slice(2, -2), ["~ aws:iam/rolePolicy:RolePolicy  read", '    policy.Statement[0].Action[1]: "s3:GetObject" -> "s3:PutObject"']);
        assert.strictEqual(lines.at(-1), "1 of 2 resources differ.");
    });
});
