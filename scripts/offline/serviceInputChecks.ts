import type { InputCheck } from "./inputChecks";

/** The service provider checks the program's resources meet (inputChecks.ts); each beside its source. */
export const SERVICE_INPUT_CHECKS: InputCheck[] = [];
