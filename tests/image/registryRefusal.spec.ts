import * as assert from "assert";
import { generateKeyPairSync } from "crypto";
import { signatureProblem } from "../../components/image/cosignSignature";
import { RegistryRefusal } from "../../components/image/ociRegistry";
import { checkingCloudRunImage } from "../../components/gcp/cloudRunImagePlatform";
import { prebuiltRepositoryWith } from "../../components/gcp/imageRegistry";
import { perRun } from "../../components/perRun";

const HOST = "europe-west1-docker.pkg.dev";
const CHALLENGE = (name: string) => `Bearer realm="https://${HOST}/v2/token",service="${HOST}",scope="repository:${name}:pull"`;
const errors = (status: number, code: string, message: string, headers: Record<string, string> = {}) => Response.json({ errors: [{ code, message }] }, { status, headers });

/**
 * Artifact Registry's Docker endpoint as a pull meets it: the manifest asks for a Bearer login, and the token
 * endpoint answers `token` (distribution-spec "Error Codes"; distribution/distribution registry/api/errcode
 * register.go: TOOMANYREQUESTS "too many requests" 429, UNAVAILABLE "service unavailable" 503; the DENIED words are
 * Artifact Registry's, as fakeOciRegistryApi.ts quotes them). `token` may also throw (the host not reached).
 */
function registry(name: string, token: () => Response) {
    const asked: string[] = [];
    const fetch = async (input: string | URL) => {
        const url = new URL(String(input));
        asked.push(url.pathname);
        if (url.pathname === "/v2/token") return token();
        return errors(401, "UNAUTHORIZED", "authentication required", { "www-authenticate": CHALLENGE(name) });
    };
    return { asked, fetch };
}

// One run's askers of a prebuilt image: the program's check, then the component's (prebuiltImageChecks.ts, cloudRunGcsService.ts).
async function askTwice(name: string, digestChar: string): Promise<string[]> {
    const warnings: string[] = [];
    const image = `${HOST}/${name}@sha256:${digestChar.repeat(64)}`;
    const repositoryAt = prebuiltRepositoryWith(Promise.resolve("ya29.deployer-access-token"));
    await checkingCloudRunImage(image, repositoryAt, (m) => warnings.push(m));
    await checkingCloudRunImage(image, repositoryAt, (m) => warnings.push(m));
    return warnings;
}

describe("a refusal lasts the run; a failure to reach, or a busy answer, is asked again", () => {
    const realFetch = globalThis.fetch;
    afterEach(() => {
        globalThis.fetch = realFetch;
    });

    it("a registry's 403 DENIED is asked once, and each asker still hears it", async () => {
        const name = "ci-images-project/private/service";
        const denied = registry(name, () => errors(403, "DENIED", `Permission "artifactregistry.repositories.downloadArtifacts" denied on resource "projects/ci-images-project/locations/europe-west1/repositories/private" (or it may not exist)`));
        globalThis.fetch = denied.fetch as typeof fetch;
        const warnings = await askTwice(name, "1");
        assert.deepStrictEqual(denied.asked, [`/v2/${name}/manifests/sha256:${"1".repeat(64)}`, "/v2/token"]);
        assert.strictEqual(warnings.length, 2);
        for (const w of warnings) assert.match(w, /refused a pull token for ci-images-project\/private\/service: HTTP 403 DENIED/);
    });

    // With image.verify the signature's and attestations' reads follow the manifest's, each with its own login flow.
    // Before, each asked the token endpoint again what it had refused (2 here).
    it("a refused pull token is asked once per repository and login (a run's; here, outside one, the process's); another login asks for its own", async () => {
        const name = "ci-images-project/refused-once/service";
        const digest = `sha256:${"3".repeat(64)}`;
        const denied = registry(name, () => errors(403, "DENIED", `Permission "artifactregistry.repositories.downloadArtifacts" denied on resource "projects/ci-images-project/locations/europe-west1/repositories/refused-once" (or it may not exist)`));
        globalThis.fetch = denied.fetch as typeof fetch;
        const tokenAsks = () => denied.asked.filter((p) => p === "/v2/token").length;
        const key = generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey;
        const refusal = { name: "RegistryRefusal", message: /refused a pull token for ci-images-project\/refused-once\/service: HTTP 403 DENIED/ };
        const repositoryAt = prebuiltRepositoryWith(Promise.resolve("ya29.deployer-access-token"));
        const warnings: string[] = [];
        await checkingCloudRunImage(`${HOST}/${name}@${digest}`, repositoryAt, (m) => warnings.push(m));
        assert.match(warnings.join("\n"), refusal.message);
        await assert.rejects(signatureProblem(await repositoryAt(HOST, name), digest, key), (err) => err instanceof RegistryRefusal && refusal.message.test(err.message));
        assert.strictEqual(tokenAsks(), 1, denied.asked.join("\n"));
        const anotherLogin = prebuiltRepositoryWith(Promise.resolve("ya29.another-identity"));
        await assert.rejects(signatureProblem(await anotherLogin(HOST, name), digest, key), refusal);
        assert.strictEqual(tokenAsks(), 2, denied.asked.join("\n"));
    });

    for (const [what, token] of [
        ["429 TOOMANYREQUESTS", () => errors(429, "TOOMANYREQUESTS", "too many requests")],
        ["503 UNAVAILABLE", () => errors(503, "UNAVAILABLE", "service unavailable")],
        // Node's fetch for a refused connection: TypeError "fetch failed", the system's error its cause (unansweredCalls.spec.ts).
        ["a host not reached", () => { throw new TypeError("fetch failed", { cause: Object.assign(new Error(`connect ECONNREFUSED 127.0.0.1:443`), { code: "ECONNREFUSED", syscall: "connect" }) }); }],
    ] as [string, () => Response][]) {
        it(`${what} is asked again by the next asker`, async () => {
            const name = `ci-images-project/busy-${what.split(" ")[0]}/service`;
            const busy = registry(name, token);
            globalThis.fetch = busy.fetch as typeof fetch;
            await askTwice(name, "2");
            assert.strictEqual(busy.asked.filter((p) => p === "/v2/token").length, 2, busy.asked.join("\n"));
        });
    }

    it("AWS's AccessDeniedException is kept; its ServerException and ThrottlingException are not", async () => {
        const cache = perRun<string>();
        for (const [name, times] of [["AccessDeniedException", 1], ["ServerException", 2], ["ThrottlingException", 2]] as const) {
            let reads = 0;
            const read = async () => {
                reads++;
                throw Object.assign(new Error(`${name} from the SDK`), { name });
            };
            await assert.rejects(cache(`refusal-spec/${name}`, read), { name });
            await assert.rejects(cache(`refusal-spec/${name}`, read), { name });
            assert.strictEqual(reads, times, name);
        }
    });
});
