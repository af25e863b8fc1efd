import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/stackFile";

/** A table row's cells, split on `|` outside code spans (a value such as `a|b` stays whole). */
function cellsOf(row: string): string[] {
    const cells: string[] = [];
    let cell = "";
    let inCode = false;
    for (const ch of row.slice(1)) {
        if (ch === "`") inCode = !inCode;
        if (ch === "|" && !inCode) {
            cells.push(cell.trim());
            cell = "";
        } else cell += ch;
    }
    return cells;
}

/** The cells of each body row of the README's table whose header row is `header` (`table` names it in the failure). */
export function readmeTableRows(header: string, table: string): string[][] {
    const readme = fs.readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8").split("\n");
    const start = readme.indexOf(header);
    assert.ok(start >= 0, `the README has ${table}`);
    const body = readme.slice(start + 2);
    const end = body.findIndex((line) => !line.startsWith("|"));
    return body.slice(0, end < 0 ? undefined : end).map(cellsOf);
}
