import * as assert from "assert";
import { deployPipeline } from "../aws/fixtures";
import { committedStackRun } from "../harness/committedStackRun";
import { deployService } from "../gcp/fixtures";

/**
 * The log groups (by resource name) where what an alarm counts is written: the state machine's for a failed execution;
 * for a failed /health, the check's (its failed executions) and the API's (the request); else the function's own.
 */
function logGroupsOf(alarm: string): string[] {
    if (alarm === "pipeline-failed-executions") return ["pipeline-pipeline"];
    if (alarm === "pipeline-api-health") return ["pipeline-api", "pipeline-health"];
    const fn = /^pipeline-(api|worker)-/.exec(alarm);
    assert.ok(fn, `${alarm}: an alarm this spec does not know the logs of`);
    return [`pipeline-${fn[1]}`];
}

/**
 * What a page says to the person it wakes. A CloudWatch alarm's e-mail carries its AlarmDescription (the SNS message of
 * an alarm: AlarmName, AlarmDescription, NewStateReason, Region, ...), and its name here is Pulumi's autoname; a Cloud
 * Monitoring e-mail carries the policy's display name and, under "Policy Documentation", its `documentation.content`
 * (Cloud Monitoring, "Annotate notifications with user-defined documentation"). Each must say which stack, where to look
 * (the dashboard, the logs) and what to do (the runbook in docs/releases.md).
 */
describe("what an alarm's or alert's notification says", function () {
    this.timeout(120_000);

    for (const stack of ["dev", "prod"] as const) {
        it(`${stack}: every CloudWatch alarm's description names the stack, links its dashboard, names its logs and says what to do, within 1024 characters`, async () => {
            const run = await committedStackRun(stack);
            const dashboardUrl = String(run.outputs["aws.dashboardUrl"]);
            const logGroups = run.cloud.ofType("aws:cloudwatch/logGroup:LogGroup").map((g) => ({ resource: g.name, name: g.outputs.name as string }));
            const alarms = run.cloud.ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
            assert.ok(alarms.length >= 9, `${alarms.length} alarms`);
            for (const { name, inputs } of alarms) {
                const text: string = inputs.alarmDescription;
                assert.ok(text.startsWith(`multicloud-service (${stack}) `), `${name}: ${text}`);
                assert.ok(text.includes(` Dashboard: ${dashboardUrl} `), `${name} links the stack's dashboard (${dashboardUrl}): ${text}`);
                assert.ok(text.length <= 1024, `${name}: ${text.length} characters, over PutMetricAlarm's 1024`);
                // The health check's watchdogs page about the checks, which a rollback would not start again.
                if (/-health-(stopped|unstarted)$/.test(name)) {
                    assert.match(text, /A rollback does not start the checks again: .*`pulumi up --refresh`/, name);
                    continue;
                }
                const named = logGroups.filter((g) => text.includes(g.name)).map((g) => g.resource);
                assert.deepStrictEqual(named.sort(), logGroupsOf(name), `${name} names the log groups its failure is written to: ${text}`);
                assert.ok(text.endsWith(`roll back by hand as docs/releases.md "Canary and rollback by hand" says, in the multicloud-service repository.`), `${name} says what to do: ${text}`);
            }
        });

        it(`${stack}: every Cloud Monitoring alert policy's documentation names the stack and service, links its dashboard, names its logs and says what to do`, async () => {
            const run = await committedStackRun(stack);
            const dashboardUrl = String(run.outputs["gcp.dashboardUrl"]);
            const service = String(run.outputs["gcp.serviceName"]);
            const policies = run.cloud.ofType("gcp:monitoring/alertPolicy:AlertPolicy");
            assert.ok(policies.length >= 5, `${policies.length} policies`);
            for (const { name, inputs } of policies) {
                const doc = inputs.documentation;
                assert.ok(doc, `${name} has no documentation: its e-mail says where to look and what to do nowhere`);
                assert.strictEqual(doc.mimeType, "text/markdown", name);
                const content: string = doc.content;
                assert.ok(content.startsWith(`multicloud-service (${stack}): Cloud Run service \`${service}\` in project \`multicloud-service-${stack}\`.`), `${name}: ${content}`);
                assert.ok(content.includes(`Dashboard: ${dashboardUrl}`), `${name} links the stack's dashboard (${dashboardUrl})`);
                assert.ok(content.includes(`resource.labels.service_name="${service}"`), `${name} names the service's logs`);
                assert.ok(content.includes(`docs/releases.md "Canary and rollback by hand"`), `${name} says what to do`);
                // v3 AlertPolicy.Documentation.content: at most 10,240 bytes; `${` starts one of Monitoring's variables.
                assert.ok(Buffer.byteLength(content) <= 10_240, name);
                assert.ok(!content.includes("${"), name);
            }
        });
    }

    it("the components alone (a package caller) say where to look, and no runbook of this program's", async () => {
        const { cloud: aws } = await deployPipeline("dev");
        for (const { name, inputs } of aws.ofType("aws:cloudwatch/metricAlarm:MetricAlarm")) {
            assert.match(inputs.alarmDescription, / Dashboard: https:\/\/ap-northeast-1\.console\.aws\.amazon\.com\/cloudwatch\//, name);
            assert.ok(!inputs.alarmDescription.includes("docs/releases.md"), name);
        }
        const { cloud: gcp } = await deployService("dev");
        for (const { name, inputs } of gcp.ofType("gcp:monitoring/alertPolicy:AlertPolicy")) {
            assert.match(inputs.documentation.content, /\n\nDashboard: https:\/\/console\.cloud\.google\.com\/monitoring\/dashboards\/builder\//, name);
            assert.ok(!inputs.documentation.content.includes("docs/releases.md"), name);
        }
    });
});
