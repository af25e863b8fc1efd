import * as fs from "fs";
import * as path from "path";
import { Document, parseDocument } from "yaml";
import { StackFileRefusal } from "./stackFileRefusal";

/**
 * A YAML file's text and document, refusing a file that does not parse. Merge keys (`<<: *base`) merge, as Go's
 * yaml.v3 merges them for the Pulumi CLI (gopkg.in/yaml.v3 decode.go, mapping → d.merge; a key written beside `<<` wins,
 * and of a list of maps the first to hold a key wins); YAML 1.2's core schema here would keep `<<` as a key.
 */
export function readYamlFile(file: string): { text: string; document: Document.Parsed } {
    const text = fs.readFileSync(file, "utf8");
    const document = parseDocument(text, { merge: true });
    if (document.errors.length > 0) throw new StackFileRefusal(`${path.basename(file)} is not valid YAML: ${document.errors[0].message}`);
    return { text, document };
}
