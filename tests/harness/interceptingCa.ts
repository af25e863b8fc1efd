import * as fs from "fs";
import * as path from "path";
import { UNTRUSTED_ISSUER_REMEDY } from "../../components/noAnswer";
import type { Interception } from "./connectProxy";
import { regExpText } from "./regExpText";

const DIR = path.join(__dirname, "interceptingCa");
const read = (file: string) => fs.readFileSync(path.join(DIR, file), "utf8");

/**
 * A company's own root CA (ca.pem), as a TLS-inspecting proxy's, its intermediate (intermediate.pem) and the leaf that
 * signs for `*.behind-proxy.invalid` (leaf.pem, leaf-key.pem), valid until 2126. Made once with OpenSSL 3.0, P-256 keys
 * (`openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes`, `-days 36500`); the CAs' keys were not kept:
 *   ca.pem: `req -x509 -subj "/O=Corp Intercepting Proxy (test)/CN=Corp Test Root CA"
 *            -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign`
 *   intermediate.pem: `x509 -req -CA ca.pem` of "/CN=Corp Test Intermediate", extensions basicConstraints=critical,CA:TRUE
 *            and keyUsage=critical,keyCertSign
 *   leaf.pem: `x509 -req -CA intermediate.pem` of "/CN=*.behind-proxy.invalid", extensions basicConstraints=critical,CA:FALSE,
 *            keyUsage=critical,digitalSignature, extendedKeyUsage=serverAuth, subjectAltName=DNS:*.behind-proxy.invalid
 */
export const INTERCEPTING_CA_FILE = path.join(DIR, "ca.pem");

/**
 * What the proxy answers a tunnel's TLS with (startConnectProxy's `intercept`): the leaf and its intermediate, or with
 * the root as well (`withRoot`), or the leaf alone (`leafOnly`); a client that does not trust the root names each differently.
 */
export function interceptingChain(options: { withRoot?: boolean; leafOnly?: boolean } = {}): Interception {
    if (options.leafOnly) return { key: read("leaf-key.pem"), cert: read("leaf.pem") };
    return { key: read("leaf-key.pem"), cert: read("leaf.pem") + read("intermediate.pem") + (options.withRoot ? read("ca.pem") : "") };
}

/** The two chains the proxy may send, with the code and words Node names each by when it does not trust the root. */
export const UNTRUSTED_CHAINS = [
    { chain: "its leaf and intermediate", withRoot: false, code: "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", words: "unable to get local issuer certificate" },
    { chain: "its leaf, intermediate and root", withRoot: true, code: "SELF_SIGNED_CERT_IN_CHAIN", words: "self-signed certificate in certificate chain" },
];

/** The reads whose words do not name the chain's code beside Node's words for it, or do not end with what to set. */
export function notNamingUntrustedIssuer(reads: Record<string, unknown>, { code, words }: { code: string; words: string }): [string, unknown][] {
    const namesCode = new RegExp(`${code}\\b.*${words}|${words}.*\\b${code}\\b`);
    const endsWithRemedy = new RegExp(`${regExpText(UNTRUSTED_ISSUER_REMEDY)}$`);
    return Object.entries(reads).filter(([, said]) => !(namesCode.test(String(said)) && endsWithRemedy.test(String(said))));
}
