import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as pulumi from "@pulumi/pulumi";
import { Tags } from "./args";

export interface ServiceLogGroupArgs {
    retentionDays: number;
    /**
     * CloudWatch Logs' deletion protection (production). Unset it is off (pulumi-aws cloudwatch/logGroup.d.ts: "Defaults
     * to `false`"), and a destroy or a replacement (namePrefix is ForceNew) deletes the group with every line in it,
     * cutting a production stack's `service.retentionDays` short. A group that exists gets it in place
     * (terraform-provider-aws#45298: an update calls PutLogGroupDeletionProtection). Sent as false, not omitted,
     * elsewhere: once on, turning it off "requires explicitly specifying `false` rather than removing this argument".
     */
    deletionProtection: boolean;
    tags: Tags;
}

/** A log group of the service's (a function's or a state machine's), named from `namePrefix`. */
export function serviceLogGroup(name: string, namePrefix: string, args: ServiceLogGroupArgs, opts: pulumi.CustomResourceOptions): cloudwatch.LogGroup {
    return new cloudwatch.LogGroup(name, { namePrefix, retentionInDays: args.retentionDays, deletionProtectionEnabled: args.deletionProtection, tags: args.tags }, opts);
}
