// @ts-check
/**
 * Preloaded into a pack's runner by the runner spec (`node --require`), to tell which of the pack's files its main
 * loaded: every 100 ms it writes the loaded modules under the pack's folder (not its node_modules) to the file
 * RECORD_LOADS_TO names. The runner never exits on its own, so it writes as it goes rather than at exit.
 */
"use strict";
const fs = require("fs");
const path = require("path");

const out = process.env.RECORD_LOADS_TO;
if (out) {
    const packDir = process.cwd() + path.sep;
    const record = () => {
        const loaded = Object.keys(require.cache).filter((f) => f.startsWith(packDir) && !f.includes(`${path.sep}node_modules${path.sep}`));
        // Written beside it, then renamed over it: the spec reads it at any moment, and a file written in place can
        // be read empty or half written.
        fs.writeFileSync(`${out}.${process.pid}.tmp`, JSON.stringify(loaded.map((f) => path.relative(packDir, f)).sort()));
        fs.renameSync(`${out}.${process.pid}.tmp`, out);
    };
    setInterval(record, 100).unref();
}
