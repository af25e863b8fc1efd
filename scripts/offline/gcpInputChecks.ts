import { InputCheck, listKey, oneOf, stringLenBetween } from "./inputChecks";

/**
 * The gcp provider checks the program's resources meet (inputChecks.ts); each beside its source. Sources are
 * hashicorp/terraform-provider-google (google/...; the google-beta that pulumi-gcp bridges is generated from the same
 * magic-modules definitions). The key in a message is the one terraform-plugin-sdk hands a ValidateFunc: the
 * attribute's whole Terraform path, a nested block's element index in it (`template.0.timeout`). Lists the program
 * registers with more than one element (traffic, lifecycle_rule, the cleanup_policies set) are left out: a check
 * sees the value only, not which element's index the key would carry.
 */

/** Go's %q of a string (ASCII: as JSON writes it). */
const q = (s: string) => JSON.stringify(s);

/** google/verify/validation.go, ValidateRegexp: `%q (%q) doesn't match regexp %q`. */
function matches(key: string, re: string): InputCheck["refuse"] {
    const pattern = new RegExp(re);
    return (value) => (typeof value !== "string" || pattern.test(value) ? undefined : `${q(key)} (${q(value)}) doesn't match regexp ${q(re)}`);
}

/** google/verify/validation.go, ValidateEnum: validation.StringInSlice(values, false) (oneOf), "" among the values of an optional enum. */
const enumOf = oneOf;

/** google/verify/validation.go, RFC1035NameTemplate. */
const RFC1035_NAME_TEMPLATE = (n: string) => `[a-z]([-a-z0-9]${n}[a-z0-9])?`;

/**
 * google/verify/validation.go, ValidateRFC1035Name(min, max): the length's error, then the pattern's (the first of the
 * errors it returns).
 */
function rfc1035Name(key: string, min: number, max: number): InputCheck["refuse"] {
    const re = `^${RFC1035_NAME_TEMPLATE("*")}$`;
    const pattern = new RegExp(re);
    return (value) => {
        if (typeof value !== "string") return undefined;
        // Go's len(): bytes, not characters.
        const length = Buffer.byteLength(value, "utf8");
        if (length < min || length > max) return `${q(key)} (${q(value)}) must be between ${min} and ${max} characters long`;
        if (!pattern.test(value)) return `${q(key)} (${q(value)}) must match regex ${q(re)}`;
        return undefined;
    };
}

/**
 * google/tpgiamresource/resource_iam_member.go, validateIAMMember (IamMemberBaseSchema's `member`, which every
 * google_*_iam_member resource shares).
 */
const iamMember: InputCheck["refuse"] = (value) => {
    if (typeof value !== "string") return undefined;
    if (/^deleted/.test(value)) return "invalid value for member (Terraform does not support IAM members for deleted principals)";
    if (!/(.+:.+|projectOwners|projectReaders|projectWriters|allUsers|allAuthenticatedUsers)/.test(value)) {
        return `invalid value "${value}" for member (IAM members must have one of the values outlined here: https://cloud.google.com/billing/docs/reference/rest/v1/Policy#Binding)`;
    }
    return undefined;
};

// google/verify/validation.go: ProjectRegexWildCard, ServiceAccountLinkRegex and the account names it takes.
const PROJECT_REGEX = "(?:(?:[-a-z0-9]{1,63}\\.)*(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?):)?(?:[0-9]{1,19}|(?:[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?))";
const PROJECT_REGEX_WILDCARD = "(?:(?:[-a-z0-9]{1,63}\\.)*(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?):)?(?:[0-9]{1,19}|(?:[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?)|-)";
const PROJECT_NAME_IN_DNS_FORM_REGEX = "[-a-z0-9\\.]{1,63}";
const SERVICE_DEFAULT_ACCOUNT_NAME_REGEX = `${PROJECT_REGEX}@[a-z]+.gserviceaccount.com$`;
const COMPUTE_SERVICE_ACCOUNT_NAME_REGEX = "[0-9]{1,20}-compute@developer.gserviceaccount.com";
const CREATED_SERVICE_ACCOUNT_NAME_REGEX = `${RFC1035_NAME_TEMPLATE("{4,28}")}@${PROJECT_NAME_IN_DNS_FORM_REGEX}\\.iam\\.gserviceaccount\\.com$`;
const SERVICE_ACCOUNT_LINK_REGEX = `projects/${PROJECT_REGEX_WILDCARD}/serviceAccounts/(${[SERVICE_DEFAULT_ACCOUNT_NAME_REGEX, COMPUTE_SERVICE_ACCOUNT_NAME_REGEX, CREATED_SERVICE_ACCOUNT_NAME_REGEX].join("|")})`;

