import { main } from "@pulumi/pulumi/provider";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
// The classes index.ts exports for the analyzer (imported from their modules: "./index" would be index.js in node).
import { LambdaEcrPipeline } from "../components/aws/lambdaEcrPipeline";
import { CloudRunGcsService } from "../components/gcp/cloudRunGcsService";

/** The package's name in every language (`pulumi package add` generates `multicloud` SDKs); package.json's name. */
export const PACKAGE_NAME = "multicloud";

/**
 * Properties that hold secrets. The SDK's analyzer infers types, descriptions and required/optional from the
 * TypeScript, but has no way to mark a secret; marked here, the generated SDKs and Pulumi YAML keep these outputs
 * secret (additionalSecretOutputs) and wrap these inputs as secrets. The components also return them as secret
 * outputs, which the provider sends as secrets over the wire.
 */
export const SECRET_PROPERTIES = {
    /** Outputs, by component. */
    resources: { LambdaEcrPipeline: ["adminToken"], CloudRunGcsService: ["adminToken"] },
    /** Properties of input types, by type. */
    types: { ServiceSecrets: ["databaseUrl"] },
} as const;

interface Schema {
    resources: Record<string, { properties: Record<string, { secret?: boolean }> }>;
    types: Record<string, { properties?: Record<string, { secret?: boolean }> }>;
}

/** The SDK's component provider (schema from the analyzer, `construct` by class name) with secrets marked. */
class MulticloudProvider extends ComponentProvider {
    private schemaWithSecrets?: string;

    async getSchema(): Promise<string> {
        this.schemaWithSecrets ??= JSON.stringify(markSecrets(JSON.parse(await super.getSchema())));
        return this.schemaWithSecrets;
    }
}

function markSecrets(schema: Schema): Schema {
    const mark = (where: string, properties: Record<string, { secret?: boolean }> | undefined, names: readonly string[]) => {
        for (const name of names) {
            const property = properties?.[name];
            if (!property) throw new Error(`SECRET_PROPERTIES names ${where}.${name}, which the schema does not have`);
            property.secret = true;
        }
    };
    for (const [component, names] of Object.entries(SECRET_PROPERTIES.resources)) {
        const token = `${PACKAGE_NAME}:index:${component}`;
        mark(token, schema.resources[token]?.properties, names);
    }
    for (const [type, names] of Object.entries(SECRET_PROPERTIES.types)) {
        const token = `${PACKAGE_NAME}:index:${type}`;
        mark(token, schema.types[token]?.properties, names);
    }
    return schema;
}

/** The provider for the package folder `dir` (its package.json, tsconfig.json and index.ts). */
export function createProvider(dir: string): ComponentProvider {
    return new MulticloudProvider({ name: PACKAGE_NAME, dirname: dir, components: [LambdaEcrPipeline, CloudRunGcsService] });
}

/** Serves the provider over gRPC as a plugin (`args`: the engine's address); prints its port, as the engine expects. */
export function serve(dir: string, args: string[]): Promise<void> {
    return main(createProvider(dir), args);
}
