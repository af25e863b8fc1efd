import * as pulumi from "@pulumi/pulumi";
import { DIGEST_REF, ImageSource } from "./image/types";

/** One bad arg: where it is (`functionUrl.authType`) and what is wrong with it. */
export interface ArgProblem {
    propertyPath: string;
    reason: string;
}

/**
 * Throws one error naming every bad arg of a component, before it registers anything. It is the SDK's
 * InputPropertiesError: served by the package, the provider answers it as invalid properties with each path, so a
 * YAML or Python user sees which input was wrong; in TypeScript it is an Error with the same message.
 */
export function rejectBadArgs(component: string, name: string, problems: (ArgProblem | undefined)[]): void {
    const found = problems.filter((p): p is ArgProblem => p !== undefined);
    if (found.length === 0) return;
    const message = `${component} "${name}" has bad args: ${found.map((p) => `${p.propertyPath} ${p.reason}`).join("; ")}`;
    throw new pulumi.InputPropertiesError({ message, errors: found });
}

/** A documented string of a fixed set (what a TypeScript literal union was: other languages only have strings). */
export function oneOf(propertyPath: string, value: unknown, allowed: readonly string[]): ArgProblem | undefined {
    if (typeof value === "string" && allowed.includes(value)) return undefined;
    return { propertyPath, reason: `must be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")} (got ${describe(value)})` };
}

/** Why an output is refused where the component reads a plain value. */
export const NOT_PLAIN = "must be a plain value, not an output of another resource";

/** Args the component branches on must be known while the program runs: an output (a value of another resource) cannot be. */
export function plainValues(args: object, keys: readonly string[]): (ArgProblem | undefined)[] {
    return keys.map((key) => (pulumi.Output.isInstance((args as Record<string, unknown>)[key]) ? { propertyPath: key, reason: NOT_PLAIN } : undefined));
}

/** A value the program can check now: given, and neither another resource's output nor a preview's unknown. */
export function known(value: unknown): boolean {
    return value !== undefined && value !== null && !pulumi.Output.isInstance(value) && !pulumi.isUnknown(value);
}

/** An optional whole number within [min, max]; one not known yet is left to the cloud. */
export function wholeNumberIn(propertyPath: string, value: unknown, min: number, max: number): ArgProblem | undefined {
    if (!known(value) || (Number.isInteger(value) && (value as number) >= min && (value as number) <= max)) return undefined;
    return { propertyPath, reason: `must be a whole number from ${min} to ${max} (got ${describe(value)})` };
}

/** A whole number with no maximum of the cloud's own (a quota decides, checked where it is known). */
export function wholeNumberFrom(propertyPath: string, value: unknown, min: number): ArgProblem | undefined {
    if (!known(value) || (Number.isInteger(value) && (value as number) >= min)) return undefined;
    return { propertyPath, reason: `must be a whole number, ${min} or more (got ${describe(value)})` };
}

/** An optional percentage threshold: from 0 to below 100, as no rate or use passes 100 % (a threshold of 100 never fires). */
export function thresholdPercent(propertyPath: string, value: unknown): ArgProblem | undefined {
    if (!known(value) || (typeof value === "number" && value >= 0 && value < 100)) return undefined;
    return { propertyPath, reason: `must be a number from 0 to below 100 (percent) (got ${describe(value)})` };
}

/** An optional string of the form `pattern` takes, which `rule` words; one not known yet is left to the cloud. */
export function stringMatching(propertyPath: string, value: unknown, pattern: RegExp, rule: string): ArgProblem | undefined {
    if (!known(value) || (typeof value === "string" && pattern.test(value))) return undefined;
    return { propertyPath, reason: `${rule} (got ${describe(value)})` };
}

/** `image` sets exactly one of `build` and `prebuilt`. */
export function exactlyOneImageSource(propertyPath: string, image: ImageSource | undefined): ArgProblem | undefined {
    const build = image?.build !== undefined && image.build !== null;
    const prebuilt = image?.prebuilt !== undefined && image.prebuilt !== null;
    if (build && prebuilt) return { propertyPath, reason: "sets both build and prebuilt: set exactly one" };
    if (!build && !prebuilt) return { propertyPath, reason: "sets neither build nor prebuilt: set exactly one" };
    if (build && typeof image!.build!.context !== "string") return { propertyPath: `${propertyPath}.build.context`, reason: `must be a folder path (got ${describe(image!.build!.context)})` };
    if (prebuilt && !(typeof image!.prebuilt === "string" && DIGEST_REF.test(image!.prebuilt))) {
        return { propertyPath: `${propertyPath}.prebuilt`, reason: `must be pinned by digest: <repository>@sha256:<64 hex digits> (got ${describe(image!.prebuilt)})` };
    }
    return undefined;
}

