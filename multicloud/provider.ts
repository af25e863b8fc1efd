import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import type { ComponentResourceOptions, Inputs, ProviderResource } from "@pulumi/pulumi";
import { ConstructResult, main } from "@pulumi/pulumi/provider";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
// The classes index.ts exports for the analyzer (imported from their modules: "./index" would be index.js in node).
import { LambdaEcrPipeline, lambdaEcrPipelineArgProblems } from "../components/aws/lambdaEcrPipeline";
import { CloudRunGcsService, cloudRunGcsServiceArgProblems } from "../components/gcp/cloudRunGcsService";
import { rejectBadArgs } from "../components/argChecks";
import { cloudArgProblems } from "./constructChecks";
import { autonamingProblems } from "../config/autonaming";
import { ServedSchema, servedArgProblems } from "./servedArgs";
import { SCHEMA_FILE } from "./schemaFile";

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
    /**
     * Inputs, by component. Top-level inputs only: the SDKs' code generators wrap a resource's own secret inputs and
     * never a field of an input type (pulumi/pulumi pkg/codegen: the nodejs and go generators read r.InputProperties,
     * python's genType never reads prop.Secret; pulumi/pulumi#23343), so a secret nested in an object would reach the
     * engine, and the component's stored inputs, as the consumer gave it.
     */
    inputs: { CloudRunGcsService: ["databaseUrl"] },
} as const;

/** The components, by class name: the schema's `multicloud:index:<name>` resources. */
const COMPONENTS = { LambdaEcrPipeline, CloudRunGcsService } as const;
/** What each component refuses in its name and args before it registers anything. */
const ARG_PROBLEMS = { LambdaEcrPipeline: lambdaEcrPipelineArgProblems, CloudRunGcsService: cloudRunGcsServiceArgProblems } as const;

/**
 * The Python SDK's module, whoever installs the package. Unset, `pulumi package add` of a git source names it after
 * the repository's GitHub org: the CLI sets the schema's namespace to that org (pulumi/pulumi pkg/cmd/pulumi/packages,
 * setSpecNamespace) and Python's codegen names the module `<namespace>_<name>` (pkg/codegen/python, PyPack), so the
 * `import` of docs/package.md and the example would only work for one org.
 */
export const PYTHON_PACKAGE = "pulumi_multicloud";

/**
 * The schema the SDK's analyzer derives from the TypeScript (index.ts, the components and their args), with the
 * secrets marked: what `npm run schema` writes to schema.json. The analysis takes about 2 s of CPU.
 */
export async function analyzeSchema(dir: string): Promise<ServedSchema> {
    const analyzer = new ComponentProvider({ name: PACKAGE_NAME, dirname: dir, components: Object.values(COMPONENTS) });
    const schema = markSecrets(JSON.parse(await analyzer.getSchema()));
    schema.language = { ...schema.language, python: { ...schema.language?.python, packageName: PYTHON_PACKAGE } };
    return schema;
}

function markSecrets(schema: ServedSchema): ServedSchema {
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
    for (const [component, names] of Object.entries(SECRET_PROPERTIES.inputs)) {
        const token = `${PACKAGE_NAME}:index:${component}`;
        mark(`${token} input`, schema.resources[token]?.inputProperties, names);
    }
    return schema;
}

/** schema.json's text for a schema: indented, so a change to the package's API reads as a diff in review. */
export const schemaText = (schema: object): string => `${JSON.stringify(schema, null, 2)}\n`;

/** schema.json in the package folder `dir`, as the plugin serves it. */
export function committedSchema(dir: string): string {
    const file = path.join(dir, SCHEMA_FILE);
    try {
        return fs.readFileSync(file, "utf8");
    } catch (err) {
        throw new Error(`the multicloud plugin serves ${file}, which cannot be read (${(err as Error).message}): run \`npm run schema\` in the repository and commit it`);
    }
}

/**
 * The SDK's component provider, serving the committed schema instead of analysing the TypeScript at every start
 * (the SDK's ComponentProvider runs its analyzer on the first GetSchema or Construct: about 2 s of CPU on every
 * `pulumi preview` and `up` of a program that uses the package). A spec keeps schema.json equal to the analysis.
 */
