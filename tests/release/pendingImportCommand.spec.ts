import * as assert from "assert";
import { PendingCreatesError } from "../../release/stack/pendingOperations";
import { asTheCliReadsIt } from "../harness/pulumiImportArguments";

const TYPE = "aws:lambda/function:Function";
const PARENT = "urn:pulumi:prod::multicloud-service::multicloud:aws:Service::it's $HOME";
const PROVIDER = "urn:pulumi:prod::multicloud-service::pulumi:providers:aws::default_6_83_0";

describe("the pulumi import a pending import's remedy prints, as a POSIX shell and the CLI read it", () => {
    for (const [name, id] of [
        ["api::v2", "multicloud-prod-api"],
        ["it's the api", "id with spaces"],
        ["$HOME `whoami`", "$(id)"],
        ["-canary", "-x1Yz_"],
        ["api", "-x1Yz_"],
    ]) {
        it(`name ${JSON.stringify(name)}, ID ${JSON.stringify(id)}: the type, name and ID arrive whole, in place`, () => {
            const urn = `urn:pulumi:prod::multicloud-service::multicloud:aws:Service$${TYPE}::${name}`;
            const error = new PendingCreatesError("acme/prod", [{ kind: "import", urn, type: TYPE, name, id, parent: PARENT, provider: PROVIDER }]);
            const command = /`(pulumi import [^`]*(?:`[^`]*`[^`]*)*?)`; run each/.exec(error.message)?.[1];
            assert.ok(command, error.message);
            assert.deepStrictEqual(asTheCliReadsIt(command), {
                positional: [TYPE, name, id],
                flags: { "--stack": "acme/prod", "--yes": "true", "--protect": "false", "--generate-code": "false", "--parent": PARENT, "--provider": PROVIDER },
            });
        });
    }
});

describe("a pending import whose state records no ID", () => {
    it("the command ends in an <id> to fill in, and says the console shows it", () => {
        const error = new PendingCreatesError("acme/prod", [{ kind: "import", urn: `urn:pulumi:prod::multicloud-service::${TYPE}::api`, type: TYPE, name: "api", id: undefined, parent: undefined, provider: undefined }]);
        assert.ok(error.message.includes(`'${TYPE}' 'api' <id>\` (the state records no ID for api: the one its console shows)`), error.message);
    });
});
