/**
 * The credentials of the release's Google API clients (Cloud Monitoring's metric reads, metrics/cloudMonitoringSource.ts,
 * and its notification channel read, alerts/channelStatus.ts): the OAuth access token ESC's gcp-login sets where it is
 * set (GOOGLE_OAUTH_ACCESS_TOKEN, under `pulumi env run`: application default credentials never read that variable),
 * else application default credentials, which refresh; the release job has those only (deploy-prod.yml does not
 * export ESC's one-hour token into a release that may take longer).
 *
 * With the stack's project (gcp:project) as the client's `projectId`: google-gax hands the options to its GoogleAuth
 * (grpc.js GrpcClient), whose client the first call's stub asks for (createStub: getUniverseDomain, _getCredentials),
 * and GoogleAuth looks its own project up before it gives one unless told (googleauth.js #prepareAndCacheClient →
 * findAndCacheProjectId: `gcloud config config-helper`, 4 tries of the metadata server, through HTTPS_PROXY too, and
 * for a workload identity file Cloud Resource Manager, whose refusal fails the call). The reads name their project
 * themselves; the client never uses its own.
 */
export async function googleCredentials(env: Record<string, string | undefined>, project: string): Promise<{ projectId: string; authClient?: import("google-auth-library").OAuth2Client }> {
    const accessToken = env.GOOGLE_OAUTH_ACCESS_TOKEN;
    if (!accessToken) return { projectId: project };
    const { OAuth2Client } = await import("google-auth-library");
    const authClient = new OAuth2Client();
    authClient.setCredentials({ access_token: accessToken });
    return { projectId: project, authClient };
}
