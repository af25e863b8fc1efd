// @ts-check
/**
 * `node scripts/package/checkVersion.js <tag>`: a package tag (`v0.2.0`, what `pulumi package add ...@v0.2.0` names)
 * must be multicloud/package.json's version, and schema.json's. For a package added from git the engine puts the tag's
 * version on the plugin, its schema and SDK (pulumi/pulumi pkg/resource/plugin/provider_plugin.go: overrideVersion for
 * a git plugin), while the same folder added by path (`pulumi package add ./multicloud`) reports package.json's (the
 * SDK's ComponentProvider): without the check one source would carry two versions. Exits 1 naming what to change.
 */
"use strict";
const fs = require("fs");
const path = require("path");

const PACKAGE_DIR = path.resolve(__dirname, "..", "..", "multicloud");

/**
 * @param {string} tag
 * @param {string} dir the package folder
 * @returns {string[]} the problems, none when the tag matches
 */
function versionProblems(tag, dir = PACKAGE_DIR) {
    const match = /^(?:refs\/tags\/)?v(\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?)$/.exec(tag);
    if (!match) return [`${tag} is not a package tag (v<major>.<minor>.<patch>)`];
    const wanted = match[1];
    const read = (/** @type {string} */ file) => JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")).version;
    return ["package.json", "schema.json"]
        .map((file) => [file, read(file)])
        .filter(([, version]) => version !== wanted)
        .map(([file, version]) => `multicloud/${file} says version ${version}, the tag v${wanted}: set "version": "${wanted}" in multicloud/package.json, run \`npm run schema\`, commit, and tag that commit`);
}

if (require.main === module) {
    const [tag] = process.argv.slice(2);
    if (!tag) {
        console.error("usage: node scripts/package/checkVersion.js <tag, e.g. v0.2.0>");
        process.exit(2);
    }
    const problems = versionProblems(tag);
    for (const problem of problems) console.error(problem);
    if (problems.length === 0) console.log(`${tag}: multicloud/package.json and schema.json say the same version`);
    process.exit(problems.length === 0 ? 0 : 1);
}

module.exports = { versionProblems };
