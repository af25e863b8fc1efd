/**
 * `npm run image -- build <stack>` on a machine with Docker: the one builder besides the image workflow. It builds
 * a tag only when the registry does not have it (tags are pushed once), as one manifest for one platform
 * (Lambda does not run an image index, which BuildKit's default provenance would make), and pushes it.
 */
import { RepositoryTarget, Registries } from "./registries";

/** The `docker buildx build` arguments for one target: the same ones image.yml gives docker/build-push-action. */
export function buildxArguments(context: string, target: RepositoryTarget): string[] {
    return ["buildx", "build", context, "--platform", target.platform, "--provenance=false", "--sbom=false", "--push", "--tag", `${target.repository}:${target.tag}`];
}

/** The targets whose tag the registry does not have. */
export async function missingTargets(targets: RepositoryTarget[], registries: Registries): Promise<RepositoryTarget[]> {
    const missing: RepositoryTarget[] = [];
    for (const target of targets) if (!(await registries.digestOf(target))) missing.push(target);
    return missing;
}

/** `aws_missing=true` and `aws_image=<repository>:<tag>` lines per cloud, for $GITHUB_OUTPUT. */
export function missingLines(missing: RepositoryTarget[]): string[] {
    return (["aws", "gcp"] as const).flatMap((cloud) => {
        const target = missing.find((t) => t.cloud === cloud);
        return [`${cloud}_missing=${target !== undefined}`, `${cloud}_image=${target ? `${target.repository}:${target.tag}` : ""}`];
    });
}

/**
 * `aws_ref=<repository>@<digest>` lines per cloud for the tags the registries hold (empty: not there), for
 * $GITHUB_OUTPUT: what image.yml signs and attests when its own build pushed that digest, and checks otherwise.
 */
export async function presentLines(targets: RepositoryTarget[], registries: Registries): Promise<string[]> {
    const lines: string[] = [];
    for (const cloud of ["aws", "gcp"] as const) {
        const target = targets.find((t) => t.cloud === cloud);
        const digest = target && (await registries.digestOf(target));
        lines.push(`${cloud}_ref=${target && digest ? `${target.repository}@${digest}` : ""}`);
    }
    return lines;
}

export interface Docker {
    /** Why no Docker engine answers here (scripts/image/dockerDaemon.ts), or undefined when one does. */
    engineProblem(): Promise<string | undefined>;
    /** Whether `docker buildx` is there. */
    buildx(): Promise<boolean>;
    login(target: RepositoryTarget): Promise<void>;
    /** Takes the login back out of the client's config. Never throws: says so itself when it cannot. */
    logout(target: RepositoryTarget): Promise<void>;
    run(args: string[]): Promise<void>;
}

export async function buildMissing(context: string, targets: RepositoryTarget[], registries: Registries, docker: Docker, log: (line: string) => void): Promise<{ cloud: string; tag: string; digest: string; built: boolean }[]> {
    const results = [];
    let dockerChecked = false;
    for (const target of targets) {
        const present = await registries.digestOf(target);
        if (present) {
            log(`${target.cloud}: ${target.repository}:${target.tag} is already there (${present}): nothing to build`);
            results.push({ cloud: target.cloud, tag: target.tag, digest: present, built: false });
            continue;
        }
        // Asked once, before the first build: each is a docker process.
        if (!dockerChecked) {
            const engineProblem = await docker.engineProblem();
            if (engineProblem) throw new Error(`${engineProblem}: build where Docker runs, or let image.yml build it`);
            if (!(await docker.buildx())) throw new Error("the docker client here has no buildx plugin (`docker buildx version` fails), which the build runs: install Docker's docker-buildx-plugin, or let image.yml build it");
            dockerChecked = true;
        }
        // The registry token is kept only for the push, whatever becomes of it.
        await docker.login(target);
        try {
            log(`${target.cloud}: building ${target.repository}:${target.tag} for ${target.platform}`);
            await docker.run(buildxArguments(context, target));
        } finally {
            await docker.logout(target);
        }
        const digest = await registries.digestOf(target);
        if (!digest) throw new Error(`${target.repository}:${target.tag} is not in the registry after the push`);
        // Only image.yml signs (docs/images.md): an image pushed here under the tag it would build stops its check.
        log(`${target.cloud}: ${target.repository}:${target.tag} is unsigned: a stack that verifies images (image.verify, prod) refuses it, and image.yml's check of this commit stops at it until it is deleted`);
        results.push({ cloud: target.cloud, tag: target.tag, digest, built: true });
    }
    return results;
}
