/**
 * One seed for every property-based spec (fast-check), so `npm test` checks the same generated cases on every run and
 * a CI run fails only for what changed. FAST_CHECK_SEED=random explores: each property then draws its own seed, and
 * a failure prints it with its counterexample, and FAST_CHECK_SEED=<that seed> replays it.
 */
import * as fc from "fast-check";

const DEFAULT_SEED = 20261207;

const asked = process.env.FAST_CHECK_SEED;
if (asked !== "random") {
    const seed = asked === undefined ? DEFAULT_SEED : Number(asked);
    if (!Number.isSafeInteger(seed)) throw new Error(`FAST_CHECK_SEED must be a whole number or "random" (got ${JSON.stringify(asked)})`);
    fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
}