function describe(value: unknown): string {
    if (value === undefined) return "nothing";
    if (pulumi.Output.isInstance(value)) return "an output";
    return JSON.stringify(value);
}

/**
 * GCP labels (Resource Manager, "Labels: requirements"): at most 64; a key is a lowercase letter (international ones
 * too) then up to 62 lowercase letters, digits, `_` or `-`; a value up to 63 of those. Only google_storage_bucket
 * checks its keys at preview, and takes no international letter in them: labelKeyValidator's `^[a-z0-9_-]{1,63}$`
 * (terraform-provider-google google/services/storage/resource_storage_bucket.go) refused `équipe` before anything was
 * created. The same labels go to the bucket, so a key is an ASCII lowercase letter, then [a-z0-9_-]; values may hold
 * international letters. Cloud Run, Artifact Registry, Secret Manager and Monitoring refuse the rest at create.
 */
const GCP_LABEL_KEY = /^[a-z][a-z0-9_-]{0,62}$/;
const GCP_LABEL_KEY_RULE = "a lowercase letter a-z first, then a-z, digits, _ or -, at most 63 (google_storage_bucket takes no other key)";
const GCP_LABEL_VALUE = /^[\p{Ll}\p{Lo}\p{N}_-]{0,63}$/u;
/**
 * GCP takes 64 labels on a resource, and pulumi-gcp adds one of its own to each resource it creates with labels,
 * `goog-pulumi-provisioned` (terraform-provider-google tpgresource/labels.go setLabelsFields, with
 * add_terraform_attribution_label "Default: true" in provider.go, at e03b7622; pulumi-gcp renames the key, "Migration
 * Guide for GCP v8", "Default label": "adds a new global default label, `goog-pulumi-provisioned`, to each resource"):
 * a caller's 64 were 65 at create. A provider with addPulumiAttributionLabel false would take 64; the component cannot see it.
 */
const GCP_LABELS_MAX = 64 - 1;
const GCP_LABEL_RULE = "lowercase letters, digits, _ or -, at most 63";
/**
 * The same labels are the alert policies', notification channel's and uptime check's userLabels, which Cloud Monitoring
 * limits further: "Each key and value is limited to 63 Unicode characters or 128 bytes, whichever is smaller"
 * (google/monitoring/v3/alert.proto AlertPolicy.user_labels; notification.proto and uptime.proto alike). 63 of "日"
 * (3 bytes each in UTF-8) made the bucket, secrets and service, and then the first alert policy was refused.
 */
const GCP_LABEL_BYTES = 128;
/** `text`'s length in UTF-8 when it is over GCP_LABEL_BYTES, else undefined. */
function bytesOver(text: string): number | undefined {
    const bytes = Buffer.byteLength(text, "utf8");
    return bytes > GCP_LABEL_BYTES ? bytes : undefined;
}

export function gcpLabelProblems(propertyPath: string, labels: unknown): ArgProblem[] {
    if (!known(labels) || typeof labels !== "object" || labels === null) return [];
    const entries = Object.entries(labels as Record<string, unknown>);
    const problems: ArgProblem[] = [];
    if (entries.length > GCP_LABELS_MAX) problems.push({ propertyPath, reason: `must hold at most ${GCP_LABELS_MAX} labels (got ${entries.length}): GCP takes 64 on a resource, and the provider adds goog-pulumi-provisioned to each it creates` });
    for (const [key, value] of entries) {
        if (!GCP_LABEL_KEY.test(key)) problems.push({ propertyPath: `${propertyPath}.${key}`, reason: `is not a GCP label key: ${GCP_LABEL_KEY_RULE}` });
        else if (known(value) && !(typeof value === "string" && GCP_LABEL_VALUE.test(value))) {
            problems.push({ propertyPath: `${propertyPath}.${key}`, reason: `must be a GCP label value: ${GCP_LABEL_RULE} (got ${describe(value)})` });
        }
        const keyBytes = bytesOver(key);
        const valueBytes = typeof value === "string" ? bytesOver(value) : undefined;
        const over = [keyBytes && `key of ${keyBytes}`, valueBytes && `value of ${valueBytes}`].filter(Boolean);
        if (over.length > 0) {
            problems.push({ propertyPath: `${propertyPath}.${key}`, reason: `must be at most ${GCP_LABEL_BYTES} bytes in UTF-8 (a ${over.join(" and a ")} bytes): Cloud Monitoring's alert policies take user labels of 63 characters or 128 bytes, whichever is smaller` });
        }
    }
    return problems;
}
