import * as iam from "@pulumi/aws/iam";
import * as lambda from "@pulumi/aws/lambda";
import * as pulumi from "@pulumi/pulumi";
import { ALIAS_NAME, LambdaArchitecture, Tags } from "./args";
import { checkReservedConcurrency, warnWhenReservationDiffers } from "./accountConcurrency";
import { AliasRouting } from "./canary";
import { PolicyDocument } from "./iamPolicies";
import { serviceLogGroup } from "./logGroup";
import { createServiceRole } from "./serviceRole";
import { aliasVersionOnceImagePublished } from "./publishedVersion";

export interface PipelineFunctionArgs {
    imageRef: pulumi.Input<string>;
    command: readonly string[];
    architecture: LambdaArchitecture;
    memoryMb: pulumi.Input<number>;
    timeoutSeconds: pulumi.Input<number>;
    reservedConcurrency?: pulumi.Input<number>;
    /** The functions' region, where the account's concurrency limit is read. */
    region: string;
    environment: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** The service's LOG_LEVEL: the lowest level of the function's own log lines that Lambda keeps. */
    logLevel: string;
    retentionDays: number;
    /** CloudWatch Logs' deletion protection on the function's log group (logGroup.ts). */
    logDeletionProtection: boolean;
    accountId: pulumi.Input<string>;
    /** The role's only permissions, given the function's own log group. */
    policy: (logGroupArn: string) => pulumi.Input<PolicyDocument>;
    /** `functionName`: this function's, for a routing that asks Lambda about its versions. */
    routing: (publishedVersion: pulumi.Output<string>, functionName: pulumi.Output<string>) => AliasRouting;
    permissionsBoundary?: string;
    tags: Tags;
}

/**
 * One function of the pipeline: its own log group and role, a version published on every change, and the
 * `live` alias that everything invokes.
 */
export function createPipelineFunction(name: string, args: PipelineFunctionArgs, parent: pulumi.Resource) {
    const opts = { parent };
    const logGroup = serviceLogGroup(name, `/aws/lambda/${name}-`, { retentionDays: args.retentionDays, deletionProtection: args.logDeletionProtection, tags: args.tags }, opts);
    const role = createServiceRole(name, "lambda.amazonaws.com", args, opts);
    const rolePolicy = new iam.RolePolicy(
        name,
        { role: role.id, policy: logGroup.arn.apply((arn) => pulumi.output(args.policy(arn)).apply((doc) => JSON.stringify(doc))) },
        opts,
    );
    const fn = new lambda.Function(
        name,
        {
            packageType: "Image",
            imageUri: args.imageRef,
            imageConfig: { commands: [...args.command] },
            role: role.arn,
            architectures: [args.architecture],
            memorySize: args.memoryMb,
            timeout: args.timeoutSeconds,
            reservedConcurrentExecutions:
                args.reservedConcurrency === undefined ? undefined : pulumi.output(args.reservedConcurrency).apply((r) => checkReservedConcurrency(args.region, r)),
            environment: { variables: args.environment },
            publish: true,
            tracingConfig: { mode: "Active" },
            // With the JSON format Lambda drops the function's own lines below `applicationLogLevel`, read from each
            // line's "level"; unset it is INFO, which would drop dev's debug lines (Lambda developer guide,
            // "Log-level filtering"). Lambda's names are the service's in capitals.
            loggingConfig: { logFormat: "JSON", logGroup: logGroup.name, applicationLogLevel: args.logLevel.toUpperCase() },
            tags: args.tags,
        },
        { parent, dependsOn: [rolePolicy] },
    );
    if (args.reservedConcurrency !== undefined) {
        pulumi.all([fn.name, args.reservedConcurrency, fn.reservedConcurrentExecutions]).apply(([fnName, requested, held]) => warnWhenReservationDiffers(args.region, fnName, requested, held));
    }
    const routing = args.routing(fn.version, fn.name);
    const alias = new lambda.Alias(
        name,
        { name: ALIAS_NAME, functionName: fn.name, functionVersion: aliasVersionOnceImagePublished(fn, args.region, routing), routingConfig: routing.routingConfig },
        opts,
    );
    return { fn, alias, role, logGroup };
}