class MulticloudProvider extends ComponentProvider {
    private readonly servedSchema: string;
    /** Not `schema`: the SDK's server serves a provider's `schema` property, when it has one, instead of getSchema(). */
    private readonly parsedSchema: ServedSchema;
    private readonly outputNames: Record<string, string[]>;

    constructor(dir: string) {
        super({ name: PACKAGE_NAME, dirname: dir, components: Object.values(COMPONENTS) });
        this.servedSchema = committedSchema(dir);
        this.parsedSchema = JSON.parse(this.servedSchema);
        this.outputNames = Object.fromEntries(Object.entries(this.parsedSchema.resources).map(([token, resource]) => [token, Object.keys(resource.properties)]));
    }

    async getSchema(): Promise<string> {
        return this.servedSchema;
    }

    /** As the SDK's construct, with the outputs the schema names (the SDK takes them from its analysis). */
    async construct(name: string, type: string, inputs: Inputs, options: ComponentResourceOptions): Promise<ConstructResult> {
        ComponentProvider.validateResourceType(PACKAGE_NAME, type);
        const componentName = type.split(":")[2];
        const component = COMPONENTS[componentName as keyof typeof COMPONENTS];
        const outputs = this.outputNames[type];
        if (!component || !outputs) throw new Error(`Component class not found for '${componentName}'`);
        rejectCallersAutonaming(componentName, name);
        rejectBadArgs(componentName, name, await servedArgProblems(this.parsedSchema, type, inputs));
        // The component's own refusals first (it asks again), so the clouds are asked only about args it takes.
        rejectBadArgs(componentName, name, ARG_PROBLEMS[componentName as keyof typeof COMPONENTS](name, inputs as never));
        rejectBadArgs(componentName, name, await cloudArgProblems(componentName, inputs, options.providers as Record<string, ProviderResource> | undefined));
        const instance = new component(name, inputs as never, options) as unknown as Record<string, unknown> & { urn: ConstructResult["urn"] };
        return { urn: instance.urn, state: Object.fromEntries(outputs.map((output) => [output, instance[output]])) };
    }
}

/**
 * What of the components was made for Pulumi's default names, as a package caller meets it. The deploy roles'
 * delegation and the signing key's policy of deployments/ are not the caller's.
 */
const PACKAGE_AUTONAMING_RELIANCE =
    `the components' name limits are counted for it (components/componentNames.ts: a LambdaEcrPipeline's IAM roles, <name>-pipeline and 7 random characters, within 64; a CloudRunGcsService's Cloud Run service and its "candidate" traffic tag within 46), and a name without a random part is the same in every stack of an account or project, a bucket's in the whole cloud`;

/**
 * Refuses the consuming stack's `pulumi:autonaming` where it changes AWS's or GCP's names, as the program and
 * deployments/ refuse their own (config/autonaming.ts), before anything is registered. The engine names the
 * component's children with the consuming stack's autonaming and sends that stack's config with the construct
 * (pulumi/pulumi pkg/resource/deploy/source_eval.go, constructInfo's Config; pkg/resource/plugin/provider_plugin.go,
 * ConstructRequest.Config), which the SDK's provider server sets as the runtime's config for this construct
 * (sdk/nodejs/provider/server.ts, configureRuntime).
 */
function rejectCallersAutonaming(component: string, name: string): void {
    const problems = autonamingProblems(pulumi.runtime.allConfig(), PACKAGE_AUTONAMING_RELIANCE);
    if (problems.length === 0) return;
    throw new Error(`${component} "${name}" cannot be constructed under the stack's configuration: ${problems.map((p) => `${p.key}: ${p.message}`).join("; ")}`);
}

/** The provider for the package folder `dir` (its package.json and schema.json). */
export function createProvider(dir: string): ComponentProvider {
    return new MulticloudProvider(dir);
}

/** Serves the provider over gRPC as a plugin (`args`: the engine's address); prints its port, as the engine expects. */
export function serve(dir: string, args: string[]): Promise<void> {
    return main(createProvider(dir), args);
}
