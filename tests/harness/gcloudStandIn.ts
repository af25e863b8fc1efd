import * as fs from "fs";
import * as path from "path";
import { recordedCalls } from "./recordedCalls";
import { scratchDir } from "./tempDirs";

/**
 * A `gcloud` to put first on PATH that records each run and answers as gcloud with no account selected does (exit 1),
 * so a library that runs it (google-auth-library's `gcloud config config-helper`, googleauth.js
 * getDefaultServiceProjectId) finds no project. `runs()`: each run's arguments, in order.
 */
export function gcloudStandIn(): { bin: string; runs: () => string[] } {
    const bin = scratchDir("gcloud-stand-in");
    const spawned = path.join(bin, "spawned");
    fs.writeFileSync(path.join(bin, "gcloud"), `#!/usr/bin/env bash\necho "gcloud $*" >> '${spawned}'\necho "ERROR: (gcloud.config.config-helper) You do not currently have an active account selected." >&2\nexit 1\n`, { mode: 0o755 });
    return { bin, runs: () => recordedCalls(spawned) };
}

/** Every variable google-auth-library reads a project or the metadata server's address from, unset (googleauth.js getProductionProjectId, gcp-metadata). */
export const NO_GOOGLE_PROJECT = { GOOGLE_CLOUD_PROJECT: undefined, GCLOUD_PROJECT: undefined, gcloud_project: undefined, google_cloud_project: undefined, GCE_METADATA_HOST: undefined, GCE_METADATA_IP: undefined, METADATA_SERVER_DETECTION: undefined };
