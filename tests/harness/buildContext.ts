import * as fs from "fs";
import * as os from "os";
import * as path from "path";

let context: string | undefined;

/** A minimal image build context, so component tests do not depend on app/. */
export function sampleBuildContext(): string {
    if (!context) {
        context = fs.mkdtempSync(path.join(os.tmpdir(), "sample-service-"));
        fs.writeFileSync(path.join(context, "Dockerfile"), "FROM public.ecr.aws/lambda/nodejs:20\nCOPY api.js worker.js server.js ./\n");
        for (const file of ["api.js", "worker.js", "server.js"]) fs.writeFileSync(path.join(context, file), `// ${file}\n`);
    }
    return context;
}
