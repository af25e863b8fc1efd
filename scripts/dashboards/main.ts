/** `npm run dashboards:picture [-- <stack>]`: writes docs/dashboards.svg from the dashboards' definitions (see picture.ts). */
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/stackFileNames";
import { exitWhenFlushed } from "../build/exitWhenFlushed";
import { answeredArguments } from "../build/usage";
import { PICTURE_FILE, PICTURE_STACK } from "./pictureFile";

const USAGE = [
    "usage: npm run dashboards:picture -- [<stack>]",
    `  <stack>   whose settings (Pulumi.<stack>.yaml) draw ${path.relative(PROJECT_ROOT, PICTURE_FILE)} (default ${PICTURE_STACK})`,
].join("\n");

// Drawing loads the components and the Pulumi SDK (about 0.3 s of CPU): --help and a wrong argument are answered before.
async function main(argv: string[]): Promise<number> {
    const answered = answeredArguments("dashboards:picture", argv, USAGE, { positional: "stack" });
    if (answered !== undefined) return answered;
    const stack = argv[0] ?? PICTURE_STACK;
    const { renderPicture } = await import("./picture");
    let picture: string;
    try {
        picture = renderPicture(stack);
    } catch (err) {
        console.error(`dashboards:picture: ${(err as Error).message}`);
        return 1;
    }
    fs.mkdirSync(path.dirname(PICTURE_FILE), { recursive: true });
    fs.writeFileSync(PICTURE_FILE, picture);
    console.log(`wrote ${path.relative(PROJECT_ROOT, PICTURE_FILE)} (settings of Pulumi.${stack}.yaml)`);
    return 0;
}

main(process.argv.slice(2)).then(exitWhenFlushed);
