import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/stackFile";

/**
 * The user the image's runtime stage names. Cloud Run runs the container as the image's user (Cloud Run Admin API,
 * SecurityContext.runAsUser: "Defaults to user specified in image metadata if unspecified"), and the Lambda base image
 * names none, so without a USER of its own the service ran as root on Cloud Run (Lambda runs its own least-privileged
 * user whatever the image says). The bundles run as nobody in app/tests/asTheRuntimesRunIt.test.ts.
 */
function runtimeStageUser(dockerfile: string): string | undefined {
    const lines = dockerfile.split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
    const lastFrom = lines.map((l) => /^FROM\s/i.test(l)).lastIndexOf(true);
    const users = lines.slice(lastFrom).filter((l) => /^USER\s/i.test(l));
    return users.length ? users[users.length - 1].replace(/^USER\s+/i, "") : undefined;
}

const isRoot = (user: string | undefined) => user === undefined || /^(root|0)(:|$)/.test(user);

describe("the image runs as a non-root user where the runtime takes the image's user (Cloud Run)", () => {
    it("app/Dockerfile's runtime stage names a user other than root", () => {
        const user = runtimeStageUser(fs.readFileSync(path.join(PROJECT_ROOT, "app", "Dockerfile"), "utf8"));
        assert.ok(!isRoot(user), `the runtime stage's user is ${user ?? "unset (root)"}`);
        assert.strictEqual(user, "65534:65534", "nobody, the user the runtimes test runs the bundles as");
    });

    it("reads the last stage only, and the last USER in it", () => {
        assert.strictEqual(runtimeStageUser("FROM a AS build\nUSER 1000\nFROM b\nCMD x\n"), undefined);
        assert.strictEqual(runtimeStageUser("FROM a\nUSER 1000\n# USER 0\nUSER root\n"), "root");
        assert.ok(isRoot("0:0") && isRoot("root") && isRoot(undefined) && !isRoot("65534:65534") && !isRoot("rootless"));
    });
});
