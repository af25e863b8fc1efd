import * as fs from "fs";
import * as path from "path";
import { stackFileRegions } from "../config/defaultRegions";
import { projectRoot } from "../config/projectRoot";
import { mergedStackConfig } from "../config/mergedStackConfig";
import { StackFileRefusal } from "../config/stackFileRefusal";
import { gcpProjectProblem } from "./gcpProjectProblem";
import { refuse, refuseWhenAny } from "./refusal";
import type { RegistryAccess } from "./registryAccess";

/** Where a stack of multicloud-service deploys: read from its own stack file, the one source of these values. */
export interface StackTarget {
    awsRegion: string;
    /** The GCP project the stack's resources live in (not the project that holds the identity pool). */
    gcpProject: string;
    gcpRegion: string;
}

/**
 * The service project's folder (the one above deployments/, found by its Pulumi.yaml from there, so that this also
 * works bundled under bin/ by the offline plan).
 */
export const SERVICE_ROOT = projectRoot(path.join(__dirname, ".."));

/** Each stack file read once per run: every check of deployments/ asks the same files for another setting. */
const readStackFiles = new Map<string, Record<string, unknown>>();

/** The headline under which deployments/ stops at a stack file it cannot read (refusal.ts). */
const UNREADABLE_STACK = "deployments/ cannot read a stack of settings.stacks as `pulumi up` of the service would";

/** A stack's file and config, or what keeps deployments/ from reading it as `pulumi up` of the service would. */
type StackRead = { file: string; config: Record<string, unknown>; problem?: undefined } | { file: string; problem: string };

function readStack(stack: string, root: string): StackRead {
    const file = path.join(root, `Pulumi.${stack}.yaml`);
    const read = readStackFiles.get(file);
    if (read) return { file, config: read };
    if (!fs.existsSync(file)) return { file, problem: `there is no stack file ${file} to deploy` };
    try {
        const config = mergedStackConfig(file);
        readStackFiles.set(file, config);
        return { file, config };
    } catch (err) {
        if (!(err instanceof StackFileRefusal)) throw err;
        return { file, problem: err.message };
    }
}

function stackConfig(stack: string, root: string): { file: string; config: Record<string, unknown> } {
    const read = readStack(stack, root);
    if (read.problem !== undefined) refuse(UNREADABLE_STACK, [`settings.stacks.${stack}: ${read.problem}`]);
    return read;
}

/**
 * Reads the file of every stack of settings.stacks before any check asks one for a setting, and stops deployments/
 * naming each that cannot be read, or sets no text gcp:project (gcpProjectProblem.ts), at once, as the settings check
 * names every key: else a run named only the first, and each fix showed the next. A refusal of the Pulumi.yaml they
 * share is named once, with every stack it stops.
 */
export function readServiceStacks(stacks: readonly string[], root = SERVICE_ROOT): void {
    const stacksByProblem = new Map<string, string[]>();
    for (const stack of stacks) {
        const read = readStack(stack, root);
        const problem = read.problem ?? gcpProjectProblem(read.file, read.config["gcp:project"]);
        if (problem !== undefined) stacksByProblem.set(problem, [...(stacksByProblem.get(problem) ?? []), stack]);
    }
    refuseWhenAny(
        UNREADABLE_STACK,
        [...stacksByProblem].map(([problem, named]) => `${named.map((stack) => `settings.stacks.${stack}`).join(", ")}: ${problem}`),
    );
}

/** A project setting of a stack file (`<project>:<key>`, an object), or an empty one when it is not set. */
function projectSetting(config: Record<string, unknown>, project: string, key: "aws" | "gcp" | "image"): Record<string, any> {
    const value = config[`${project}:${key}`];
    return typeof value === "object" && value !== null ? (value as Record<string, any>) : {};
}

/** A stack file's list of IAM members, or none when it is not a list. */
const memberList = (list: unknown): string[] => (Array.isArray(list) ? list.map(String) : []);

/**
 * A stack file's Artifact Registry: another stack's (`<project>:image.registriesOf`), or its own, and the access it
 * grants on it (`<project>:gcp.registryAccess`).
 */
export function stackRegistry(stack: string, project: string, root = SERVICE_ROOT): { registriesOf?: string; access: RegistryAccess } {
    const { config } = stackConfig(stack, root);
    const access: Partial<RegistryAccess> = projectSetting(config, project, "gcp").registryAccess ?? {};
    const registriesOf: unknown = projectSetting(config, project, "image").registriesOf;
    return { ...(typeof registriesOf === "string" ? { registriesOf } : {}), access: { writers: memberList(access.writers), readers: memberList(access.readers) } };
}

/** Who a stack file grants roles/run.invoker on its Cloud Run service (`<project>:gcp.releaseInvokers`). */
export function stackReleaseInvokers(stack: string, project: string, root = SERVICE_ROOT): string[] {
    const { config } = stackConfig(stack, root);
    return memberList(projectSetting(config, project, "gcp").releaseInvokers);
}

/** The workflow a stack file accepts images' provenance from (`<project>:image.verify.workflow`), when it verifies them. */
export function stackImageWorkflow(stack: string, project: string, root = SERVICE_ROOT): string | undefined {
    const { config } = stackConfig(stack, root);
    const workflow: unknown = projectSetting(config, project, "image").verify?.workflow;
    return typeof workflow === "string" ? workflow : undefined;
}

/** The clouds a stack file turns off (`<project>:aws.enabled` / `<project>:gcp.enabled` false). */
export function stackDisabledClouds(stack: string, project: string, root = SERVICE_ROOT): ("aws" | "gcp")[] {
    const { config } = stackConfig(stack, root);
    return (["aws", "gcp"] as const).filter((cloud) => projectSetting(config, project, cloud).enabled === false);
}

/** The key a stack file verifies its images' signatures with (`<project>:image.verify.signingKey`), when it does. */
export function stackSigningKey(stack: string, project: string, root = SERVICE_ROOT): string | undefined {
    const { config } = stackConfig(stack, root);
    const key: unknown = projectSetting(config, project, "image").verify?.signingKey;
    return typeof key === "string" ? key : undefined;
}

/** How long a stack file lets `pulumi up` wait for its image (`<project>:image.waitMinutes`), when it sets it. */
export function stackImageWaitMinutes(stack: string, project: string, root = SERVICE_ROOT): number | undefined {
    const { config } = stackConfig(stack, root);
    const wait: unknown = projectSetting(config, project, "image").waitMinutes;
    return typeof wait === "number" ? wait : undefined;
}

export function stackTarget(stack: string, root = SERVICE_ROOT): StackTarget {
    const { file, config } = stackConfig(stack, root);
    const gcpProject = config["gcp:project"];
    if (typeof gcpProject !== "string") refuse(UNREADABLE_STACK, [`settings.stacks.${stack}: ${gcpProjectProblem(file, gcpProject)}`]);
    const { aws, gcp } = stackFileRegions(config);
    return { awsRegion: aws, gcpProject, gcpRegion: gcp };
}
