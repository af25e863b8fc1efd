import * as fs from "fs";
import * as path from "path";
import { scratchDir } from "./tempDirs";

/** A `docker` first on PATH that runs `script` (bash), for the answers a real client gives that this machine cannot. */
export function dockerStandIn(script: string): NodeJS.ProcessEnv {
    const bin = scratchDir("docker-stand-in");
    fs.writeFileSync(path.join(bin, "docker"), `#!/usr/bin/env bash\n${script}\n`, { mode: 0o755 });
    return { ...process.env, PATH: `${bin}:${process.env.PATH}` };
}
