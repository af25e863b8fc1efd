/** `npm run dashboards:picture [-- <stack>]`: writes docs/dashboards.svg from the dashboards' definitions (see picture.ts). */
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/stackFile";
import { PICTURE_FILE, PICTURE_STACK, renderPicture } from "./picture";

const stack = process.argv[2] ?? PICTURE_STACK;
fs.mkdirSync(path.dirname(PICTURE_FILE), { recursive: true });
fs.writeFileSync(PICTURE_FILE, renderPicture(stack));
console.log(`wrote ${path.relative(PROJECT_ROOT, PICTURE_FILE)} (settings of Pulumi.${stack}.yaml)`);
