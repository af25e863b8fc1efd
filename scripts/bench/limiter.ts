/**
 * The rate limiter's row of `npm run bench` alone (see limiterCost.ts); nothing is written to .bench/results.json.
 *   node scripts/build/run.js scripts/bench/limiter.ts [--rounds 5]
 */
import { parseArgs } from "util";
import { render } from "./figure";
import { limiterCost } from "./limiterCost";
import { timeCommand } from "./processes";

const { values } = parseArgs({ options: { rounds: { type: "string", default: "5" } } });
const rounds = Number(values.rounds);

async function main() {
    if (!Number.isInteger(rounds) || rounds < 3) throw new Error(`--rounds must be a whole number of at least 3 (a median of fewer says little) (got "${values.rounds}")`);
    timeCommand("npm", ["--prefix", "app", "run", "build", "--silent"]);
    const figures = await limiterCost(rounds);
    console.log(render(figures));
    for (const f of figures.filter((f) => f.detail)) console.log(`  ${f.name}: ${f.detail}`);
}

main().catch((err) => {
    console.error(`bench: ${err.message}`);
    process.exit(1);
});
