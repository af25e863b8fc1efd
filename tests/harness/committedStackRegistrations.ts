import { engineRegistrations, Registration } from "./engineUrns";
import { sharedPerArgs } from "./shared";

/**
 * A committed stack file's registrations as the engine would key them (engineRegistrations(stack): program.js and the
 * stack file), once per stack per process, as committedStackRun is for the mock cloud's records: several spec files
 * read dev's and prod's URNs, and a mocha worker runs many of them. For tests that only read them; a test with another
 * program, project or stack file runs its own.
 */
export const committedStackRegistrations: (stack: string) => Promise<Registration[]> = sharedPerArgs((stack: string) => engineRegistrations(stack));
