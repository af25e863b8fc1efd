import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as iam from "@pulumi/gcp/iam";
import * as monitoring from "@pulumi/gcp/monitoring";
import * as projects from "@pulumi/gcp/projects";
import * as serviceaccount from "@pulumi/gcp/serviceaccount";
import { CloudRunGcsService } from "../../components/gcp";
import { runUnderMocks } from "../../scripts/offline/mockCloud";
import { GCP_INPUT_CHECKS } from "../../scripts/offline/gcpInputChecks";
import { inputCheckRefusal } from "../../scripts/offline/inputChecks";
import { serviceArgs } from "../gcp/fixtures";
import { failedUpdate } from "./failedUpdate";
import { regExpText } from "./regExpText";

// The gcp provider's Check refuses these before anything is created, in the engine's words (inputChecks.ts); each
// rule's source is beside it in scripts/offline/gcpInputChecks.ts.
describe("the gcp provider's input checks under mocks", function () {
    this.timeout(120_000);
    const refused = (run: Promise<unknown>, message: string) => failedUpdate(run, new RegExp(regExpText(message)));
    const run = (program: () => unknown) => runUnderMocks({ stack: "dev" }, program);

    it("refuses the real component's Cloud Run service with a timeout that is not a duration in seconds", async () => {
        // A change to how the component spells the request timeout (`60` for `60s`), as a transformation makes it.
        const dropUnit: pulumi.ResourceTransformation = ({ type, props, opts }) =>
            type === "gcp:cloudrunv2/service:Service" ? { props: { ...props, template: { ...props.template, timeout: "60" } }, opts } : undefined;
        await refused(
            run(() => new CloudRunGcsService("service", serviceArgs("dev"), { transformations: [dropUnit] })),
            `gcp:cloudrunv2/service:Service resource 'service' has a problem: "template.0.timeout" ("60") doesn't match regexp "^[0-9]+(?:\\\\.[0-9]{1,9})?s$". Examine values at 'service.template.timeout'.`,
        );
    });

    it("refuses a service account ID IAM does not take: too short, then not an RFC 1035 name", async () => {
        await refused(
            run(() => new serviceaccount.Account("short", { project: "p", accountId: "svc" })),
            `gcp:serviceaccount/account:Account resource 'short' has a problem: "account_id" ("svc") must be between 6 and 30 characters long. Examine values at 'short.accountId'.`,
        );
        await refused(
            run(() => new serviceaccount.Account("underscore", { project: "p", accountId: "service_dev" })),
            `has a problem: "account_id" ("service_dev") must match regex "^[a-z]([-a-z0-9]*[a-z0-9])?$". Examine values at 'underscore.accountId'.`,
        );
    });

    it("refuses an alert policy's aligner, with the condition's and the aggregation's index in its Terraform key", async () => {
        await refused(
            run(
                () =>
                    new monitoring.AlertPolicy("latency", {
                        project: "p",
                        displayName: "latency",
                        combiner: "OR",
                        conditions: [{ displayName: "p95", conditionThreshold: { filter: "f", comparison: "COMPARISON_GT", duration: "300s", aggregations: [{ alignmentPeriod: "300s", perSeriesAligner: "ALIGN_PERCENTILE_90" }] } }],
                    }),
            ),
            "has a problem: expected conditions.0.condition_threshold.0.aggregations.0.per_series_aligner to be one of",
        );
    });

    // conditions and aggregations are TypeLists: schema.go's validateList keys each element by its own index, and the
    // bridge's path keeps it (pulumi-terraform-bridge pkg/tfbridge/check_failures.go, CheckFailurePath.ListElement).
    it("keys a later condition's and aggregation's refusal with their own indexes", () => {
        const threshold = (aggregations: object[], comparison = "COMPARISON_GT") => ({ conditionThreshold: { filter: "f", comparison, duration: "300s", aggregations } });
        const conditions = [threshold([{ perSeriesAligner: "ALIGN_MEAN" }]), threshold([{ perSeriesAligner: "ALIGN_MEAN" }, { perSeriesAligner: "ALIGN_PERCENTILE_90" }])];
        assert.match(
            inputCheckRefusal("gcp:monitoring/alertPolicy:AlertPolicy", "latency", { conditions }, GCP_INPUT_CHECKS)?.message ?? "",
            new RegExp(regExpText("has a problem: expected conditions.1.condition_threshold.0.aggregations.1.per_series_aligner to be one of") + ".*" + regExpText("Examine values at 'latency.conditions[1].conditionThreshold.aggregations[1].perSeriesAligner'.")),
        );
        assert.match(
            inputCheckRefusal("gcp:monitoring/alertPolicy:AlertPolicy", "latency", { conditions: [threshold([]), threshold([], "GT")] }, GCP_INPUT_CHECKS)?.message ?? "",
            new RegExp(regExpText("expected conditions.1.condition_threshold.0.comparison to be one of")),
        );
    });

    it("refuses an uptime check's request method the schema does not list", async () => {
        await refused(
            run(() => new monitoring.UptimeCheckConfig("health", { project: "p", displayName: "h", timeout: "10s", httpCheck: { path: "/health", requestMethod: "HEAD" }, monitoredResource: { type: "uptime_url", labels: { host: "h" } } })),
            'has a problem: expected http_check.0.request_method to be one of ["METHOD_UNSPECIFIED" "GET" "POST" ""], got HEAD. Examine values at \'health.httpCheck.requestMethod\'.',
        );
    });

    it("refuses a workload identity pool ID Google reserves, and an IAM member without its kind", async () => {
        await refused(
            run(() => new iam.WorkloadIdentityPool("pool", { project: "p", workloadIdentityPoolId: "gcp-deployments" })),
            `has a problem: "workload_identity_pool_id" ("gcp-deployments") can not start with "gcp-". Examine values at 'pool.workloadIdentityPoolId'.`,
        );
        await refused(
            run(() => new projects.IAMMember("viewer", { project: "p", role: "roles/viewer", member: "deploy@p.iam.gserviceaccount.com" })),
            'has a problem: invalid value "deploy@p.iam.gserviceaccount.com" for member (IAM members must have one of the values outlined here',
        );
    });

    // google/verify/validation.go ValidateRFC1035Name measures with Go's len(), in bytes: "éééé" (4 characters, 8
    // bytes) is long enough, and refused by the pattern, not the length.
    it("measures an RFC 1035 name in bytes as the provider does", () => {
        const refusal = GCP_INPUT_CHECKS.find((c) => c.type === "gcp:serviceaccount/account:Account" && c.property === "accountId")!.refuse("éééé");
        assert.match(refusal ?? "", /^"account_id" \("éééé"\) must match regex /);
    });

    it("takes what the provider takes: a fractional timeout, a pool ID ending in .svc.id.goog", () => {
        const refusal = (type: string, property: string, value: unknown) => GCP_INPUT_CHECKS.find((c) => c.type === type && c.property === property)!.refuse(value);
        assert.strictEqual(refusal("gcp:cloudrunv2/service:Service", "template.timeout", "3.5s"), undefined);
        assert.strictEqual(refusal("gcp:iam/workloadIdentityPool:WorkloadIdentityPool", "workloadIdentityPoolId", "my-project.svc.id.goog"), undefined);
        assert.strictEqual(refusal("gcp:serviceaccount/iAMMember:IAMMember", "serviceAccountId", "projects/p/serviceAccounts/deploy-dev@p.iam.gserviceaccount.com"), undefined);
        assert.match(refusal("gcp:serviceaccount/iAMMember:IAMMember", "serviceAccountId", "deploy-dev@p.iam.gserviceaccount.com") ?? "", /^"service_account_id" \("deploy-dev@p.iam.gserviceaccount.com"\) doesn't match regexp/);
        // StringLenBetween counts as Go's len() does, in UTF-8 bytes: 129 "é" are 258 bytes (terraform-plugin-sdk strings.go).
        assert.match(refusal("gcp:serviceaccount/account:Account", "displayName", "é".repeat(129)) ?? "", /^expected length of display_name to be in the range \(0 - 256\), got é+$/);
    });
});
