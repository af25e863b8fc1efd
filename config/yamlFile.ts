import * as fs from "fs";
import * as path from "path";
import { Document, LineCounter, parseDocument } from "yaml";
import { aliasTheCliRefuses } from "./yamlAliases";
import { collectionKeyTheCliRefuses } from "./yamlCollectionKeys";
import { YamlFileKind, scalarKeyTheCliReadsOtherwise } from "./yamlScalarKeys";
import { topThatIsNoMapping } from "./yamlTopMapping";
import { StackFileRefusal } from "./stackFileRefusal";

/** A YAML file as read once: its text, document, line counter, and the document as a value (its one toJS). */
export interface YamlFile {
    text: string;
    document: Document.Parsed;
    lines: LineCounter;
    value: unknown;
}

/**
 * A YAML file read as the Pulumi CLI reads a stack file or Pulumi.yaml (`kind`), refusing, in this order, a file that
 * does not parse, whose aliases or merge keys do not resolve (yamlAliases.ts), with a key that is a sequence or a mapping
 * (yamlCollectionKeys.ts), that the `yaml` package cannot make a value, whose top is no mapping (yamlTopMapping.ts), or
 * with a key that is no text (yamlScalarKeys.ts). Merge keys (`<<: *base`) merge, as Go's yaml.v3 merges them for the
 * Pulumi CLI (gopkg.in/yaml.v3 decode.go, mapping → d.merge; a key written beside `<<` wins, and of a list of maps the
 * first to hold a key wins); YAML 1.2's core schema here would keep `<<` as a key.
 */
export function readYamlFile(file: string, kind: YamlFileKind): YamlFile {
    const text = fs.readFileSync(file, "utf8");
    const lines = new LineCounter();
    const document = parseDocument(text, { merge: true, lineCounter: lines });
    const name = path.basename(file);
    if (document.errors.length > 0) throw new StackFileRefusal(`${name} is not valid YAML: ${document.errors[0].message}`);
    const alias = aliasTheCliRefuses(document, lines);
    if (alias) throw new StackFileRefusal(`${name}: ${alias}`);
    const collectionKey = collectionKeyTheCliRefuses(document, text, lines);
    if (collectionKey) throw new StackFileRefusal(`${name}: ${collectionKey}`);
    let value: unknown;
    try {
        value = document.toJS();
    } catch (err) {
        // What is left is the `yaml` package's guard against a billion laughs: yaml.v3 has its own (decode.go,
        // "yaml: document contains excessive aliasing"), which counts otherwise.
        throw new StackFileRefusal(`${name} cannot be read: ${(err as Error).message} (the offline reader's limit on aliases): write the aliased values out`);
    }
    // The CLI refuses the whole file before it reads any value in it.
    const notAMapping = topThatIsNoMapping(document, text, kind) ?? scalarKeyTheCliReadsOtherwise(document, text, lines, kind);
    if (notAMapping) throw new StackFileRefusal(`${name}: ${notAMapping}`);
    return { text, document, lines, value };
}
