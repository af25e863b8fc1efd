import * as path from "path";
import { PROJECT_ROOT } from "../../config/stackFile";
import { createProvider } from "../../multicloud/provider";

/** The package schema the plugin serves, for the specs that read it (schema.spec, examples.spec). */
export const PACKAGE_DIR = path.join(PROJECT_ROOT, "multicloud");

export interface Property {
    type?: string;
    $ref?: string;
    items?: Property;
    additionalProperties?: Property;
    description?: string;
    optional?: boolean;
    plain?: boolean;
    secret?: boolean;
}
export interface Resource {
    isComponent?: boolean;
    inputProperties: Record<string, Property>;
    requiredInputs: string[];
    properties: Record<string, Property>;
}
export interface PackageSchema {
    name: string;
    version: string;
    resources: Record<string, Resource>;
    types: Record<string, { properties: Record<string, Property>; required: string[] }>;
}

let schema: Promise<PackageSchema> | undefined;
/** The schema the plugin serves, generated once per test run. */
export function packageSchema(): Promise<PackageSchema> {
    schema ??= createProvider(PACKAGE_DIR).getSchema().then((s) => JSON.parse(s));
    return schema;
}
