import * as assert from "assert";
import * as path from "path";
import { PROJECT_ROOT, readStackFile, readStackFileAt } from "../../config/stackFile";
import { FAKE_BEARER, FAKE_ECR_PASSWORD } from "../../scripts/offline/fakeOciRegistryApi";
import { isWireSecret } from "../../scripts/offline/registeredInputs";
import { DEPLOYMENTS_PROJECT } from "../deployments/deploymentsPlan";
import { engineState, EngineRun } from "../harness/engineUrns";

/**
 * Every input and output of a resource, and every stack output, is in the stack's state, which whoever reads the stack
 * (a `pulumi stack export`, a Deployments log, a preview's review comment) sees in the clear unless it is a secret.
 * So a secret's value may reach them only as a secret, whatever path it took there.
 */

/** What stands for databaseUrl, set with --secret, in dev and prod. */
const DATABASE_URL = "postgres://sentinel-user:sentinel-database-password@db.internal:5432/app";

/** Secrets the program reads outside Pulumi's outputs: the registry logins (the offline registry's) and the GCP provider's access token (scripts/offline/mockCloud.ts, getClientConfig). */
const READ_SECRETS = [FAKE_ECR_PASSWORD, FAKE_BEARER, "offline-gcp-access-token"];

const withDatabaseUrl = (stack: string): EngineRun => {
    const { config, secretKeys } = readStackFile(stack);
    return { stackFile: { config: { ...config, "multicloud-service:databaseUrl": DATABASE_URL }, secretKeys: [...secretKeys, "multicloud-service:databaseUrl"] } };
};

const STACKS: Record<string, () => EngineRun> = {
    dev: () => withDatabaseUrl("dev"),
    prod: () => withDatabaseUrl("prod"),
    "deployments/main": () => ({
        program: require("../../deployments/index"),
        project: DEPLOYMENTS_PROJECT,
        stackFile: readStackFileAt(path.join(PROJECT_ROOT, "deployments", "Pulumi.main.yaml")),
    }),
};

/** Every string in a value in the wire form (a string asset's text too), with its path, each marked by whether it sits inside a secret. */
function stringsIn(value: unknown, at: string, secret = false): { at: string; text: string; secret: boolean }[] {
    if (typeof value === "string") return [{ at, text: value, secret }];
    if (typeof value !== "object" || value === null) return [];
    if (isWireSecret(value)) return stringsIn(value.value, at, true);
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    return entries.flatMap(([k, v]) => stringsIn(v, `${at}.${k}`, secret));
}

describe("the state holds secrets only as secrets", function () {
    this.timeout(600_000);

    for (const [stack, run] of Object.entries(STACKS)) {
        it(`${stack}: no resource input or output, and no stack output, holds a secret's value in the clear`, async () => {
            const given = run();
            const { registrations, stackOutputs } = await engineState(stack.split("/").pop()!, given);
            const inputs = [...registrations.flatMap((r) => stringsIn(r.wire.inputs, `${r.urn} input`)), ...stringsIn(stackOutputs, "stack output")];
            const outputs = registrations.flatMap((r) => stringsIn(r.wire.outputs, `${r.urn} output`));
            // A secret string among the outputs; a secret object's strings are not all secrets (the mocks echo inputs as
            // the SDK hands them over, a whole property secret when anything in it is).
            const secretOutputs = registrations.flatMap((r) => Object.values(r.wire.outputs)).filter(isWireSecret).map((s) => s.value).filter((v): v is string => typeof v === "string");
            const secretConfig = given.stackFile!.secretKeys.map((key) => given.stackFile!.config[key]);
            // An output the engine keeps as a secret (a random password's result, a team token's value) is a secret wherever it goes.
            const secrets = [...new Set([...secretConfig, ...READ_SECRETS, ...secretOutputs])].filter((s) => s.length >= 8);
            assert.ok(stack.startsWith("deployments") || secrets.includes(DATABASE_URL));
            const leaks = [...inputs, ...outputs].filter((s) => !s.secret && secrets.some((secret) => s.text.includes(secret))).map((s) => s.at);
            assert.deepStrictEqual(leaks, [], `secrets in plaintext in ${stack}'s state`);
        });
    }
});
