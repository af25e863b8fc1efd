import * as path from "path";
import { numbersTheCliReadsOtherwise } from "./cliNumbers";
import { readYamlFile } from "./yamlFile";

/**
 * A stack file's `config:` entries as YAML values (objects stay objects), refusing a file that does not parse or that
 * holds a number the Pulumi CLI reads otherwise (config/cliNumbers.ts).
 */
export function readStackConfigEntries(file: string): Record<string, unknown> {
    const { text, document: parsed } = readYamlFile(file);
    const misread = numbersTheCliReadsOtherwise(parsed, text);
    if (misread.length > 0) throw new Error(`${path.basename(file)}: ${misread.join("; ")}`);
    const document = parsed.toJS() as { config?: Record<string, unknown> } | null;
    return document?.config ?? {};
}
