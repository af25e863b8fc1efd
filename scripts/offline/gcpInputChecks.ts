import type { InputCheck } from "./inputChecks";

/** The gcp provider checks the program's resources meet (inputChecks.ts); each beside its source. */
export const GCP_INPUT_CHECKS: InputCheck[] = [];
