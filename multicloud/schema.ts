/**
 * `npm run schema`: writes the package schema the plugin serves (schema.json) from the SDK's analyzer over the
 * TypeScript, with the secrets marked, and says whether it changed. `npm run schema -- --check` changes nothing
 * and exits 1 when schema.json is not what the analyzer derives now.
 */
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../config/projectRoot";
import { SCHEMA_FILE, analyzeSchema, schemaText } from "./provider";
import { answeredArguments } from "../scripts/build/usage";

/** The package folder, found from the project root: this file also runs bundled under bin/. */
export const PACKAGE_DIR = path.join(projectRoot(), "multicloud");

const USAGE = [
    "usage: npm run schema -- [--check]",
    "  --check   change nothing; exit 1 when multicloud/schema.json is not what the analyzer derives now",
].join("\n");

async function main(args: string[]): Promise<number> {
    const answered = answeredArguments("schema", args, USAGE, { flags: ["--check"] });
    if (answered !== undefined) return answered;
    const file = path.join(PACKAGE_DIR, SCHEMA_FILE);
    const wanted = schemaText(await analyzeSchema(PACKAGE_DIR));
    const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
    const where = path.relative(process.cwd(), file) || file;
    if (current === wanted) {
        console.log(`${where} is up to date`);
        return 0;
    }
    if (args.includes("--check")) {
        console.error(`${where} is ${current === undefined ? "missing" : "out of date"}: run \`npm run schema\` and commit it`);
        return 1;
    }
    fs.writeFileSync(file, wanted);
    console.log(`${where} ${current === undefined ? "written" : "updated"} (${wanted.length} bytes)`);
    return 0;
}

main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: Error) => {
        console.error(`cannot generate the multicloud package schema: ${err.message}`);
        process.exit(1);
    },
);
