import { stringify } from "yaml";

/**
 * An ESC environment definition as YAML. ESC's decoder refuses alias nodes ("alias nodes are not supported",
 * pulumi/esc syntax/encoding/yaml.go), and the yaml package writes an object it meets twice as an anchor and an
 * alias (`&a1` ... `*a1`) unless told not to.
 */
export function escYaml(definition: unknown): string {
    return stringify(definition, { aliasDuplicateObjects: false });
}
