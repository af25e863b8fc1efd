import * as fs from "fs";
import * as path from "path";
import { scratchDir } from "./tempDirs";

/**
 * A folder holding credentials.json as `pulumi login` leaves it (pulumi/pulumi sdk/go/common/workspace/creds.go,
 * StoreAccount: `current`, the backend logged in last, and each backend's token in `accessTokens` and `accounts`; a DIY
 * login stores an empty Account, so an empty token under its URL), for $PULUMI_CREDENTIALS_PATH, $PULUMI_HOME or ~/.pulumi.
 */
export function pulumiLoginFolder(current: string, tokens: Record<string, string>, folder = scratchDir("pulumi-credentials")): string {
    fs.mkdirSync(folder, { recursive: true });
    const accounts = Object.fromEntries(Object.entries(tokens).map(([url, accessToken]) => [url, { accessToken }]));
    fs.writeFileSync(path.join(folder, "credentials.json"), JSON.stringify({ current, accessTokens: tokens, accounts }));
    return folder;
}

/** A folder whose credentials.json was cut off mid-write (a full disk, a killed `pulumi login`): not JSON. */
export function tornPulumiLoginFolder(): string {
    const folder = scratchDir("pulumi-credentials");
    fs.writeFileSync(path.join(folder, "credentials.json"), '{"current": "https://api.pulumi.com", "accessTo');
    return folder;
}
