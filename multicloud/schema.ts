/**
 * `npm run schema`: writes the package schema the plugin serves (schema.json) from the SDK's analyzer over the
 * TypeScript, with the secrets marked, and says whether it changed. `npm run schema -- --check` changes nothing
 * and exits 1 when schema.json is not what the analyzer derives now.
 */
import { schemaCommand } from "./schemaCommand";

schemaCommand(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: Error) => {
        console.error(`cannot generate the multicloud package schema: ${err.message}`);
        process.exit(1);
    },
);
