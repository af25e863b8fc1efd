import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/stackFile";
import { REQUIRED_APIS, SCANNING_APIS } from "../../components/gcp/args";

/** The README's organization-policy table row for one constraint: its second cell. */
function constraintRow(constraint: string): string {
    const readme = fs.readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8").split("\n");
    const start = readme.indexOf("| Constraint | The deployment |");
    assert.ok(start >= 0, "the README has the organization-policy table");
    const rows = readme.slice(start + 2).filter((_, i, all) => all.slice(0, i + 1).every((l) => l.startsWith("|")));
    const row = rows.find((r) => r.split("|")[1].includes(`\`${constraint}\``));
    assert.ok(row, `the organization-policy table has a row for ${constraint}`);
    return row.split("|")[2];
}

describe("README: Google Cloud organization policies", () => {
    // An organization that restricts service usage refuses the enabling of any API it does not list, mid-`up`: the
    // README's list is what its admin allows, so it names exactly the APIs the program enables.
    it("the gcp.restrictServiceUsage row names every API the program enables, and no other", () => {
        const named = [...constraintRow("gcp.restrictServiceUsage").matchAll(/`([a-z]+)`/g)].map((m) => m[1]).sort();
        assert.deepStrictEqual(named, [...REQUIRED_APIS, ...SCANNING_APIS].sort());
    });
});
