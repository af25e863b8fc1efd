import * as assert from "assert";
import { ADMIN_TOKEN_REFRESH_MS } from "../../app/src/adminToken";
import { committedStackRegistrations } from "../harness/committedStackRegistrations";
import { readProjectFile } from "./docReferences";

const LEAD = "**Replacing a secret.**";

/** README's paragraph on replacing the stacks' secrets, from its bold lead-in to the next heading. */
function rotationParagraph(): string {
    const readme = readProjectFile("README.md");
    const start = readme.indexOf(LEAD);
    assert.ok(start >= 0, `README.md has no paragraph "${LEAD}": how to replace databaseUrl and a leaked admin token, and how long the old one works`);
    const end = readme.indexOf("\n#", start);
    return readme.slice(start, end < 0 ? undefined : end);
}

describe("README: replacing a secret", function () {
    this.timeout(120_000);

    it("the --replace the README gives for a leaked admin token names every generated token of a stack with admin on (dev), and nothing else", async () => {
        const text = rotationParagraph();
        const named = [...text.matchAll(/--replace '([^']+)'/g)].map((m) => m[1].replace("<stack>", "dev"));
        const tokens = (await committedStackRegistrations("dev")).filter((r) => r.type === "random:index/randomPassword:RandomPassword").map((r) => r.urn);
        assert.ok(tokens.length >= 2, `dev generates a token per cloud: ${tokens.join(", ")}`);
        // Replacing the SecretVersion instead would store the same token again; only a new password makes a new token.
        assert.deepStrictEqual([...named].sort(), [...tokens].sort());
    });

    it("says for how long a warm Lambda environment still accepts the replaced token, as the service's re-read interval", () => {
        const minutes = ADMIN_TOKEN_REFRESH_MS / 60_000;
        assert.match(rotationParagraph(), new RegExp(`up to ${minutes} minutes`));
    });

    // app/src/adminToken.ts reads the secret lazily (keptFor): nothing at start, the first admin request, then again
    // once the kept value is older than ADMIN_TOKEN_REFRESH_MS.
    it("the diagram's Secrets Manager edge says when the API reads the token: at its first admin request, then again after the re-read interval", () => {
        const minutes = ADMIN_TOKEN_REFRESH_MS / 60_000;
        const edge = readProjectFile("README.md")
            .split("\n")
            .find((line) => /^\s*asm\s+--/.test(line));
        assert.ok(edge, "README.md's diagram has no edge from the Secrets Manager node (asm) to the API");
        assert.match(edge, new RegExp(`first admin request, again after ${minutes} min\\b`), `README.md's diagram: ${edge.trim()}`);
    });
});
