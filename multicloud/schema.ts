/**
 * `npm run schema`: prints the package schema as JSON, from the provider the plugin serves (createProvider: the
 * SDK's analyzer over index.ts, then the secret markings), so what it prints is what `pulumi package add` gets.
 */
import * as path from "path";
import { projectRoot } from "../config/projectRoot";
import { createProvider } from "./provider";

/** The package folder, found from the project root: this file also runs bundled under bin/. */
export const PACKAGE_DIR = path.join(projectRoot(), "multicloud");

createProvider(PACKAGE_DIR)
    .getSchema()
    .then((schema) => process.stdout.write(`${JSON.stringify(JSON.parse(schema), null, 2)}\n`))
    .catch((err: Error) => {
        console.error(`cannot generate the multicloud package schema: ${err.message}`);
        process.exit(1);
    });
