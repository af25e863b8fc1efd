import * as fs from "fs";
import * as path from "path";
import * as pulumiservice from "@pulumi/pulumiservice";
import { isProductionStack } from "../config";
import { PACK_NAME } from "../policy/policies";
import { policyPackVersionTag } from "./policyPackVersion";
import { DeploymentsSettings } from "./settings";
import { SERVICE_ROOT } from "./stackTargets";

/** The pack's folder, published as it is (pulumiservice's PolicyPack runs `npm pack` there). */
export const POLICY_DIR = path.join(SERVICE_ROOT, "policy");

/**
 * A config file of policy/config/ as a policy group's config. A file may give a level as a string (`"all":
 * "mandatory"`), which the CLI's file parser takes, but a group's config reaches the CLI through
 * ParsePolicyPackConfigFromAPI, which reads every value as an object and would fail the stack's every preview and
 * `up`: so a string becomes `{ enforcementLevel: <string> }`, the form both take (pulumi/pulumi
 * pkg/resource/analyzer/config.go, parsePolicyPackConfig and ParsePolicyPackConfigFromAPI). `all` sets every rule's
 * level, per-rule entries override it (the provider's PolicyGroupPolicyPackReference `config`).
 */
export function groupConfig(file: string): Record<string, unknown> {
    const raw: Record<string, unknown> = JSON.parse(fs.readFileSync(file, "utf8"));
    return Object.fromEntries(Object.entries(raw).map(([key, value]) => [key, typeof value === "string" ? { enforcementLevel: value } : value]));
}

/**
 * The stacks' policy pack, published to Pulumi Cloud and enforced by policy groups, as Pulumi recommends, so that
 * Deployments' `up` of dev and any `pulumi up` by hand are judged too, not only the runs that pass `--policy-pack`:
 * - the pack, policy/ as it is in this checkout, under a version tag that changes with any file the provider
 *   compares (policyPackVersion.ts); its bundle is brought up to date first, as the CLI would when it starts the
 *   pack, so that the published tarball carries the bundle of its sources and the provider's own start of the pack
 *   (it asks the pack for its policies) changes no file after the tag was taken;
 * - production stacks in a preventative group, policy/config/prod.json as its config (every rule mandatory): their
 *   preview and `up` run it and a violation stops them;
 * - the other deployed stacks (dev) in an audit group with dev.json's config: Pulumi Cloud judges each update's
 *   state and reports, blocking nothing (Pulumi's docs, "Policy Groups");
 * - not the review template nor its review stacks: Deployments names those per pull request, so no group here can
 *   list them, and the one group stacks join by themselves is the organization's default preventative group, which
 *   takes every new stack of every project (see docs/policy.md).
 * The configs stay under policy/: pulumiservice's PolicyGroup update sends a pack only when its name or version tag
 * changed (policy_group.go, v1.3.0), so a config change reaches a group only because it changes the tag.
 * None of it when settings.policyGroups is false.
 */
export function createPolicyGroups(s: DeploymentsSettings, stackResources: Record<string, pulumiservice.Stack>) {
    if (!s.policyGroups) return undefined;
    require(path.join(POLICY_DIR, "packEntry.js")).packEntry(POLICY_DIR);
    const pack = new pulumiservice.PolicyPack("policy-pack", { organization: s.organization, name: PACK_NAME, versionTag: policyPackVersionTag(POLICY_DIR), sourcePath: POLICY_DIR });
    const deployed = Object.keys(s.stacks).filter((stack) => !s.stacks[stack].reviewTemplate);
    const groups = [
        { name: `${s.project}-production`, mode: "preventative", config: "prod.json", stacks: deployed.filter(isProductionStack) },
        { name: `${s.project}-development`, mode: "audit", config: "dev.json", stacks: deployed.filter((stack) => !isProductionStack(stack)) },
    ].filter((g) => g.stacks.length > 0);
    return groups.map(
        (g) =>
            new pulumiservice.PolicyGroup(
                `${g.name}-policy-group`,
                {
                    organizationName: s.organization,
                    name: g.name,
                    entityType: "stacks",
                    mode: g.mode,
                    stacks: g.stacks.map((stack) => ({ name: stack, routingProject: s.project })),
                    policyPacks: [{ name: pack.name, versionTag: pack.versionTag, config: groupConfig(path.join(POLICY_DIR, "config", g.config)) }],
                },
                { dependsOn: g.stacks.map((stack) => stackResources[stack]) },
            ),
    );
}
