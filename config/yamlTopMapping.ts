import { Document, isMap, isScalar, isSeq } from "yaml";
import { YamlFileKind, goValueOf } from "./yamlScalarKeys";

/**
 * A file whose top is no mapping (`- a`, `abc`, `5`), which the Pulumi CLI refuses, in its words; undefined when it is
 * a mapping, or empty (the CLI reads an empty stack file as no config). pulumi/pulumi sdk/go/common/workspace/
 * project.go SimplifyMarshalledProject: "expected project to be an object, was '%T'", returned bare for a stack file
 * (loaders.go LoadProjectStackBytes) and under "could not validate '<path>': " for Pulumi.yaml (LoadProjectBytes,
 * ValidateProject). %T of what yaml.v3 decodes into interface{} (decode.go): []interface {}, string, int, bool, float64.
 */
export function topThatIsNoMapping(document: Document.Parsed, text: string, kind: YamlFileKind): string | undefined {
    const top = document.contents;
    if (top === null || isMap(top) || (isScalar(top) && top.value === null)) return undefined;
    const goType = isSeq(top) ? "[]interface {}" : isScalar(top) ? (goValueOf(top, text)?.type ?? "string") : "…";
    const cli = `${kind === "Pulumi.yaml" ? "could not validate 'Pulumi.yaml': " : ""}expected project to be an object, was '${goType}'`;
    return `its top is ${isSeq(top) ? "a sequence" : `the scalar ${top.source ?? String(top)}`}, not a mapping (the Pulumi CLI: "${cli}"): write it as key: value lines${kind === "stack file" ? " (config: and its settings)" : ""}`;
}

