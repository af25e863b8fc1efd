/** Where the pipeline worker writes what it found about `key`: `results/<key>.json`. */
export const RESULTS_PREFIX = "results/";
const RESULTS_SUFFIX = ".json";

export const resultKeyFor = (key: string) => `${RESULTS_PREFIX}${key}${RESULTS_SUFFIX}`;

/** Bytes a result key adds to the key it is about. */
export const RESULT_KEY_OVERHEAD_BYTES = Buffer.byteLength(RESULTS_PREFIX) + Buffer.byteLength(RESULTS_SUFFIX);
