import { getRegion } from "@pulumi/aws/getRegion";
import type { SettingsProblem } from "../config/errors";
import type { CloudCheckTargets } from "./cloudChecks";
import { cloudRunLocations, regionWithoutCloudRun } from "./gcp/cloudRunLocations";
import { unlessNoAnswer } from "./noAnswer";
import { providerAccessToken } from "./preflight";

/**
 * The GCP region (gcp:region) against the locations Cloud Run offers the project, asked before anything of either cloud
 * is registered. The settings schema only checks a region's shape, so a region Google does not have (europe-west13)
 * or where Cloud Run is not offered failed the `up` at the first regional create (the Artifact Registry repository),
 * after the AWS side and the GCP APIs, accounts and secrets were made. Cloud Run's own list is asked rather than a list
 * kept here, so a region Google adds later is never refused. Only an answer that leaves the region out is a settings
 * error; a list that cannot be read (the Admin API still off on a first `up`: SERVICE_DISABLED, a deployer without the
 * permission, a busy answer) leaves the region to the resources, as the other checks leave theirs to the component.
 * A read nobody answers (a NoAnswer) stops the run here, as the other checks' do.
 */
export async function gcpRegionProblems({ gcp }: CloudCheckTargets): Promise<SettingsProblem[]> {
    if (!gcp?.regionAt) return [];
    const locations = await cloudRunLocations(gcp.project, await providerAccessToken(gcp.provider), { once: true }).catch(unlessNoAnswer<string[]>([]));
    if (locations.length === 0 || locations.includes(gcp.region)) return [];
    return [{ key: gcp.regionAt, message: regionWithoutCloudRun(gcp.region, gcp.project) }];
}

/**
 * A component's `region` against its AWS provider's, before anything is registered: its resources are made in the
 * provider's region, while it reads ECR and Lambda in `region` and writes that region into the ARNs of its policies, its
 * health check and its dashboard. A region other than the provider's had `up` wait out `imageWaitMinutes` for an image
 * in a repository made elsewhere. Only where the region is an argument (`regionAt`): the program makes its provider of
 * the very setting it passes (index.ts).
 */
export async function awsRegionProblems({ aws }: CloudCheckTargets): Promise<SettingsProblem[]> {
    if (!aws?.regionAt) return [];
    const deployedIn = (await getRegion({}, { provider: aws.provider })).region;
    if (deployedIn === aws.region) return [];
    return [{ key: aws.regionAt, message: `${aws.region} is not the region the AWS provider deploys to (${deployedIn}): pass the provider's region, or a provider of ${aws.region}` }];
}
