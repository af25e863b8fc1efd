// @ts-check
/**
 * `npm test`: every check, in two stages. First the type-checks and the service's bundles beside the program's
 * mocha suite (two cores; none of them measures time), each check's output held and printed whole when it ends;
 * then the service's own tests alone, because they assert on deadlines and latencies a loaded machine would blur.
 * Exits non-zero naming every check that failed.
 */
"use strict";
const { spawn } = require("child_process");
const path = require("path");

const ROOT = path.resolve(__dirname, "..", "..");
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";

/**
 * Stages run one after another; the lanes of a stage run side by side, each lane's checks in order.
 * @type {{ name: string, args: string[] }[][][]}
 */
const STAGES = [
    [
        [
            { name: "typecheck", args: ["run", "--silent", "typecheck"] },
            { name: "service: typecheck and bundles (app/)", args: ["--prefix", "app", "run", "--silent", "test:prepare"] },
        ],
        [{ name: "program tests (mocha)", args: ["run", "--silent", "test:program"] }],
    ],
    [[{ name: "service tests (app/, Node 24)", args: ["--prefix", "app", "run", "--silent", "test:run"] }]],
];

/**
 * @param {{ name: string, args: string[] }} check
 * @param {boolean} streamed print as it comes (a stage of one) rather than all at the end
 * @returns {Promise<{ name: string, ok: boolean, seconds: number }>}
 */
function run(check, streamed) {
    const started = Date.now();
    console.log(`▶ ${check.name}: started`);
    return new Promise((resolve) => {
        const child = spawn(NPM, check.args, { cwd: ROOT, stdio: streamed ? "inherit" : ["ignore", "pipe", "pipe"] });
        /** @type {Buffer[]} */
        const output = [];
        child.stdout?.on("data", (d) => output.push(d));
        child.stderr?.on("data", (d) => output.push(d));
        child.on("close", (code, signal) => {
            const seconds = (Date.now() - started) / 1000;
            const ok = code === 0;
            if (!streamed) process.stdout.write(Buffer.concat(output));
            console.log(`${ok ? "✔" : "✘"} ${check.name}: ${ok ? "passed" : `failed (${signal ?? `exit ${code}`})`} in ${seconds.toFixed(1)} s`);
            resolve({ name: check.name, ok, seconds });
        });
    });
}

async function main() {
    const started = Date.now();
    /** @type {string[]} */
    const failed = [];
    for (const lanes of STAGES) {
        const streamed = lanes.length === 1;
        await Promise.all(
            lanes.map(async (lane) => {
                for (const check of lane) {
                    const result = await run(check, streamed);
                    if (!result.ok) {
                        failed.push(result.name);
                        return;
                    }
                }
            }),
        );
        if (failed.length > 0) break;
    }
    const total = ((Date.now() - started) / 1000).toFixed(1);
    if (failed.length > 0) {
        console.log(`npm test failed in ${total} s: ${failed.join(", ")}`);
        process.exit(1);
    }
    console.log(`npm test passed in ${total} s`);
}

main();
