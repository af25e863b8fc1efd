import * as lambda from "@pulumi/aws/lambda";
import * as pulumi from "@pulumi/pulumi";
import { digestOf } from "../image";
import { imageOfVersion, latestUpdateOf } from "./lambdaVersions";

const sameImage = (a: string, b: string) => (digestOf(a) && digestOf(b) ? digestOf(a) === digestOf(b) : a === b);

/**
 * The function's newest published version, once Lambda says it runs the function's image: what the live alias may
 * point at. In an update the provider puts the image and settings on $LATEST first and publishes a version last, and
 * only when the code or settings changed (terraform-provider-aws lambda/function.go, resourceFunctionUpdate). An `up`
 * that failed in between (a refused reservation, an image Lambda could not use, a wait that ran out) leaves the
 * newest version on the old image, and the next `up` with the same settings sends nothing: it would report success
 * with the old code live. Not checked in a preview, which changes nothing.
 */
export function publishedVersionOfImage(fn: lambda.Function, region: string): pulumi.Output<string> {
    return pulumi.all([fn.name, fn.version, fn.imageUri]).apply(async ([name, version, image]) => {
        if (pulumi.runtime.isDryRun() || !image) return version;
        const running = await imageOfVersion(region, name, version);
        if (running === undefined || sameImage(running, image)) return version;
        const latest = await latestUpdateOf(region, name);
        const fix =
            latest.status === "Failed"
                ? `Lambda's last update of it failed (${[latest.reasonCode, latest.reason].filter(Boolean).join(": ") || "no reason given"}). Fix that, then put the image on it and publish it: ` +
                  `aws lambda update-function-code --region ${region} --function-name ${name} --image-uri ${image}, then aws lambda publish-version --region ${region} --function-name ${name}`
                : `$LATEST holds it: publish it with aws lambda publish-version --region ${region} --function-name ${name}`;
        throw new pulumi.ResourceError(
            `Lambda's newest published version of ${name}, ${version}, runs ${running}, not this stack's ${image}: an earlier \`up\` put the image on $LATEST and stopped before publishing it, ` +
                `and the provider publishes only when the code or settings change, so running \`pulumi up\` again does not. ${fix}; then \`pulumi up --refresh\` points the live alias at it.`,
            fn,
        );
    });
}
