import { isPlainObject } from "./plainObject";

/** A secret as the CLI reads one: a map whose only key is `secure`, holding text (pulumi/pulumi sdk/go/common/resource/config/object.go, isSecureValue). */
export function isSecure(value: unknown): boolean {
    return isPlainObject(value) && Object.keys(value).length === 1 && typeof value.secure === "string";
}

/** Whether a config value is or holds a secret: one set with `--secret --path` makes the whole key secure (object.go, Secure). */
export function holdsSecret(value: unknown): boolean {
    if (isSecure(value)) return true;
    return typeof value === "object" && value !== null && Object.values(value).some(holdsSecret);
}
