import { refuseWhenAny } from "./refusal";

/**
 * deployments/ gives every stack it manages a deployer, an image pipeline and a release in both clouds, and image.yml
 * signs every image with the AWS key: a stack with a cloud turned off would fail there (no gcp:project to grant, no AWS
 * credentials to sign with). Refuses them, naming each file, before anything is deployed.
 */
export function checkBothClouds(disabled: Record<string, ("aws" | "gcp")[]>, project: string): void {
    const problems = Object.entries(disabled)
        .filter(([, clouds]) => clouds.length > 0)
        .map(([stack, clouds]) => `Pulumi.${stack}.yaml turns ${clouds.join(" and ")} off (${clouds.map((c) => `${project}:${c}.enabled: false`).join(", ")}): deployments/ and the workflows deploy, sign and release both clouds of every stack they manage, so deploy a one-cloud stack by hand (pulumi up) and leave it out of settings.stacks`);
    refuseWhenAny("a stack has one cloud only", problems);
}
