/**
 * The credentials of the release's Google API clients (Cloud Monitoring's metric reads, metrics/cloudMonitoringSource.ts,
 * and its notification channel read, alerts/channelStatus.ts): the OAuth access token ESC's gcp-login sets where it is
 * set (GOOGLE_OAUTH_ACCESS_TOKEN, under `pulumi env run`: application default credentials never read that variable),
 * else application default credentials, which refresh; the release job has those only (deploy-prod.yml does not
 * export ESC's one-hour token into a release that may take longer).
 */
export async function googleCredentials(env: Record<string, string | undefined>): Promise<{ authClient?: import("google-auth-library").OAuth2Client }> {
    const accessToken = env.GOOGLE_OAUTH_ACCESS_TOKEN;
    if (!accessToken) return {};
    const { OAuth2Client } = await import("google-auth-library");
    const authClient = new OAuth2Client();
    authClient.setCredentials({ access_token: accessToken });
    return { authClient };
}
