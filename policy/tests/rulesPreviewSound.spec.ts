import * as assert from "assert";
import * as fc from "fast-check";
import { RecordedResource } from "../../scripts/offline/mockCloud";
import { isWireSecret } from "../../scripts/offline/registeredInputs";
import { pathsOf } from "../../tests/harness/hostileJson";
import { REQUIRED_TAGS } from "../rules/common";
import { PackConfig, Violation, checkConformance } from "./conformance";
import { BASELINES, PACK_CONFIGS, TAGS, UNKNOWN, WORDS, hostileValues, planted, plantings, recorded, recordedStack, s3Stacks, saysNotWords } from "./hostileResources";

/**
 * Soundness of a preview: a finding the pack reports while some values are not known yet must be reported by every
 * completion of those values, since a mandatory finding fails the pull request's preview and a false one blocks people.
 * Each case: a resource (or the S3 stack) with hostile known values, its "preview" copy with some of them unknown, and
 * completions: the original values, and twice each unknown replaced by another value of the same kind. The SDK's
 * "can't run policy ... during preview" advisory is not a finding (it says what waits).
 */

const RUNS = 80;
const SEED = 20;
const { tree, hostile } = hostileValues({ unknowns: false });

type Path = (string | number)[];
const at = (value: unknown, path: Path): unknown => path.reduce<any>((v, k) => v?.[k], value);
/** Where a value may be unknown: any value, not a secret's signature (a secret whose value is unknown is at `.value`). */
const unknowablePaths = (value: unknown): Path[] => pathsOf(value).filter((p) => p.length > 0 && (!isWireSecret(at(value, p.slice(0, -1))) || p.at(-1) === "value"));

/** Another value of the same kind as `value`: what an output of that type could turn out to be. */
const sameKind = (value: unknown): fc.Arbitrary<unknown> =>
    value === null ? fc.constant(null)
    : typeof value === "boolean" ? fc.boolean()
    : typeof value === "number" ? fc.integer({ min: -2, max: 40 })
    : typeof value === "string" ? fc.oneof(fc.constantFrom(...WORDS), fc.string({ maxLength: 6 }))
    : tree;

const isWithin = (inner: Path, outer: Path) => inner.length > outer.length && outer.every((k, i) => inner[i] === k);
/** The chosen paths less those inside another chosen one: an unknown value has no known parts. */
const outermost = (paths: Path[]) => paths.filter((p) => !paths.some((q) => isWithin(p, q)));

/** Some of `props`'s values unknown, and two other completions of them. */
const withUnknowns = <T>(props: T, paths: Path[]) =>
    fc.uniqueArray(fc.constantFrom(...paths), { minLength: 1, maxLength: 3, selector: (p) => JSON.stringify(p) }).map(outermost).chain((unknown) =>
        fc.tuple(...[0, 1].map(() => fc.tuple(...unknown.map((p) => sameKind(at(props, p)))))).map((others) => ({
            preview: unknown.reduce<unknown>((acc, p) => planted(acc, p, UNKNOWN), props) as T,
            completions: [props, ...others.map((values) => unknown.reduce<unknown>((acc, p, i) => planted(acc, p, values[i]), props) as T)],
            unknown,
        })),
    );

/** Every text a message may quote from the properties, or say in place of a value it could not see. */
function valuesIn(value: unknown, into: Set<string>): Set<string> {
    if (value === null || typeof value !== "object") {
        if (String(value).trim()) into.add(String(value));
        if (typeof value === "string") {
            try {
                valuesIn(JSON.parse(value), into);
            } catch {
                // not a JSON document: the string itself is the value
            }
        }
        return into;
    }
    for (const [k, v] of Object.entries(value)) valuesIn(v, into.add(k));
    return into;
}
// The rules' words for a value not known yet, absent or not text (quoted.ts, as common.ts, aws.ts and gcp.ts word them),
// and the tags requiredTags lists as missing: an unknown tag is present, its completion may be empty.
const IN_PLACE_OF_A_VALUE = [
    "(Sid not known yet)", "(no Sid)", "(Sid not text)", "those it names",
    "a role not known yet", "a role it does not name", "a role that is not text", "access",
    "not known yet", "not set", "not text",
    "an environment variable whose name is not known yet", "an environment variable without a name", "an environment variable whose name is not text",
    ...REQUIRED_TAGS,
];
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A finding with the values it quotes masked: "statement (no Sid) allows s3:*" is the finding "statement S allows s3:*". */
function findingKeys(violations: Violation[], values: Set<string>): string[] {
    const quoted = [...values, ...IN_PLACE_OF_A_VALUE].sort((a, b) => b.length - a.length).map(escape);
    const mask = new RegExp(`(?<=^|[\\s(])(?:${quoted.join("|")})(?=$|[\\s,.:)])`, "g");
    return violations
        .filter((v) => !/^can't run policy '/.test(v.message))
        .map((v) => `${v.policy} on ${v.resource}: ${v.message.replace(mask, "…").replace(/…(?:\s*,\s*…)*/g, "…")}`);
}

