/** Where `npm run dashboards:picture` draws, and whose settings by default: apart from picture.ts, which loads the components. */
import * as path from "path";
import { PROJECT_ROOT } from "../../config/stackFileNames";

export const PICTURE_FILE = path.join(PROJECT_ROOT, "docs", "dashboards.svg");
export const PICTURE_STACK = "prod";
