import * as fs from "fs";
import * as path from "path";
import { SERVICE_ROOT } from "./stackTargets";

/** The Node.js major the deployments run on: the one every workflow's setup-node installs. */
export const EXECUTOR_NODE_MAJOR = 24;

/**
 * The image Pulumi Deployments runs a stack's operations in: Pulumi's Node.js image at the CLI version in
 * .pulumi.version, the CLI that preview.yml and deploy-prod.yml install. Deployments' default, pulumi/pulumi, follows
 * the newest CLI, so a push would deploy with a CLI no pull request previewed with. Pulumi publishes one image per
 * CLI release and Node.js major (pulumi/pulumi-docker-containers: `pulumi/pulumi-nodejs-<major>:<cli version>`).
 */
export function executorImage(root = SERVICE_ROOT): string {
    return `pulumi/pulumi-nodejs-${EXECUTOR_NODE_MAJOR}:${pinnedCliVersion(root)}`;
}

/** The Pulumi CLI version in the project's .pulumi.version: what deployments, the workflows and the release run. */
export function pinnedCliVersion(root = SERVICE_ROOT): string {
    const file = path.join(root, ".pulumi.version");
    if (!fs.existsSync(file)) throw new Error(`${file} is missing: it names the Pulumi CLI version deployments run (for example 3.270.0)`);
    const version = fs.readFileSync(file, "utf8").trim();
    if (!/^\d+\.\d+\.\d+$/.test(version)) throw new Error(`${file} holds "${version}", not a Pulumi CLI version such as 3.270.0`);
    return version;
}