/** The first preview finding that `completion` does not report (as often), if any. */
function unconfirmed(preview: string[], completion: string[]): string | undefined {
    const left = [...completion];
    return preview.find((f) => {
        const i = left.indexOf(f);
        if (i < 0) return true;
        left.splice(i, 1);
        return false;
    });
}

async function assertSound(preview: RecordedResource[], completions: RecordedResource[][], config: PackConfig, firstPreview: boolean): Promise<void> {
    const values = completions.flat().reduce((set, r) => valuesIn(r.inputs, set), new Set<string>());
    const previewViolations = await checkConformance(preview, config, { firstPreview });
    const wordless = saysNotWords(previewViolations, preview.map((r) => r.inputs));
    if (wordless) assert.fail(`the preview's finding "${wordless}" says what String() writes for a value, not the value or why it has none.\npreview: ${JSON.stringify(preview.map((r) => r.inputs))}`);
    const previewFindings = findingKeys(previewViolations, values);
    for (const [i, completion] of completions.entries()) {
        const completed = findingKeys(await checkConformance(completion, config), values);
        const falseAlarm = unconfirmed(previewFindings, completed);
        if (falseAlarm) {
            assert.fail(`the preview reports "${falseAlarm}", which completion ${i} (${i === 0 ? "the original" : "other values"}) clears.\npreview: ${JSON.stringify(preview.map((r) => r.inputs))}\ncompletion: ${JSON.stringify(completion.map((r) => r.inputs))}\nits findings: ${JSON.stringify(completed)}`);
        }
    }
}

/** A log group without a retention whose class is not known yet: reported, where a DELIVERY class needs none. */
const LOG_GROUP_CLASS_UNKNOWN = (() => {
    const props = { logGroupClass: "STANDARD", tags: TAGS };
    return { type: "aws:cloudwatch/logGroup:LogGroup", preview: { ...props, logGroupClass: UNKNOWN }, completions: [props, { ...props, logGroupClass: "DELIVERY" }], unknown: [["logGroupClass"]] };
})();

/** A grant to the public whose role is not known yet: reported, in words for that role (before, "grants undefined"). */
const PUBLIC_GRANT_ROLE_UNKNOWN = (() => {
    const props = { bucket: "b", role: "roles/storage.objectViewer", member: "allUsers" };
    return { type: "gcp:storage/bucketIAMMember:BucketIAMMember", preview: { ...props, role: UNKNOWN }, completions: [props, { ...props, role: "roles/owner" }], unknown: [["role"]] };
})();

describe("policy pack: a preview's findings hold whatever the unknown values turn out to be (fast-check)", () => {
    it("every resource rule", async () => {
        const cases = fc.constantFrom(...BASELINES).chain(([type, props]) =>
            plantings(props, hostile).chain((inputs) => withUnknowns(inputs, unknowablePaths(inputs)).map((c) => ({ type, ...c }))),
        );
        await fc.assert(
            fc.asyncProperty(cases, fc.constantFrom(...PACK_CONFIGS), async ({ type, preview, completions }, config) => {
                await assertSound([recorded(type, 0, preview)], completions.map((inputs) => [recorded(type, 0, inputs)]), config, false);
            }),
            { numRuns: RUNS, seed: SEED, examples: [[LOG_GROUP_CLASS_UNKNOWN, {}], [PUBLIC_GRANT_ROLE_UNKNOWN, {}]] },
        );
    });

    /**
     * The bucket's own inline `policy` and encryption stay known: by design, an unknown one does not make its check wait
     * (aws.ts, checkTlsOnly and checkEncryption): it is a computed output, unknown in the preview of every new bucket, so
     * waiting would let each new bucket through its preview.
     */
    const BY_DESIGN_REPORTED = /^(policy|serverSideEncryptionConfigurations?)$/;

    it("the S3 stack rule, in a first preview or after it", async () => {
        const cases = s3Stacks(hostile).chain(({ resources, byDependency }) => {
            const inputs = resources.map(([, props]) => props);
            const paths = unknowablePaths(inputs).filter((p) => p.length > 1 && !(p[0] === 0 && BY_DESIGN_REPORTED.test(String(p[1]))));
            return withUnknowns(inputs, paths).map((c) => ({ types: resources.map(([type]) => type), byDependency, ...c }));
        });
        await fc.assert(
            fc.asyncProperty(cases, fc.boolean(), async ({ types, byDependency, preview, completions }, firstPreview) => {
                const stackOf = (inputs: Record<string, unknown>[]) => recordedStack(types.map((type, i) => [type, inputs[i]] as const), byDependency);
                await assertSound(stackOf(preview), completions.map(stackOf), {}, firstPreview);
            }),
            { numRuns: RUNS, seed: SEED },
        );
    });
});
