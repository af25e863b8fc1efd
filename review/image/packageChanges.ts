/**
 * What changes in the image between base and head: the production packages esbuild bundles into it (app/package-lock.json,
 * lockfile v2/v3 `packages`, dev-only entries left out) and the base images app/Dockerfile's FROM lines name.
 */
export interface PackageChange {
    name: string;
    from?: string;
    to?: string;
    kind: "added" | "removed" | "upgraded" | "downgraded" | "changed";
}

export interface ImageChanges {
    packages: PackageChange[];
    baseImages: { from: string[]; to: string[] } | undefined;
}

/** Production packages of a lockfile: name to its versions (a package may be installed at several). */
export function productionPackages(lockText: string, where = "app/package-lock.json"): Map<string, string[]> {
    let lock: any;
    try {
        lock = JSON.parse(lockText);
    } catch (err) {
        throw new Error(`${where} is not JSON: ${(err as Error).message}`);
    }
    if (typeof lock?.packages !== "object" || lock.packages === null) {
        throw new Error(`${where} has no "packages" (lockfileVersion ${lock?.lockfileVersion ?? "unknown"}): npm 7 or later writes them`);
    }
    const found = new Map<string, Set<string>>();
    for (const [path, entry] of Object.entries<any>(lock.packages)) {
        // `devOptional` is "both a dev dependency and an optional dependency of a non-dev dependency" (npm docs,
        // package-lock.json): a production package may load it, so it counts; `dev` alone is the dev tools'.
        if (!path.includes("node_modules/") || entry.dev === true || entry.link === true) continue;
        const name = entry.name ?? path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length);
        if (typeof entry.version !== "string") continue;
        found.set(name, (found.get(name) ?? new Set()).add(entry.version));
    }
    return new Map([...found].map(([name, versions]) => [name, [...versions].sort(compareVersions)]));
}

/** The images the Dockerfile builds from (a stage named earlier is not an image). */
export function baseImages(dockerfile: string): string[] {
    const stages = new Set<string>();
    const images: string[] = [];
    for (const raw of dockerfile.split("\n")) {
        const match = /^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?\s*$/i.exec(raw);
        if (!match) continue;
        const [, image, stage] = match;
        if (!stages.has(image.toLowerCase()) && !images.includes(image)) images.push(image);
        if (stage) stages.add(stage.toLowerCase());
    }
    return images;
}

export function imageChanges(base: { lock: string; dockerfile: string }, head: { lock: string; dockerfile: string }): ImageChanges {
    const before = productionPackages(base.lock, "the base's app/package-lock.json");
    const after = productionPackages(head.lock, "app/package-lock.json");
    const packages: PackageChange[] = [];
    for (const name of [...new Set([...before.keys(), ...after.keys()])].sort()) {
        const from = before.get(name)?.join(", ");
        const to = after.get(name)?.join(", ");
        if (from === to) continue;
        if (from === undefined) packages.push({ name, to, kind: "added" });
        else if (to === undefined) packages.push({ name, from, kind: "removed" });
        else {
            const order = compareVersions(before.get(name)!.at(-1)!, after.get(name)!.at(-1)!);
            packages.push({ name, from, to, kind: order < 0 ? "upgraded" : order > 0 ? "downgraded" : "changed" });
        }
    }
    const from = baseImages(base.dockerfile);
    const to = baseImages(head.dockerfile);
    return { packages, baseImages: from.join("\n") === to.join("\n") ? undefined : { from, to } };
}

/** Semver order (major.minor.patch, a pre-release before its release); anything else by string. */
export function compareVersions(a: string, b: string): number {
    const parse = (v: string) => /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?/.exec(v);
    const x = parse(a);
    const y = parse(b);
    if (!x || !y) return a.localeCompare(b);
    for (let i = 1; i <= 3; i++) if (Number(x[i]) !== Number(y[i])) return Number(x[i]) - Number(y[i]);
    if (x[4] === y[4]) return 0;
    if (x[4] === undefined) return 1;
    if (y[4] === undefined) return -1;
    return x[4].localeCompare(y[4], "en", { numeric: true });
}
