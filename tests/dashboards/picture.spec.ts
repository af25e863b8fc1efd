import * as assert from "assert";
import * as fs from "fs";
import { renderPicture } from "../../scripts/dashboards/picture";
import { PICTURE_FILE } from "../../scripts/dashboards/pictureFile";

describe("the dashboards' picture (docs/dashboards.svg, README)", () => {
    it("is what the dashboards' definitions draw now with prod's settings (regenerate: npm run dashboards:picture)", () => {
        assert.strictEqual(fs.readFileSync(PICTURE_FILE, "utf8"), renderPicture("prod"), "docs/dashboards.svg is out of date: run npm run dashboards:picture and commit it");
    });

    it("draws each threshold at the value the stack's settings give it, e.g. prod's alarms and its reserved concurrency", () => {
        const svg = renderPicture("prod");
        for (const line of ["alarm: &gt; 5 % (5)", "alarm: &gt; 2000 ms (2000)", "alarm: &gt; 5 % (0.05)", "alarm: &gt; 90 % of 100 reserved (90)", "alarm: &gt; 90 % of 10 max instances (9)", "target: &lt; 500 ms (500)"]) {
            assert.ok(svg.includes(line), line);
        }
        assert.ok(!renderPicture("dev").includes("reserved ("), "dev reserves no concurrency: no line for it");
    });
});
