import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { awsPolicies, awsStackPolicies } from "./rules/aws";
import { commonPolicies } from "./rules/common";
import { gcpPolicies } from "./rules/gcp";

/** Every rule of the pack; index.ts serves them, tests call them directly. */
export const resourcePolicies: ResourceValidationPolicy[] = [...awsPolicies, ...gcpPolicies, ...commonPolicies];
export const stackPolicies: StackValidationPolicy[] = [...awsStackPolicies];
export const allPolicies = [...resourcePolicies, ...stackPolicies];
