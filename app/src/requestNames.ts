import { HTTPException } from "hono/http-exception";
import { decodeName, invalidNameReason, maxStoredNameBytes, maxUploadNameBytes } from "./objectNames";

const OBJECTS_PATH = "/objects/";
const refused = (reason: string) => new HTTPException(400, { message: `object name ${reason}` });

/** The path as the client sent it, still percent-encoded: the router sees every byte of a name (CR, LF, U+2028 too). */
export function rawPath(request: Request): string {
    const url = request.url;
    const start = url.indexOf("/", url.indexOf("://") + 3);
    const query = url.indexOf("?", start);
    return url.slice(start, query === -1 ? undefined : query);
}

/** The object name in a `/objects/<name>` path, strictly decoded (400 when it is not valid percent-encoded UTF-8). */
export function nameInPath(path: string): string {
    const name = decodeName(path.slice(OBJECTS_PATH.length));
    if (name === undefined) throw refused("is not valid percent-encoded UTF-8");
    return name;
}

/**
 * The checks of names from requests, for objects under `prefix`, each a 400 naming the reason. A stored name
 * may be longer than one an upload asks for: the room kept for a collision rename.
 */
export function nameChecks(prefix: string) {
    const check = (maxBytes: number) => (name: string) => {
        const reason = invalidNameReason(name, maxBytes);
        if (reason) throw refused(reason);
        return name;
    };
    return { storedName: check(maxStoredNameBytes(prefix)), uploadName: check(maxUploadNameBytes(prefix)) };
}
