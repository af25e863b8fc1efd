/**
 * The specs run deployments/ without the machine's `pulumi login`: it refuses to start on a DIY backend without a token
 * (deployments/pulumiServiceLogin.ts), so a developer logged in with `pulumi login --local` would see every spec of it fail.
 * Specs that need a login write their own credentials.json and set these variables themselves.
 */
import { scratchDir } from "./tempDirs";

process.env.PULUMI_CREDENTIALS_PATH = scratchDir("no-pulumi-login");
delete process.env.PULUMI_BACKEND_URL;
