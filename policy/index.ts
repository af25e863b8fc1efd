/**
 * The CrossGuard pack: `pulumi preview --policy-pack policy --policy-pack-config policy/config/<stack>.json`.
 * Advisory by default; the prod config makes every rule mandatory and says which environment it is.
 */
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, allPolicies } from "./policies";

new PolicyPack(PACK_NAME, { enforcementLevel: "advisory", policies: allPolicies });
