import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadSettings } from "../src/settings";

describe("MAX_BODY_BYTES depends on the entry point", () => {
    it("the Lambda API defaults to 4 MiB (what a Function URL request can carry, base64-encoded)", () => {
        assert.equal(loadSettings("lambda-api", {}).MAX_BODY_BYTES, 4_194_304);
    });

    it("the Lambda API accepts a lower value and exactly 4 MiB", () => {
        assert.equal(loadSettings("lambda-api", { MAX_BODY_BYTES: "1048576" }).MAX_BODY_BYTES, 1_048_576);
        assert.equal(loadSettings("lambda-api", { MAX_BODY_BYTES: "4194304" }).MAX_BODY_BYTES, 4_194_304);
    });

    it("the Lambda API refuses more than 4 MiB, naming the variable and the ceiling", () => {
        assert.throws(() => loadSettings("lambda-api", { MAX_BODY_BYTES: "4194305" }), {
            name: "SettingsError",
            message: /MAX_BODY_BYTES: must be at most 4194304 \(4 MiB\) on the Lambda API: .*base64.*\(got "4194305"\)/,
        });
    });

    it("the server (Cloud Run) keeps its 10 MiB default and accepts more than 4 MiB", () => {
        assert.equal(loadSettings("server", {}).MAX_BODY_BYTES, 10_485_760);
        assert.equal(loadSettings("server", { MAX_BODY_BYTES: "20000000" }).MAX_BODY_BYTES, 20_000_000);
    });

    it("the server refuses more than Cloud Run's 32 MiB HTTP/1 request, which never reaches it", () => {
        assert.equal(loadSettings("server", { MAX_BODY_BYTES: "33554432" }).MAX_BODY_BYTES, 33_554_432);
        assert.throws(() => loadSettings("server", { MAX_BODY_BYTES: "33554433" }), {
            name: "SettingsError",
            message: /MAX_BODY_BYTES: must be at most 33554432 \(32 MiB\): Cloud Run refuses a larger HTTP\/1 request .*\(got "33554433"\)/,
        });
    });
});

// Before: z.coerce.number() read "0x1F90" as 8080, "1e3" as 1000 and " 500" as 500: a value mistyped or written in
// another notation passed as some number. (An empty variable is unset, by loadSettings' design.)
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("numeric settings are whole numbers in decimal digits", () => {
    for (const [name, value] of [["TRUSTED_PROXY_HOPS", "2 "], ["PORT", "0x1F90"], ["RATE_LIMIT_REQUESTS", "1e3"], ["DRAIN_TIMEOUT_MS", " 500"], ["CACHE_MAX_ENTRIES", "12.0"], ["MAX_BODY_BYTES", "0x100000"]] as const) {
        it(`${name}=${JSON.stringify(value)} is refused, naming the variable and the value`, () => {
            assert.throws(() => loadSettings("server", { [name]: value }), {
                name: "SettingsError",
                message: new RegExp(`${name}: must be a whole number in decimal digits \\(got ${escapeRegExp(JSON.stringify(value))}\\)`),
            });
        });
    }

    it("digits are read as the number they write, and an unset variable keeps its default", () => {
        const settings = loadSettings("server", { TRUSTED_PROXY_HOPS: "2", PORT: "8081" });
        assert.deepEqual([settings.TRUSTED_PROXY_HOPS, settings.PORT, settings.RATE_LIMIT_REQUESTS], [2, 8081, 6000]);
    });
});

