import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";

/**
 * What pulumi-pulumiservice's PolicyPack compares to decide that the pack changed: a sha256 over every file under its
 * sourcePath but the folders named node_modules, .git and .pulumi (at any depth), each file's path, mode and content
 * (provider/pkg/resources/policy_pack.go, hashPolicyPackSource, v1.3.0). Its Diff replaces the pack when that hash
 * differs from the one recorded at the last publish, and a replacement publishes the same versionTag again, which
 * Pulumi Cloud refuses (it holds each tag once: "the next retry hits 409", pulumiapi/policypacks.go PublishPolicyPack).
 * So the tag is derived from the same files: whatever changes the provider's hash changes the tag.
 */
function policyPackSourceHash(dir: string): string {
    const hash = crypto.createHash("sha256");
    const walk = (rel: string) => {
        const names = fs.readdirSync(path.join(dir, rel)).sort();
        for (const name of names) {
            if (name === "node_modules" || name === ".git" || name === ".pulumi") continue;
            const relPath = rel === "" ? name : `${rel}/${name}`;
            const full = path.join(dir, relPath);
            const stat = fs.lstatSync(full);
            hash.update(`${relPath}\0${stat.mode}\0`);
            if (stat.isSymbolicLink()) hash.update(fs.readlinkSync(full));
            else if (stat.isFile()) hash.update(fs.readFileSync(full));
            else if (stat.isDirectory()) walk(relPath);
        }
    };
    walk("");
    return hash.digest("hex");
}

/** The tags Pulumi Cloud takes, as the provider checks them first (policy_pack.go, versionTagRegex, v1.3.0). */
export const VERSION_TAG = /^[a-zA-Z0-9-_.]{1,100}$/;

/**
 * The version tag the pack is published under: policy/package.json's `version` (what @pulumi/policy reports as the
 * pack's version) and the first 12 hex digits of policyPackSourceHash, so each content change is a new version.
 */
export function policyPackVersionTag(dir: string): string {
    const manifest = path.join(dir, "package.json");
    const version: unknown = JSON.parse(fs.readFileSync(manifest, "utf8")).version;
    if (typeof version !== "string" || !/^[0-9A-Za-z.-]+$/.test(version)) throw new Error(`${manifest} has no version of letters, digits, '.' and '-' (got ${JSON.stringify(version)})`);
    const tag = `${version}-${policyPackSourceHash(dir).slice(0, 12)}`;
    if (!VERSION_TAG.test(tag)) throw new Error(`${tag} is not a policy pack version tag Pulumi Cloud takes (${VERSION_TAG})`);
    return tag;
}
