/**
 * What `npm run schema` does (multicloud/schema.ts runs it): kept apart from the command's process so a test can
 * run it on another schema file.
 */
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../config/projectRoot";
import { SCHEMA_FILE } from "./schemaFile";
import { answeredArguments } from "../scripts/build/usage";

/** The package folder, found from the project root: this file also runs bundled under bin/. */
export const PACKAGE_DIR = path.join(projectRoot(), "multicloud");

const USAGE = [
    "usage: npm run schema -- [--check]",
    "  --check   change nothing; exit 1 when multicloud/schema.json is not what the analyzer derives now",
].join("\n");

/**
 * `npm run schema [--check]` on `file` (the package's schema.json), against `derived` (the analyzer's text from the
 * package's TypeScript): the command's exit code.
 */
export async function schemaCommand(
    args: string[],
    file: string = path.join(PACKAGE_DIR, SCHEMA_FILE),
    derived: () => Promise<string> = analyzedSchemaText,
): Promise<number> {
    const answered = answeredArguments("schema", args, USAGE, { flags: ["--check"] });
    if (answered !== undefined) return answered;
    const wanted = await derived();
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

/** The analyzer's schema of the package: provider.ts loads the components and the Pulumi SDK (about 0.3 s of CPU), so only here, after the arguments. */
async function analyzedSchemaText(): Promise<string> {
    const { analyzeSchema, schemaText } = await import("./provider");
    return schemaText(await analyzeSchema(PACKAGE_DIR));
}
