import type { OciRepository } from "../image";
import type { AuthorizationData } from "@aws-sdk/client-ecr";
import { answerExcerpt } from "../answerExcerpt";
import { refusal } from "../refusal";
import { awsReadFailure, withClient } from "./awsClient";
import { endpointVariablesNameIt } from "./endpointVariables";

/** Logins asked for in this process, by region: a token lasts 12 hours, longer than any run. */
const logins = new Map<string, Promise<{ host: string; password: string }>>();

/** ECR's registry login for a region of the credentials' account (GetAuthorizationToken): its host (`<account>.dkr.ecr...`) and password. */
export function ecrLogin(region: string): Promise<{ host: string; password: string }> {
    let login = logins.get(region);
    if (!login) {
        logins.set(region, (login = askEcrLogin(region)));
        login.catch(() => logins.delete(region));
    }
    return login;
}

async function askEcrLogin(region: string): Promise<{ host: string; password: string }> {
    const { ECRClient, GetAuthorizationTokenCommand } = await import("@aws-sdk/client-ecr");
    const { authorizationData } = await withClient(ECRClient, region, (client) => client.send(new GetAuthorizationTokenCommand({}))).catch((err: Error) => {
        // Authorized on "*", not on a repository (ECR User Guide, "Private registry authentication").
        throw awsReadFailure(`could not get ECR's registry login in ${region} (GetAuthorizationToken)`, err, { service: "ECR", needs: "ecr:GetAuthorizationToken", region });
    });
    const data = authorizationData?.[0];
    // ECR answers the registry's proxyEndpoint and a token that decodes to `user:password` (ECR API reference,
    // AuthorizationData), the user `AWS` (ECR User Guide, "Private registry authentication": docker login --username AWS),
    // as which ecrOciRepository logs in: any other token is not a login this program can use.
    const decoded = Buffer.from(data?.authorizationToken ?? "", "base64").toString();
    const password = decoded.startsWith("AWS:") ? decoded.slice("AWS:".length) : undefined;
    const host = registryHost(data?.proxyEndpoint);
    if (!host || !password) {
        const lacking = loginLacks(data, host, password);
        // The token is a password for 12 hours: the error says whether one came, never what it is.
        const quoted = authorizationData?.map(({ authorizationToken, ...rest }) => ({ ...rest, ...(authorizationToken === undefined ? {} : { authorizationToken: "<withheld>" }) }));
        throw refusal(
            `ECR's GetAuthorizationToken in ${region} answered ${lacking} ` +
                `(authorizationData: ${answerExcerpt(quoted)}), so there is no registry login: check that ${endpointVariablesNameIt("ECR")}, then run this again`,
        );
    }
    return { host, password };
}

/** What a login answer without a registry host or a password lacks, as the refusal says it. */
function loginLacks(data: AuthorizationData | undefined, host: string | undefined, password: string | undefined): string {
    if (!data) return "with no authorizationData";
    if (!data.proxyEndpoint) return "with no proxyEndpoint";
    if (!host) return "a proxyEndpoint that is not an https URL of a registry host";
    if (password === undefined && data.authorizationToken) return "an authorizationToken that is not base64 of `AWS:<password>`";
    return "with no password in its authorizationToken";
}

/**
 * The registry host of a proxyEndpoint, `https://<account>.dkr.ecr.<region>.amazonaws.com` (ECR API reference,
 * AuthorizationData), or undefined when it is not an https URL with a host: the host is where images are pushed and
 * copied to, and with the token logged in to.
 */
function registryHost(proxyEndpoint: string | undefined): string | undefined {
    const url = typeof proxyEndpoint === "string" && URL.canParse(proxyEndpoint) ? new URL(proxyEndpoint) : undefined;
    return url?.protocol === "https:" && url.host !== "" ? url.host : undefined;
}

/** An ECR repository as the OCI distribution API reaches it, logged in as `AWS` with the registry token. */
export async function ecrOciRepository(region: string, repositoryName: string): Promise<OciRepository> {
    const { host, password } = await ecrLogin(region);
    return { host, name: repositoryName, credentials: async () => ({ user: "AWS", password }) };
}
