import * as fs from "fs";
import * as path from "path";
import { SELF_SIGNED_LEAF_REMEDY, UNTRUSTED_ISSUER_REMEDY } from "../../components/noAnswer";
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
 *   self-signed-leaf.pem (self-signed-leaf-key.pem): a proxy's leaf that no CA signed (mitmproxy or Charles set up
 *            without their CA), `req -x509 -subj "/CN=*.behind-proxy.invalid"` with the leaf's four extensions above
 */
export const INTERCEPTING_CA_FILE = path.join(DIR, "ca.pem");

/** The self-signed leaf (self-signed-leaf.pem): the one certificate that, named in NODE_EXTRA_CA_CERTS, trusts it. */
export const SELF_SIGNED_LEAF_FILE = path.join(DIR, "self-signed-leaf.pem");

/**
 * What the proxy answers a tunnel's TLS with (startConnectProxy's `intercept`): the leaf and its intermediate, or with
 * the root as well (`withRoot`), or the leaf alone (`leafOnly`), or a self-signed leaf (`selfSigned`); a client that
 * does not trust the root names each differently.
 */
export function interceptingChain(options: { withRoot?: boolean; leafOnly?: boolean; selfSigned?: boolean } = {}): Interception {
    if (options.selfSigned) return { key: read("self-signed-leaf-key.pem"), cert: read("self-signed-leaf.pem") };
    if (options.leafOnly) return { key: read("leaf-key.pem"), cert: read("leaf.pem") };
    return { key: read("leaf-key.pem"), cert: read("leaf.pem") + read("intermediate.pem") + (options.withRoot ? read("ca.pem") : "") };
}

/**
 * The chains the proxy may send (interceptingChain's options), with the code and words Node names each by when it does
 * not trust the root, or the self-signed leaf, and what the program's words end with.
 */
export const UNTRUSTED_CHAINS = [
    { chain: "its leaf and intermediate", sent: {}, code: "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", words: "unable to get local issuer certificate", remedy: UNTRUSTED_ISSUER_REMEDY },
    { chain: "its leaf, intermediate and root", sent: { withRoot: true }, code: "SELF_SIGNED_CERT_IN_CHAIN", words: "self-signed certificate in certificate chain", remedy: UNTRUSTED_ISSUER_REMEDY },
    // Node's words here go on: "; if the root CA is installed locally, try running Node.js with --use-system-ca".
    { chain: "a self-signed leaf", sent: { selfSigned: true }, code: "DEPTH_ZERO_SELF_SIGNED_CERT", words: "self-signed certificate", remedy: SELF_SIGNED_LEAF_REMEDY },
];

/** The reads whose words do not name the chain's code beside Node's words for it, or do not end with what to set. */
export function notNamingUntrustedIssuer(reads: Record<string, unknown>, { code, words, remedy }: { code: string; words: string; remedy: string }): [string, unknown][] {
    const namesCode = new RegExp(`${code}\\b.*${words}|${words}.*\\b${code}\\b`);
    const endsWithRemedy = new RegExp(`${regExpText(remedy)}$`);
    return Object.entries(reads).filter(([, said]) => !(namesCode.test(String(said)) && endsWithRemedy.test(String(said))));
}