/**
 * google/services/iambeta/resource_iam_workload_identity_pool.go, ValidateWorkloadIdentityPoolId, and
 * resource_iam_workload_identity_pool_provider.go, ValidateWorkloadIdentityPoolProviderId: their first error. The
 * pool's drops a `.svc.id.goog` end first with Go's strings.TrimRight, which trims any of those characters.
 */
function workloadIdentityId(key: string, pool: boolean): InputCheck["refuse"] {
    return (value) => {
        if (typeof value !== "string") return undefined;
        if (value.startsWith("gcp-")) return `${q(key)} (${q(value)}) can not start with "gcp-"`;
        let id = value;
        if (pool && id.endsWith(".svc.id.goog")) id = id.replace(/[.svcidgo]+$/, "");
        if (!/^[0-9a-z-]+$/.test(id)) {
            return pool ? `${q(key)} must contain only lowercase letters (a-z), numbers (0-9), or dashes (-), or end in '.svc.id.goog'` : `${q(key)} must contain only lowercase letters (a-z), numbers (0-9), or dashes (-)`;
        }
        if (id.length < 4) return `${q(key)} cannot be smaller than 4 characters`;
        if (id.length > 32) return `${q(key)} cannot be greater than 32 characters`;
        return undefined;
    };
}

const CLOUD_RUN = "gcp:cloudrunv2/service:Service";
const ALERT_POLICY = "gcp:monitoring/alertPolicy:AlertPolicy";
const UPTIME_CHECK = "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig";

// google/services/monitoring/resource_monitoring_alert_policy.go: condition_threshold's aggregations and
// denominator_aggregations. conditions and aggregations are TypeLists (no MaxItems), condition_threshold MaxItems 1:
// verify.ValidateEnum is a plain ValidateFunc, so the key is schema.go's flatmap key with each list's own index
// (validateList: `key := fmt.Sprintf("%s.%d", k, i)`), `conditions.1.condition_threshold.0.aggregations.2.per_series_aligner`.
const ALIGNERS = ["ALIGN_NONE", "ALIGN_DELTA", "ALIGN_RATE", "ALIGN_INTERPOLATE", "ALIGN_NEXT_OLDER", "ALIGN_MIN", "ALIGN_MAX", "ALIGN_MEAN", "ALIGN_COUNT", "ALIGN_SUM", "ALIGN_STDDEV", "ALIGN_COUNT_TRUE", "ALIGN_COUNT_FALSE", "ALIGN_FRACTION_TRUE", "ALIGN_PERCENTILE_99", "ALIGN_PERCENTILE_95", "ALIGN_PERCENTILE_50", "ALIGN_PERCENTILE_05", "ALIGN_PERCENT_CHANGE", ""];
const REDUCERS = ["REDUCE_NONE", "REDUCE_MEAN", "REDUCE_MIN", "REDUCE_MAX", "REDUCE_SUM", "REDUCE_STDDEV", "REDUCE_COUNT", "REDUCE_COUNT_TRUE", "REDUCE_COUNT_FALSE", "REDUCE_FRACTION_TRUE", "REDUCE_PERCENTILE_99", "REDUCE_PERCENTILE_95", "REDUCE_PERCENTILE_50", "REDUCE_PERCENTILE_05", ""];
const thresholdAggregationChecks = (list: "aggregations" | "denominatorAggregations", tfList: string): InputCheck[] => [
    { type: ALERT_POLICY, property: `conditions[].conditionThreshold.${list}[].perSeriesAligner`, refuse: (value, path) => enumOf(listKey(`conditions.{}.condition_threshold.0.${tfList}.{}.per_series_aligner`, path), ALIGNERS)(value) },
    { type: ALERT_POLICY, property: `conditions[].conditionThreshold.${list}[].crossSeriesReducer`, refuse: (value, path) => enumOf(listKey(`conditions.{}.condition_threshold.0.${tfList}.{}.cross_series_reducer`, path), REDUCERS)(value) },
];

