import * as pulumi from "@pulumi/pulumi";

/**
 * Names reserved for documentation and testing, whose mail reaches no one: example.com, .net and .org (RFC 2606,
 * section 3) and the top-level names .example, .test, .invalid and .localhost (RFC 2606, section 2; RFC 6761).
 */
const RESERVED_DOMAIN = /(^|\.)(example\.(com|net|org)|example|test|invalid|localhost)\.?$/i;

function domainOf(email: string): string {
    return email.slice(email.lastIndexOf("@") + 1);
}

/** Whether `email`'s domain is one of RESERVED_DOMAIN's. */
export function atReservedDomain(email: string): boolean {
    return RESERVED_DOMAIN.test(domainOf(email));
}

/**
 * Warns, on `resource`, when the alert address `email` (the setting `setting`) is at a reserved domain: a stack file
 * copied from an example keeps such an address, its settings pass, and every alert goes to no one.
 */
export function warnWhenNoOneReads(email: string, setting: string, resource: pulumi.Resource): void {
    if (!atReservedDomain(email)) return;
    void pulumi.log.warn(`${setting} is ${email}, whose domain ${domainOf(email)} is reserved for examples (RFC 2606): no one receives these alerts. Set ${setting} to an address someone reads`, resource);
}