describe("the limits between settings, at their edges", () => {
    it("a STORAGE_DEADLINE_MS equal to STORAGE_ATTEMPT_TIMEOUT_MS is accepted: one attempt fits the deadline", () => {
        const s = loadSettings("server", { STORAGE_ATTEMPT_TIMEOUT_MS: "5000", STORAGE_DEADLINE_MS: "5000", DRAIN_TIMEOUT_MS: "10000" });
        assert.deepEqual([s.STORAGE_ATTEMPT_TIMEOUT_MS, s.STORAGE_DEADLINE_MS], [5000, 5000]);
    });

    it("the server refuses a DRAIN_TIMEOUT_MS equal to STORAGE_DEADLINE_MS: the drain would cut arriving bodies at SIGTERM itself", () => {
        assert.throws(() => loadSettings("server", { STORAGE_DEADLINE_MS: "8000", DRAIN_TIMEOUT_MS: "8000" }), {
            name: "SettingsError",
            message: /DRAIN_TIMEOUT_MS: must be more than STORAGE_DEADLINE_MS \(8000\)/,
        });
    });

    // Held before only by slowStorage.test.ts, which starts the server to see it refused (exit 2).
    it("a MAX_BODY_BYTES_IN_FLIGHT under MAX_BODY_BYTES is refused, naming both; one equal to it is accepted: the largest body allowed fits", () => {
        assert.throws(() => loadSettings("server", { MAX_BODY_BYTES: "1048576", MAX_BODY_BYTES_IN_FLIGHT: "1048575" }), {
            name: "SettingsError",
            message: /MAX_BODY_BYTES_IN_FLIGHT: must be at least MAX_BODY_BYTES \(1048576\): a body that large could never be taken in/,
        });
        assert.equal(loadSettings("server", { MAX_BODY_BYTES: "1048576", MAX_BODY_BYTES_IN_FLIGHT: "1048576" }).MAX_BODY_BYTES_IN_FLIGHT, 1_048_576);
    });

    it("the Lambda API (which drains no bodies) starts with a STORAGE_DEADLINE_MS at or over DRAIN_TIMEOUT_MS", () => {
        const s = loadSettings("lambda-api", { STORAGE_DEADLINE_MS: "20000" });
        assert.deepEqual([s.STORAGE_DEADLINE_MS, s.DRAIN_TIMEOUT_MS], [20000, 10000]);
    });

    it("an empty variable is unset: it keeps its default instead of failing its check", () => {
        const s = loadSettings("server", { PORT: "", BUCKET_NAME: "", STATE_MACHINE_ARN: "", LOG_LEVEL: "" });
        assert.deepEqual([s.PORT, s.BUCKET_NAME, s.STATE_MACHINE_ARN, s.LOG_LEVEL], [8080, undefined, undefined, "info"]);
    });
});

describe("settings a deployment could get wrong, refused at start", () => {
    it("an OBJECT_PREFIX under results/ is refused: its uploads would pass for the worker's results", () => {
        for (const prefix of ["results/", "results/input/"]) {
            assert.throws(() => loadSettings("server", { OBJECT_PREFIX: prefix }), {
                name: "SettingsError",
                message: /OBJECT_PREFIX: must not be under results\/: uploads there would pass for the worker's results/,
            });
        }
    });

    it("a bad ADMIN_TOKEN is named without its value: the error goes to the logs", () => {
        assert.throws(
            () => loadSettings("server", { ADMIN_TOKEN: "short-secret" }),
            (err: Error) => /ADMIN_TOKEN: must be at least 16 characters/.test(err.message) && !err.message.includes("short-secret"),
        );
    });
});

// Before: "99999999999999999999" was listed twice ("Too big: expected int to be <=9007199254740991", then the range),
// and 400 nines only as "Invalid input: expected number, received Infinity", without the range.
describe("a number too large for a double is refused once, by its range", () => {
    for (const digits of ["99999999999999999999", "9".repeat(400)]) {
        it(`PORT=${digits.slice(0, 24)}... (${digits.length} digits)`, () => {
            assert.throws(() => loadSettings("server", { PORT: digits }), (err: Error) => {
                assert.equal(err.name, "SettingsError");
                assert.equal(err.message, `invalid settings:\n  PORT: Too big: expected number to be <=65535 (got ${JSON.stringify(digits)})`);
                return true;
            });
        });
    }
});