/** The IAM member resources the program registers, each with IamMemberBaseSchema's `member` (google/tpgiamresource/resource_iam_member.go). */
const IAM_MEMBER_TYPES = [
    "gcp:projects/iAMMember:IAMMember",
    "gcp:serviceaccount/iAMMember:IAMMember",
    "gcp:storage/bucketIAMMember:BucketIAMMember",
    "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember",
    "gcp:cloudrunv2/serviceIamMember:ServiceIamMember",
    "gcp:secretmanager/secretIamMember:SecretIamMember",
];

export const GCP_INPUT_CHECKS: InputCheck[] = [
    // google/services/cloudrunv2/resource_cloud_run_v2_service.go (magic-modules mmv1/products/cloudrunv2/Service.yaml).
    { type: CLOUD_RUN, property: "ingress", refuse: enumOf("ingress", ["INGRESS_TRAFFIC_ALL", "INGRESS_TRAFFIC_INTERNAL_ONLY", "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER", ""]) },
    { type: CLOUD_RUN, property: "launchStage", refuse: enumOf("launch_stage", ["UNIMPLEMENTED", "PRELAUNCH", "EARLY_ACCESS", "ALPHA", "BETA", "GA", "DEPRECATED", ""]) },
    { type: CLOUD_RUN, property: "scaling.scalingMode", refuse: enumOf("scaling.0.scaling_mode", ["AUTOMATIC", "MANUAL", ""]) },
    { type: CLOUD_RUN, property: "template.executionEnvironment", refuse: enumOf("template.0.execution_environment", ["EXECUTION_ENVIRONMENT_GEN1", "EXECUTION_ENVIRONMENT_GEN2", ""]) },
    { type: CLOUD_RUN, property: "template.timeout", refuse: matches("template.0.timeout", "^[0-9]+(?:\\.[0-9]{1,9})?s$") },

    // google/services/artifactregistry/resource_artifact_registry_repository.go.
    { type: "gcp:artifactregistry/repository:Repository", property: "mode", refuse: enumOf("mode", ["STANDARD_REPOSITORY", "VIRTUAL_REPOSITORY", "REMOTE_REPOSITORY", ""]) },

    // google/services/monitoring/resource_monitoring_alert_policy.go.
    { type: ALERT_POLICY, property: "combiner", refuse: enumOf("combiner", ["AND", "OR", "AND_WITH_MATCHING_RESOURCE"]) },
    { type: ALERT_POLICY, property: "severity", refuse: enumOf("severity", ["CRITICAL", "ERROR", "WARNING", ""]) },
    { type: ALERT_POLICY, property: "conditions[].conditionThreshold.comparison", refuse: (value, path) => enumOf(listKey("conditions.{}.condition_threshold.0.comparison", path), ["COMPARISON_GT", "COMPARISON_GE", "COMPARISON_LT", "COMPARISON_LE", "COMPARISON_EQ", "COMPARISON_NE"])(value) },
    {
        type: ALERT_POLICY,
        property: "conditions[].conditionThreshold.evaluationMissingData",
        refuse: (value, path) => enumOf(listKey("conditions.{}.condition_threshold.0.evaluation_missing_data", path), ["EVALUATION_MISSING_DATA_INACTIVE", "EVALUATION_MISSING_DATA_ACTIVE", "EVALUATION_MISSING_DATA_NO_OP", ""])(value),
    },
    ...thresholdAggregationChecks("aggregations", "aggregations"),
    ...thresholdAggregationChecks("denominatorAggregations", "denominator_aggregations"),

    // google/services/monitoring/resource_monitoring_uptime_check_config.go.
    { type: UPTIME_CHECK, property: "checkerType", refuse: enumOf("checker_type", ["STATIC_IP_CHECKERS", "VPC_CHECKERS", ""]) },
    { type: UPTIME_CHECK, property: "httpCheck.requestMethod", refuse: enumOf("http_check.0.request_method", ["METHOD_UNSPECIFIED", "GET", "POST", ""]) },
    { type: UPTIME_CHECK, property: "httpCheck.contentType", refuse: enumOf("http_check.0.content_type", ["TYPE_UNSPECIFIED", "URL_ENCODED", "USER_PROVIDED", ""]) },
    { type: UPTIME_CHECK, property: "httpCheck.serviceAgentAuthentication.type", refuse: enumOf("http_check.0.service_agent_authentication.0.type", ["SERVICE_AGENT_AUTHENTICATION_TYPE_UNSPECIFIED", "OIDC_TOKEN", ""]) },

    // google/services/resourcemanager/resource_google_service_account.go: account_id, validateRFC1035Name(6, 30);
    // display_name, validation.StringLenBetween(0, 256).
    { type: "gcp:serviceaccount/account:Account", property: "accountId", refuse: rfc1035Name("account_id", 6, 30) },
    { type: "gcp:serviceaccount/account:Account", property: "displayName", refuse: stringLenBetween("display_name", 0, 256) },

    // google/services/resourcemanager/resource_google_project_service.go, validateProjectServiceService:
    // verify.StringNotInSlice(bannedProjectServices) ("expected %s to not match any of %v, got %s"), then a dot.
    {
        type: "gcp:projects/service:Service",
        property: "service",
        refuse: (value) => {
            if (typeof value !== "string") return undefined;
            if (value === "bigquery-json.googleapis.com") return `expected service to not match any of [bigquery-json.googleapis.com], got ${value}`;
            return value.includes(".") ? undefined : `expected ${value} to be a domain like serviceusage.googleapis.com`;
        },
    },

    // google/services/storage/resource_storage_bucket.go, labelKeyValidator (labelKeyRegex `^[a-z0-9_-]{1,63}$`).
    {
        type: "gcp:storage/bucket:Bucket",
        property: "labels",
        refuse: (value) => {
            if (value === null || typeof value !== "object") return undefined;
            const bad = Object.keys(value).find((key) => !/^[a-z0-9_-]{1,63}$/.test(key));
            return bad === undefined ? undefined : `${q(bad)} is an invalid label key. See https://cloud.google.com/storage/docs/tags-and-labels#bucket-labels`;
        },
    },

    // IAM members (google/tpgiamresource/resource_iam_member.go, validateIAMMember) and the service account one's
    // service_account_id (google/services/resourcemanager/iam_service_account.go: ValidateRegexp(ServiceAccountLinkRegex)).
    ...IAM_MEMBER_TYPES.map((type): InputCheck => ({ type, property: "member", refuse: iamMember })),
    { type: "gcp:serviceaccount/iAMMember:IAMMember", property: "serviceAccountId", refuse: matches("service_account_id", SERVICE_ACCOUNT_LINK_REGEX) },

    // google/services/iambeta/resource_iam_workload_identity_pool.go and resource_iam_workload_identity_pool_provider.go.
    { type: "gcp:iam/workloadIdentityPool:WorkloadIdentityPool", property: "workloadIdentityPoolId", refuse: workloadIdentityId("workload_identity_pool_id", true) },
    { type: "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider", property: "workloadIdentityPoolProviderId", refuse: workloadIdentityId("workload_identity_pool_provider_id", false) },
];
