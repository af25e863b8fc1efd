import * as assert from "assert";
import { noteFutureThrows, takeFutureThrows } from "./sdkWarnings";

describe("a library's announcement that it will throw fails the test that caused it (tests/harness/sdkWarnings.ts)", () => {
    it("notes the AWS SDK's JsonCodec2 warning and still prints it; other warnings pass", () => {
        const printed: string[] = [];
        const console = { warn: (...args: unknown[]) => void printed.push(args.join(" ")) };
        noteFutureThrows(console);
        // @smithy/core protocols, JsonBytesStringAdapter's own words.
        const sdk =
            "@aws-sdk/core/protocols - WARN - JsonCodec2: you have called a string method on a Uint8Array request body. It has been automatically converted to string. In a future version this will throw an error.";
        console.warn("warning: [runtime] an ordinary warning");
        assert.deepStrictEqual(takeFutureThrows(), []);
        console.warn(sdk);
        assert.deepStrictEqual(takeFutureThrows(), [sdk]);
        assert.deepStrictEqual(takeFutureThrows(), [], "each is named once");
        assert.deepStrictEqual(printed, ["warning: [runtime] an ordinary warning", sdk]);
    });
});
