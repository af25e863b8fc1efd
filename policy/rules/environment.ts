import { ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";

/** Config every environment-aware rule accepts (see policy/config/<stack>.json). */
export const environmentConfigSchema = {
    properties: {
        environment: { type: "string" as const, default: "prod" },
        allowPublicCloudRun: { type: "boolean" as const, default: false },
    },
};

export interface EnvironmentConfig {
    environment: string;
    allowPublicCloudRun: boolean;
}

/** Production unless the pack config names another environment: the strict reading is the default. */
export function isProduction(args: Pick<ResourceValidationArgs | StackValidationArgs, "getConfig">): boolean {
    const { environment } = args.getConfig<Partial<EnvironmentConfig>>();
    return /^prod(uction)?([-_.].*)?$/i.test(environment ?? "prod");
}

export function allowsPublicCloudRun(args: Pick<ResourceValidationArgs, "getConfig">): boolean {
    return args.getConfig<Partial<EnvironmentConfig>>().allowPublicCloudRun === true;
}
