import type { InputCheck } from "./inputChecks";

/** The aws provider checks the program's resources meet (inputChecks.ts); each beside its source. */
export const AWS_INPUT_CHECKS: InputCheck[] = [];
