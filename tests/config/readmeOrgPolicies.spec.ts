import * as assert from "assert";
import { REQUIRED_APIS, SCANNING_APIS } from "../../components/gcp/args";
import { readmeTableRows } from "../harness/readmeTable";

/** The README's organization-policy table row for one constraint: its second cell. */
function constraintRow(constraint: string): string {
    const row = readmeTableRows("| Constraint | The deployment |", "the organization-policy table").find((cells) => cells[0].includes(`\`${constraint}\``));
    assert.ok(row, `the organization-policy table has a row for ${constraint}`);
    return row[1];
}

describe("README: Google Cloud organization policies", () => {
    // An organization that restricts service usage refuses the enabling of any API it does not list, mid-`up`: the
    // README's list is what its admin allows, so it names exactly the APIs the program enables.
    it("the gcp.restrictServiceUsage row names every API the program enables, and no other", () => {
        const named = [...constraintRow("gcp.restrictServiceUsage").matchAll(/`([a-z]+)`/g)].map((m) => m[1]).sort();
        assert.deepStrictEqual(named, [...REQUIRED_APIS, ...SCANNING_APIS].sort());
    });
});
