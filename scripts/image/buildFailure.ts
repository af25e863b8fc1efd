import { UNTRUSTED_ISSUER_CODES } from "../../components/noAnswer";

/**
 * npm's own error code for a certificate Node does not trust (npm 10+ "npm error code", older "npm ERR! code"), here
 * inside the build stage's `npm ci`: one of Node's codes for an untrusted issuer.
 */
const NPM_UNTRUSTED_ISSUER = new RegExp(`\\bnpm (?:error|ERR!) code (${[...UNTRUSTED_ISSUER_CODES].join("|")})\\b`);

/**
 * What to do about a failed `docker buildx build` of app/, read from one line of its output, for the causes that have a
 * remedy here. The cause is not among docker's last lines: BuildKit ends a failed RUN with the Dockerfile's lines around
 * it and "failed to solve: process ... did not complete successfully", after the command's own output.
 */
export function buildFailureRemedy(line: string): string | undefined {
    // BuildKit's words for a registry's refusal (containerd remotes/errors ErrUnexpectedStatus: "unexpected status from
    // GET request to <url>: 429 Too Many Requests"; ECR Public's body follows, "toomanyrequests: Rate exceeded" or
    // "Data limit exceeded": tenstorrent/tt-metal#27457, simple-elf/allure-report-action#71).
    if (/https:\/\/public\.ecr\.aws\/\S*: 429 Too Many Requests/.test(line)) {
        return (
            "public.ecr.aws, the registry of app/Dockerfile's base image, refused an anonymous pull (429 Too Many Requests): anonymous pulls share " +
            "the quota of this machine's IP address (ECR Public's service quotas: 1 unauthenticated pull a second, 500 GB of data a month). " +
            "Log the docker client in to ECR Public, as any AWS identity that may call ecr-public:GetAuthorizationToken and sts:GetServiceBearerToken, " +
            "and build again: `aws ecr-public get-login-password --region us-east-1 | docker login --username AWS --password-stdin public.ecr.aws`"
        );
    }
    const untrusted = NPM_UNTRUSTED_ISSUER.exec(line);
    if (untrusted) {
        return (
            `the build's \`npm ci\` (app/Dockerfile, build stage) does not trust the certificate it was shown (${untrusted[1]}), as behind a proxy that inspects TLS ` +
            "with the company's own CA: the build runs in a container that trusts only the base image's CAs, which neither NODE_EXTRA_CA_CERTS nor this " +
            "machine's store reach. Build on a network whose TLS is not inspected, or let image.yml build it (`gh workflow run image.yml`)"
        );
    }
    return undefined;
}
