import * as assert from "assert";
import { constants } from "buffer";
import * as fs from "fs";
import * as path from "path";
import type { PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { MAX_STATE_EXPORT_BYTES, withStateExport } from "../../release/stack/stateExport";
import { scratchDir } from "../harness/tempDirs";

/**
 * The bound on what `pulumi stack export` may print, with a stand-in CLI and the bound lowered: past Node's longest
 * string (buffer.constants.MAX_STRING_LENGTH) execFile's exit handler throws a RangeError no caller can catch.
 */
function standInExport(stdout: string): { stack: Stack; pulumi: PulumiCommand } {
    const dir = scratchDir("state-export");
    const command = path.join(dir, "pulumi");
    fs.writeFileSync(path.join(dir, "export.json"), stdout);
    fs.writeFileSync(command, `#!/usr/bin/env bash\ncat '${path.join(dir, "export.json")}'\n`, { mode: 0o755 });
    const stack = { name: "prod", workspace: { workDir: dir, envVars: {} } } as unknown as Stack;
    return { stack, pulumi: { command } as PulumiCommand };
}

const EMPTY_EXPORT = '{"version":3,"deployment":{"pending_operations":[],"pad":""}}';
const padding = (bytes: number) => "x".repeat(bytes - EMPTY_EXPORT.length);
const exportOfLength = (bytes: number) => EMPTY_EXPORT.replace('"pad":""', `"pad":"${padding(bytes)}"`);

describe("pulumi stack export's size", () => {
    it("reads at most Node's longest string by default", () => {
        assert.ok(MAX_STATE_EXPORT_BYTES <= constants.MAX_STRING_LENGTH);
    });

    it("reads an export of exactly the bound", async () => {
        const { stack, pulumi } = standInExport(exportOfLength(100));
        assert.deepStrictEqual(await withStateExport(stack, pulumi, 100).exportState(), { version: 3, deployment: { pending_operations: [], pad: padding(100) } });
    });

    it("refuses an export past the bound, naming the bound and how to look by hand", async () => {
        const { stack, pulumi } = standInExport(exportOfLength(101));
        await assert.rejects(withStateExport(stack, pulumi, 100).exportState(), {
            message: "pulumi stack export --stack prod --non-interactive printed more than 100 bytes, more than this process can read as one string; look for pending creates by hand: pulumi stack export --stack prod --file state.json, then the deployment's pending_operations in state.json",
        });
    });
});
