import type { ScanResult, VulnerabilityScanner } from "../image";
import { withClient } from "./awsClient";

/** ECR's imageScanStatus values that will not turn into findings (ECR API reference, ImageScanStatus). */
const NEVER = new Set(["FAILED", "UNSUPPORTED_IMAGE", "FINDINGS_UNAVAILABLE", "SCAN_ELIGIBILITY_EXPIRED"]);

/**
 * ECR's scan of an image (basic scanning, on push: the repository's scanOnPush), by DescribeImageScanFindings:
 * `findingSeverityCounts` once COMPLETE (or ACTIVE, enhanced scanning); IN_PROGRESS / PENDING, or
 * ScanNotFoundException right after the push, is a scan still to come. Decided by the status and error name.
 */
export function ecrScanner(region: string, repositoryName: string): VulnerabilityScanner {
    return {
        description: `ECR's scan in ${repositoryName} (${region})`,
        scan: async (digest) => {
            const { ECRClient, DescribeImageScanFindingsCommand } = await import("@aws-sdk/client-ecr");
            return withClient(new ECRClient({ region }), async (client): Promise<ScanResult> => {
                try {
                    const answer = await client.send(new DescribeImageScanFindingsCommand({ repositoryName, imageId: { imageDigest: digest }, maxResults: 1 }));
                    const status = answer.imageScanStatus?.status ?? "UNKNOWN";
                    const detail = `${status}${answer.imageScanStatus?.description ? `: ${answer.imageScanStatus.description}` : ""}`;
                    if (status === "COMPLETE" || status === "ACTIVE") return { status: "complete", counts: answer.imageScanFindings?.findingSeverityCounts ?? {} };
                    if (NEVER.has(status)) return { status: "failed", detail };
                    return { status: "in progress", detail };
                } catch (err) {
                    if ((err as Error).name === "ScanNotFoundException") return { status: "in progress", detail: "ScanNotFoundException: no scan of it yet" };
                    throw err;
                }
            });
        },
    };
}
