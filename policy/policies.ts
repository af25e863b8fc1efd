import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { awsPolicies, awsStackPolicies } from "./rules/aws";
import { commonPolicies } from "./rules/common";
import { gcpPolicies } from "./rules/gcp";

/**
 * The pack's name, as the engine's policy events carry it (`policyPackName`); review/ reads it, with each rule's
 * description, to tell this pack's findings from other packs'.
 */
export const PACK_NAME = "multicloud-service";

/** Every rule of the pack; index.ts serves them, tests call them directly. */
export const resourcePolicies: ResourceValidationPolicy[] = [...awsPolicies, ...gcpPolicies, ...commonPolicies];
export const stackPolicies: StackValidationPolicy[] = [...awsStackPolicies];
export const allPolicies = [...resourcePolicies, ...stackPolicies];
