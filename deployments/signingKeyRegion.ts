/**
 * The image signing key lives where deployments/ creates it, in this project's aws:region (imageSigningKey.ts), and
 * KMS finds a key by alias only in the region asked: image.yml signs with `awskms:///alias/<project>-image-signing` in
 * the region of the stack it builds for, and a stack verifies an alias in its own aws:region
 * (components/image/signingKey.ts). Elsewhere each answers NotFoundException: image.yml fails to sign, and the stack's
 * `up` refuses every image. deployments/ knows every region, so it says so once, before anything is deployed.
 */
import { refuseWhenAny } from "./refusal";
import { nonCommercialPartition } from "../components/aws/regions";
import { awsKmsKeyId } from "../components/image/signingKey";
import type { DeploymentsSettings } from "./settings";
import type { StackTarget } from "./stackTargets";

export function checkSigningKeyRegions(s: DeploymentsSettings, keyRegion: string, targets: Record<string, StackTarget>, signingKeys: Record<string, string | undefined>): void {
    const problems = Object.entries(targets).flatMap(([stack, target]) => {
        if (target.awsRegion === keyRegion) return [];
        const found: string[] = [];
        if (s.stacks[stack]?.deployOnPush) {
            found.push(`image.yml signs ${stack}'s images in its aws:region ${target.awsRegion}, where KMS has no alias/${s.project}-image-signing: deployments/ creates the key in ${keyRegion}; deploy ${stack} there`);
        }
        const key = signingKeys[stack];
        // An alias or a bare key ID names a key of the region asked; only an ARN carries its own.
        const keyId = key === undefined ? undefined : awsKmsKeyId(key);
        if (keyId !== undefined && !keyId.startsWith("arn:")) {
            const arn = `awskms:///arn:aws:kms:${keyRegion}:<account>:${keyId.startsWith("alias/") ? keyId : `key/${keyId}`}`;
            found.push(`Pulumi.${stack}.yaml verifies images with ${key}, which KMS looks up in its aws:region ${target.awsRegion}; the key is in ${keyRegion}: name it by ARN, ${arn}`);
        }
        return found;
    });
    refuseWhenAny("the image signing key would not be found where it is used", problems);
}

/**
 * deployments/ makes the signing key in its own aws:region, with a key policy of commercial ARNs (arn:aws:iam::…), as
 * the stacks it serves refuse other partitions (components/aws/regions.ts): elsewhere PutKeyPolicy would name principals
 * that do not exist there.
 */
export function checkOwnRegion(region: string): void {
    const partition = nonCommercialPartition(region);
    refuseWhenAny("deployments/ cannot deploy to its aws:region", partition ? [`aws:region ${region} is in ${partition}: the ARNs deployments/ writes and the stacks it serves are the commercial partition's (arn:aws:); choose a commercial region`] : []);
}
