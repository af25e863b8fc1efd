import * as fs from "fs";
import * as path from "path";
import { Document, LineCounter, parseDocument } from "yaml";
import { aliasTheCliRefuses } from "./yamlAliases";
import { collectionKeyTheCliRefuses } from "./yamlCollectionKeys";
import { StackFileRefusal } from "./stackFileRefusal";

/**
 * A YAML file's text and document (and its line counter), refusing a file that does not parse, whose aliases or merge
 * keys do not resolve (yamlAliases.ts), or with a key that is a sequence or a mapping (yamlCollectionKeys.ts). Merge keys (`<<: *base`) merge, as Go's yaml.v3 merges them for the Pulumi CLI (gopkg.in/yaml.v3
 * decode.go, mapping → d.merge; a key written beside `<<` wins, and of a list of maps the first to hold a key wins);
 * YAML 1.2's core schema here would keep `<<` as a key.
 */
export function readYamlFile(file: string): { text: string; document: Document.Parsed; lines: LineCounter } {
    const text = fs.readFileSync(file, "utf8");
    const lines = new LineCounter();
    const document = parseDocument(text, { merge: true, lineCounter: lines });
    const name = path.basename(file);
    if (document.errors.length > 0) throw new StackFileRefusal(`${name} is not valid YAML: ${document.errors[0].message}`);
    const alias = aliasTheCliRefuses(document, lines);
    if (alias) throw new StackFileRefusal(`${name}: ${alias}`);
    const collectionKey = collectionKeyTheCliRefuses(document, text, lines);
    if (collectionKey) throw new StackFileRefusal(`${name}: ${collectionKey}`);
    try {
        document.toJS();
    } catch (err) {
        // What is left is the `yaml` package's guard against a billion laughs: yaml.v3 has its own (decode.go,
        // "yaml: document contains excessive aliasing"), which counts otherwise.
        throw new StackFileRefusal(`${name} cannot be read: ${(err as Error).message} (the offline reader's limit on aliases): write the aliased values out`);
    }
    return { text, document, lines };
}
