/** docker-credential-helpers credentials/credentials.go Credentials, as `get` prints it and `store` reads it. */
export interface StoredCredentials {
    ServerURL: string;
    Username: string;
    Secret: string;
}

/** At most this much of an answer that is not JSON is quoted back: enough to recognise a banner or another program. */
const QUOTED_LENGTH = 100;

/**
 * `docker-credential-<helper> get`'s answer for `key` (exit 0), read as docker reads it: docker-credential-helpers
 * client/client.go Get decodes the first JSON value of the answer with Go's encoding/json, which ignores what follows
 * it, matches field names case-insensitively, and leaves a missing or null field empty. Empty Username and Secret is
 * no login (undefined): docker/cli's nativeStore (cli/config/credentials/native_store.go getCredentialsFromStore)
 * then holds the same empty AuthConfig as for a key with no login, and the helper's own store refuses it back
 * ("no credentials username", credentials/credentials.go Store). An answer docker cannot decode (nothing, a banner
 * before the JSON, another program's output) is an error in docker too (client.Get returns the decoder's error): this
 * one names the helper, the key and what it printed, without quoting anything that may hold the secret.
 */
export function parseStoredCredentials(answer: string, helper: string, key: string): StoredCredentials | undefined {
    const program = `docker-credential-${helper}`;
    const unreadable = (what: string) =>
        new Error(
            `${program} get answered ${key} with ${what}, where docker reads a credential helper's JSON {"ServerURL","Username","Secret"} ` +
                `(docker-credential-helpers credentials.Get): check that the ${program} first on PATH is the credential helper your docker config ` +
                `names and that nothing it runs prints to stdout (\`echo ${key} | ${program} get\` shows its answer)`,
        );
    const text = answer.trimStart();
    if (text === "") throw unreadable("nothing");
    if (!text.startsWith("{")) throw unreadable(`what is not a JSON object: ${JSON.stringify(quoted(text))}`);
    const object = firstObject(text);
    if (object === undefined) throw unreadable("JSON that is not a whole object (not quoted: it may hold the secret)");
    const found: StoredCredentials = { ServerURL: "", Username: "", Secret: "" };
    const fields = Object.keys(found) as (keyof StoredCredentials)[];
    for (const [name, value] of Object.entries(object)) {
        const field = fields.find((known) => known.toLowerCase() === name.toLowerCase());
        if (field === undefined || value === null) continue;
        if (typeof value !== "string") throw unreadable(`JSON whose ${name} is not a string (not quoted: it may hold the secret)`);
        found[field] = value;
    }
    if (found.Username === "" && found.Secret === "") return undefined;
    return { ...found, ServerURL: key }; // the key asked for, as nativeStore's getCredentialsFromStore sets it
}

/** The answer's first line, up to any `{` (where the credentials' JSON may start), cut at QUOTED_LENGTH. */
function quoted(text: string): string {
    const line = text.split(/\r?\n/)[0].split("{")[0];
    return line.length > QUOTED_LENGTH ? `${line.slice(0, QUOTED_LENGTH)}…` : line;
}

/** The JSON object `text` starts with, ignoring what follows it (as Go's json.Decoder.Decode does), or undefined. */
function firstObject(text: string): Record<string, unknown> | undefined {
    let depth = 0;
    let inString = false;
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (inString) {
            if (c === "\\") i++;
            else if (c === '"') inString = false;
        } else if (c === '"') inString = true;
        else if (c === "{" || c === "[") depth++;
        else if ((c === "}" || c === "]") && --depth === 0) {
            try {
                return JSON.parse(text.slice(0, i + 1));
            } catch {
                return undefined;
            }
        }
    }
    return undefined;
}
