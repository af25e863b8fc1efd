import * as assert from "assert";
import { FailedUpdate } from "../../scripts/offline/mockCloud";

/** The failure of a run under mocks that the engine would fail, its message matching `message`; its cloud shows what was registered. */
export async function failedUpdate(run: Promise<unknown>, message: RegExp): Promise<FailedUpdate> {
    try {
        await run;
    } catch (err) {
        assert.ok(err instanceof FailedUpdate, `the run failed, but not as an update: ${String(err)}`);
        assert.match(err.message, message);
        return err;
    }
    return assert.fail("the update must fail");
}
