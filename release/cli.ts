/** The entry point of `npm run release` (package.json), started through scripts/build/run.js. */
import { main } from "./main";

main(process.argv.slice(2)).then((code) => process.exit(code));
