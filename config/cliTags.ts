import { Document } from "yaml";
import { cliNumber } from "./cliNumbers";
import { cliTimestampAsRfc3339 } from "./cliTimestamps";
import { visitValueScalars } from "./yamlValueScalars";

/**
 * Scalars whose explicit tag the two readers take differently. yaml.v3 (resolve.go, the deferred check) refuses a
 * !!bool, !!int, !!null or !!float scalar that does not resolve as one ("cannot decode !!str `yes` as a !!bool"), but
 * makes an integer under !!float a float, where the `yaml` package here warns (TAG_RESOLVE_FAILED) and keeps the text;
 * !!binary is base64-decoded to text there (decode.go scalar) and a Buffer here; !!timestamp is Go's time text there.
 */
export function tagsTheCliReadsOtherwise(document: Document, text: string, { binaryAndTimestampsRead = false } = {}): string[] {
    const found: string[] = [];
    const unresolved = document.warnings.filter((w) => w.code === "TAG_RESOLVE_FAILED").map((w) => w.pos[0]);
    visitValueScalars(document, (node, keyPath) => {
        if (!node.tag) return;
        const tagStart = text.lastIndexOf("!!", node.range[0]);
        const end = node.range[1];
        // binaryAndTimestampsRead: the caller reads them as the CLI does (projectConfigScalars.ts); a !!timestamp that
        // is none the CLI refuses ("cannot decode !!str `soon` as a !!timestamp").
        const binary = node.tag === "tag:yaml.org,2002:binary" && !binaryAndTimestampsRead;
        const timestamp = node.tag === "tag:yaml.org,2002:timestamp" && (!binaryAndTimestampsRead || cliTimestampAsRfc3339(node.source ?? "") === undefined);
        const tagged = binary || timestamp || unresolved.some((at) => at >= tagStart && at <= end);
        // A number under a tag (!!float 5, !!int 1_000) is named by numbersTheCliReadsOtherwise with its value.
        if (!tagged || (typeof node.value === "string" && cliNumber(node.value) !== undefined)) return;
        found.push(`${keyPath()} is written ${text.slice(tagStart, node.range[1])}, a tag the Pulumi CLI reads otherwise or refuses: drop the tag, or write !!str for text`);
    });
    return found;
}
