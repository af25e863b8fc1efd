/** The entry point of `npm run release` (package.json), started through scripts/build/run.js. */
import { exitWhenFlushed } from "../scripts/build/exitWhenFlushed";
import { main } from "./main";

main(process.argv.slice(2)).then(exitWhenFlushed);
