import * as path from "path";
import { isSecure } from "../config/secureValue";

// Google's rule for a project ID (Resource Manager's Project.Builder.setProjectId, googleapis java docs: "The ID must be
// 6 to 30 lowercase letters, digits, or hyphens. It must start with a letter. Trailing hyphens are prohibited."), as
// config/schema.ts checks it for the program.
const PROJECT_ID_RULE = "a project ID is 6 to 30 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen";

/**
 * What keeps a stack file's `gcp:project` (as the merged stack config holds it) from naming the project its deployer
 * is granted roles in, or undefined when it is text. A value that is not text the CLI hands the program as its JSON (a
 * number as its digits, a list as `["a","b"]`: config/stackFile.ts fromStackDocument), which no project ID is; a
 * `secure:` one only the service's own stack can decrypt.
 */
export function gcpProjectProblem(file: string, value: unknown): string | undefined {
    if (typeof value === "string") return undefined;
    const stackFile = path.basename(file);
    const noProject = "so its deployer has no project to be granted roles in";
    if (value === undefined || value === null) return `${stackFile} sets no gcp:project, ${noProject}`;
    if (isSecure(value)) {
        return `${stackFile} sets gcp:project as a secret (secure:), which deployments/ cannot decrypt, ${noProject}: a project ID is no secret, set it as text (pulumi config set gcp:project <id>)`;
    }
    return `${stackFile} sets gcp:project to ${JSON.stringify(value)}, which is not a project ID (${PROJECT_ID_RULE}), ${noProject}`;
}
