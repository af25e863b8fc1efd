import { beforeDeadline } from "./beforeDeadline";
import { DependencyFailure } from "./dependencyFailure";
import { isTransient } from "./storage/storageError";

type Failure = new (message: string, transient: boolean, options?: { cause?: unknown }) => DependencyFailure;

/**
 * One call to a dependency, ended by the request's deadline (`signal`) whether or not the SDK underneath noticed:
 * whatever it fails with becomes a `failure`, transient as `transient` says (isTransient by default), and a deadline
 * that passes first is a transient one. `what` starts each message.
 */
export async function dependencyCall<T>(failure: Failure, what: string, signal: AbortSignal | undefined, work: () => Promise<T>, transient: (err: unknown) => boolean = isTransient): Promise<T> {
    try {
        return await beforeDeadline(signal, work, (why) => new failure(`${what}: deadline exceeded (${why})`, true));
    } catch (err) {
        if (err instanceof failure) throw err;
        const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
        throw new failure(`${what}: ${reason}`, transient(err), { cause: err });
    }
}
