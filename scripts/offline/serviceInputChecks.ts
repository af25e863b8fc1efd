import type { InputCheck } from "./inputChecks";

/**
 * Go's time.ParseDuration error for `s`, or undefined when it parses (Go src/time/format.go: "time: invalid duration "
 * + quote(orig), "time: missing unit in duration ", "time: unknown unit " + quote(u) + " in duration "); an overflow
 * (more than ~2562047h) is not modelled.
 */
function goDurationError(s: string): string | undefined {
    const orig = JSON.stringify(s);
    const invalid = `time: invalid duration ${orig}`;
    let rest = s.replace(/^[-+]/, "");
    if (rest === "0") return undefined;
    if (rest === "") return invalid;
    const units = ["ns", "us", "µs", "μs", "ms", "s", "m", "h"];
    while (rest !== "") {
        const number = /^(\d*)(?:\.(\d*))?/.exec(rest)!;
        const [whole, pre, post] = [number[0], number[1], number[2]];
        if (whole === "" || (pre === "" && !post)) return invalid;
        rest = rest.slice(whole.length);
        const unit = /^[^\d.]*/.exec(rest)![0];
        if (unit === "") return `time: missing unit in duration ${orig}`;
        if (!units.includes(unit)) return `time: unknown unit ${JSON.stringify(unit)} in duration ${orig}`;
        rest = rest.slice(unit.length);
    }
    return undefined;
}

const isString = (value: unknown): value is string => typeof value === "string";

/**
 * pulumi-pulumiservice v1.3.0 resources/environment.go, Check: organization, project and name each refused when they
 * hold a `/` ("'%s' property contains `/` illegal character").
 */
const environmentPart = (key: string): InputCheck["refuse"] => (value) => (isString(value) && value.includes("/") ? `'${key}' property contains \`/\` illegal character` : undefined);

/**
 * terraform-provider-time v0.12.1 (pulumiverse/time v0.1.1's upstream) internal/provider/resource_time_sleep.go:
 * create_duration and destroy_duration, stringvalidator.RegexMatches(`^[0-9]+(\.[0-9]+)?(ms|s|m|h)$`, its message),
 * reported by terraform-plugin-framework-validators' InvalidAttributeValueMatchDiagnostic (helpers/validatordiag/
 * diag.go: summary "Invalid Attribute Value Match", detail "Attribute %s %s, got: %s"), which pulumi-terraform-bridge
 * pf v0.49.0 (pkg/pf/tfbridge/detect_check_failures.go) joins as "<summary>. <detail>".
 */
export const SLEEP_DURATION = /^[0-9]+(\.[0-9]+)?(ms|s|m|h)$/;
const sleepDuration = (key: string): InputCheck["refuse"] => (value) =>
    isString(value) && !SLEEP_DURATION.test(value)
        ? `Invalid Attribute Value Match. Attribute ${key} must be a number immediately followed by ms (milliseconds), s (seconds), m (minutes), or h (hours). For example, "30s" for 30 seconds., got: ${value}`
        : undefined;

/** The service provider checks the program's resources meet (inputChecks.ts); each beside its source. */
export const SERVICE_INPUT_CHECKS: InputCheck[] = [
    // pulumi-pulumiservice v1.3.0 resources/policy_pack.go, Check: versionTagRegex, "Mirrors the regex Pulumi Cloud
    // enforces server-side"; an empty tag is left to the server. The program computes the tag (deployments/policyPackVersion.ts).
    {
        type: "pulumiservice:index:PolicyPack",
        property: "versionTag",
        refuse: (value) =>
            isString(value) && value !== "" && !/^[a-zA-Z0-9-_.]{1,100}$/.test(value) ? `${JSON.stringify(value)} is not a valid policy pack version tag (must match ^[a-zA-Z0-9-_.]{1,100}$)` : undefined,
    },
    // pulumi-pulumiservice v1.3.0 resources/policy_group.go, Check ("Validate enum values").
    { type: "pulumiservice:index:PolicyGroup", property: "mode", refuse: (value) => (isString(value) && value !== "audit" && value !== "preventative" ? "mode must be either 'audit' or 'preventative'" : undefined) },
    { type: "pulumiservice:index:PolicyGroup", property: "entityType", refuse: (value) => (isString(value) && value !== "stacks" && value !== "accounts" ? "entityType must be either 'stacks' or 'accounts'" : undefined) },
    // pulumi-pulumiservice v1.3.0 resources/team.go, Check: teamType neither team type (the provider reports it under
    // the property "type", its Go field's name, so the engine shows that name and the value {<nil>}: reportedAs).
    { type: "pulumiservice:index:Team", property: "teamType", reportedAs: "type", refuse: (value) => (isString(value) && value !== "pulumi" && value !== "github" ? `found ${JSON.stringify(value)} instead of 'pulumi' or 'github'` : undefined) },
    // pulumi-pulumiservice v1.3.0 resources/environment.go, Check (environmentPart).
    { type: "pulumiservice:index:Environment", property: "organization", refuse: environmentPart("organization") },
    { type: "pulumiservice:index:Environment", property: "project", refuse: environmentPart("project") },
    { type: "pulumiservice:index:Environment", property: "name", refuse: environmentPart("name") },
    // pulumi-pulumiservice v1.3.0 resources/team_environment_perm.go, Check: time.ParseDuration, "malformed duration: %v".
    {
        type: "pulumiservice:index:TeamEnvironmentPermission",
        property: "maxOpenDuration",
        refuse: (value) => {
            const error = isString(value) && value !== "" ? goDurationError(value) : undefined;
            return error ? `malformed duration: ${error}` : undefined;
        },
    },
    // pulumi-pulumiservice v1.3.0 resources/deployment_settings.go, Check and normalizeDurationString (the provider reads
    // through a secret operationContext, as valuesAt does).
    {
        type: "pulumiservice:index:DeploymentSettings",
        property: "operationContext.oidc.aws.duration",
        refuse: (value) => {
            if (!isString(value)) return undefined;
            if (value === "") return "Failed to normalize duration string due to error: empty value provided for duration string";
            const error = goDurationError(value);
            return error ? `Failed to normalize duration string due to error: failed to parse duration string \`${value}\` due to error: ${error}` : undefined;
        },
    },
    // time.Sleep (sleepDuration).
    { type: "time:index/sleep:Sleep", property: "createDuration", refuse: sleepDuration("create_duration") },
    { type: "time:index/sleep:Sleep", property: "destroyDuration", refuse: sleepDuration("destroy_duration") },
    // terraform-provider-random internal/provider/resource_password.go: length, int64validator.AtLeast(1)
    // (terraform-plugin-framework-validators int64validator/at_least.go, "value must be at least %d", reported as
    // InvalidAttributeValueDiagnostic: "Invalid Attribute Value", "Attribute %s %s, got: %s").
    { type: "random:index/randomPassword:RandomPassword", property: "length", refuse: (value) => (typeof value === "number" && value < 1 ? `Invalid Attribute Value. Attribute length value must be at least 1, got: ${value}` : undefined) },
];
