import { ProgramRun, runProgram } from "../../scripts/offline/runProgram";
import { sharedPerArgs } from "./shared";

/**
 * A committed stack file's program under mocks, as runProgram(stack) runs it (the file's config, an update, the mock
 * cloud's defaults), once per stack per process: a mocha worker runs many spec files, and each run is about half a
 * second of CPU. For tests that only read what it registered, asked and output; a test that changes the config, the
 * cloud (setup), the environment or the run's records runs its own.
 */
export const committedStackRun: (stack: string) => Promise<ProgramRun> = sharedPerArgs((stack: string) => runProgram(stack));
