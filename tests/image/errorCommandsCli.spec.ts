import * as assert from "assert";
import { signingKeyRevival } from "../../components/image/signingKeyRevival";
import { permissionsBoundaryCommand } from "../../components/aws/permissionsBoundaryCommand";
import { unknownCliWords } from "../harness/cliTable";
import { asTheAwsCliReadsIt } from "../harness/awsCliArguments";

// The CLI table's kms and iam entries (tests/harness/cliTable.ts) are there for these: the program's errors print
// them whole, the docs only name them.
describe("the program's errors: the aws commands the signing key's and the permissions boundary's print are ones the CLI takes", () => {
    it("every aws command the program's signing key and permissions boundary errors give is one the CLI takes", () => {
        const denial = (arn: string) => `User: ${arn} is not authorized to perform: kms:GetPublicKey on resource: * because no permissions boundary allows the kms:GetPublicKey action`;
        const commands = [
            signingKeyRevival("alias/multicloud-service-image-signing", "eu-west-1", true),
            signingKeyRevival("arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", "eu-west-1", false),
            permissionsBoundaryCommand(denial("arn:aws:sts::123456789012:assumed-role/deployer/session")) ?? "",
            permissionsBoundaryCommand(denial("arn:aws:iam::123456789012:user/ops/JohnDoe")) ?? "",
        ];
        assert.ok(["describe-key", "cancel-key-deletion", "enable-key", "get-role", "get-user"].every((op) => commands.some((c) => c.includes(` ${op} `))), commands.join("\n"));
        assert.deepStrictEqual(commands.flatMap(unknownCliWords), []);
    });

    // Before: `--role-name -deployer`, which the CLI's argparse refuses: "argument --role-name: expected one argument".
    it("the permissions boundary's command gives a name beginning with '-' (IAM's [\\w+=,.@-]+ allows it) as its flag's value", () => {
        const denial = (arn: string) => `User: ${arn} is not authorized to perform: kms:GetPublicKey on resource: *`;
        assert.strictEqual(asTheAwsCliReadsIt(permissionsBoundaryCommand(denial("arn:aws:sts::123456789012:assumed-role/-deployer/session"))!)["--role-name"], "-deployer");
        assert.strictEqual(asTheAwsCliReadsIt(permissionsBoundaryCommand(denial("arn:aws:iam::123456789012:user/-ops"))!)["--user-name"], "-ops");
    });
});
