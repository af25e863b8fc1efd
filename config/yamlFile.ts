import * as fs from "fs";
import * as path from "path";
import { Document, parseDocument } from "yaml";

/** A YAML file's text and document, refusing a file that does not parse. */
export function readYamlFile(file: string): { text: string; document: Document.Parsed } {
    const text = fs.readFileSync(file, "utf8");
    const document = parseDocument(text);
    if (document.errors.length > 0) throw new Error(`${path.basename(file)} is not valid YAML: ${document.errors[0].message}`);
    return { text, document };
}
