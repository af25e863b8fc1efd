import { ServiceSettings } from "../../components/image";
import * as fs from "fs";
import * as path from "path";
import { scratchDir } from "./tempDirs";

let context: string | undefined;

/** A minimal image build context, so component tests do not depend on app/. */
export function sampleBuildContext(): string {
    if (!context) {
        context = scratchDir("sample-service");
        fs.writeFileSync(path.join(context, "Dockerfile"), "FROM public.ecr.aws/lambda/nodejs:20\nCOPY api.js worker.js server.js ./\n");
        for (const file of ["api.js", "worker.js", "server.js"]) fs.writeFileSync(path.join(context, file), `// ${file}\n`);
    }
    return context;
}

/** The service settings of the dev and prod stack files, as components receive them. */
export function stackServiceSettings(stack: "dev" | "prod"): ServiceSettings {
    const prod = stack === "prod";
    return {
        cacheMaxEntries: prod ? 50000 : 10000,
        cacheTtlSeconds: prod ? 7200 : 3600,
        batchSize: prod ? 500 : 100,
        retentionDays: prod ? 90 : 30,
        adminFeatures: !prod,
        debug: !prod,
        logLevel: prod ? "info" : "debug",
    };
}
