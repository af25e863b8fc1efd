import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { projectRoot } from "../config/projectRoot";

/** Where a stack of multicloud-service deploys: read from its own stack file, the one source of these values. */
export interface StackTarget {
    awsRegion: string;
    /** The GCP project the stack's resources live in (not the project that holds the identity pool). */
    gcpProject: string;
    gcpRegion: string;
}

const DEFAULTS = { awsRegion: "ap-northeast-1", gcpRegion: "asia-northeast1" };

/**
 * The service project's folder (the one above deployments/, found by its Pulumi.yaml from there, so that this also
 * works bundled under bin/ by the offline plan).
 */
const SERVICE_ROOT = projectRoot(path.join(__dirname, ".."));

export function stackTarget(stack: string, root = SERVICE_ROOT): StackTarget {
    const file = path.join(root, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) throw new Error(`settings.stacks.${stack}: there is no stack file ${file} to deploy`);
    const config = (parse(fs.readFileSync(file, "utf8"))?.config ?? {}) as Record<string, unknown>;
    const gcpProject = config["gcp:project"];
    if (typeof gcpProject !== "string") throw new Error(`settings.stacks.${stack}: ${path.basename(file)} sets no gcp:project, so its deployer has no project to be granted roles in`);
    return {
        awsRegion: typeof config["aws:region"] === "string" ? config["aws:region"] : DEFAULTS.awsRegion,
        gcpProject,
        gcpRegion: typeof config["gcp:region"] === "string" ? config["gcp:region"] : DEFAULTS.gcpRegion,
    };
}
