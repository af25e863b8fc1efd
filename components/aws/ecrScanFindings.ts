import type { DescribeImageScanFindingsRequest, DescribeImageScanFindingsResponse, ECRClient } from "@aws-sdk/client-ecr";

type EcrSdk = typeof import("@aws-sdk/client-ecr");
import type { ScanResult, VulnerabilityScanner } from "../image";
import { nextPageGuard } from "../pageLimit";
import { Refusal } from "../refusal";
import { awsReadFailure, withClient } from "./awsClient";

/** ECR's ScanStatus values that will not turn into findings (ECR API reference, ImageScanStatus; @aws-sdk/client-ecr's ScanStatus). */
const NEVER = new Set(["FAILED", "UNSUPPORTED_IMAGE", "FINDINGS_UNAVAILABLE", "SCAN_ELIGIBILITY_EXPIRED", "LIMIT_EXCEEDED", "IMAGE_ARCHIVED"]);

/** Amazon Inspector's finding statuses that no longer apply to the image (EnhancedImageScanFinding: status). */
const SETTLED_FINDING = new Set(["CLOSED", "SUPPRESSED"]);

/** The most findings one DescribeImageScanFindings call returns (ECR API reference: maxResults, 1-1000). */
const PAGE = 1000;

/**
 * ECR's scan of an image, by DescribeImageScanFindings: the findings by severity once COMPLETE (basic scanning) or
 * ACTIVE (enhanced scanning, continuous); IN_PROGRESS / PENDING, or ScanNotFoundException right after the push, is
 * a scan still to come, unless the repository is not scanned on push at all. Decided by status and error name.
 */
export function ecrScanner(region: string, repositoryName: string): VulnerabilityScanner {
    return {
        description: `ECR's scan in ${repositoryName} (${region})`,
        scan: async (digest) => {
            const sdk = await import("@aws-sdk/client-ecr");
            const unread = `could not read ECR's scan of ${repositoryName}@${digest} (${region}, DescribeImageScanFindings)`;
            return withClient(sdk.ECRClient, region, async (client): Promise<ScanResult> => {
                const request = { repositoryName, imageId: { imageDigest: digest }, maxResults: PAGE };
                let answer: DescribeImageScanFindingsResponse;
                try {
                    answer = await client.send(new sdk.DescribeImageScanFindingsCommand(request));
                } catch (err) {
                    if ((err as Error).name !== "ScanNotFoundException") throw err;
                    const unscanned = await notScannedOnPush(sdk, client, repositoryName);
                    return unscanned ? { status: "failed", detail: `ScanNotFoundException, and ${unscanned}` } : { status: "in progress", detail: "ScanNotFoundException: no scan of it yet" };
                }
                const status = answer.imageScanStatus?.status ?? "UNKNOWN";
                const detail = `${status}${answer.imageScanStatus?.description ? `: ${answer.imageScanStatus.description}` : ""}`;
                if (status === "COMPLETE" || status === "ACTIVE") {
                    if (!holdsResults(answer)) return { status: "in progress", detail: `${detail} (no results in it yet)`, ifNeverDone: NO_RESULTS_YET };
                    return { status: "complete", counts: await severityCounts(sdk, client, answer, request) };
                }
                if (NEVER.has(status)) return { status: "failed", detail };
                return { status: "in progress", detail };
            }).catch((err: Error) => {
                if (err instanceof PagingWithoutEnd) {
                    const seeFindings = `aws ecr describe-image-scan-findings --repository-name ${repositoryName} --image-id imageDigest=${digest} --region ${region}`;
                    throw new Refusal(`${unread}: ${err.message}; so the scan's findings are unknown: run this again, and if it stays, see them with ${seeFindings}`);
                }
                throw awsReadFailure(unread, err, {
                    service: "ECR",
                    needs: `ecr:DescribeImageScanFindings on the repository ${repositoryName}`,
                    region,
                });
            });
        },
    };
}

/**
 * Enhanced scanning answers its findings with their counts and no completion time, and nothing documented tells an
 * image Inspector found nothing in from one whose findings have not reached ECR yet: both read `findings: []`.
 */
const NO_RESULTS_YET =
    "ECR answers so before Amazon Inspector's findings arrive (aws/aws-sdk#289), and under enhanced scanning says no more for an image without findings; " +
    "`aws inspector2 list-coverage` shows whether Inspector has scanned it";

/**
 * Whether a done answer carries the scan's results: enhanced scanning has answered COMPLETE before Amazon Inspector's
 * results reached ECR, with `findings: []` alone and the findings seconds later (aws/aws-sdk#289), which would read as
 * an image without findings. A scan's results come with its completion time (imageScanCompletedAt, "the time of the
 * last completed image scan"), its counts or its enhanced findings. Fail-closed: an answer that never carries any of
 * them is waited for until image.waitMinutes and then refused, saying so.
 */
function holdsResults(answer: DescribeImageScanFindingsResponse): boolean {
    const results = answer.imageScanFindings;
    return Boolean(results && (results.imageScanCompletedAt || results.findingSeverityCounts || results.enhancedFindings?.length));
}

/** ECR answered a next page on every page, or one it answered before (nextPageGuard): why, for the scan's refusal (ecrScanner). */
class PagingWithoutEnd extends Error {}

/**
 * Findings by severity. Basic scanning answers `findingSeverityCounts`; enhanced scanning (Amazon Inspector) lists
 * `enhancedFindings`, a page at a time, and may leave the counts out, so those are counted here, leaving out
 * findings Inspector closed or a suppression rule hides. Where both are given, the larger count of a severity is kept.
 * The pages followed are bounded (nextPageGuard): a next page that would never end is refused (PagingWithoutEnd).
 */
async function severityCounts(sdk: EcrSdk, client: ECRClient, first: DescribeImageScanFindingsResponse, request: DescribeImageScanFindingsRequest): Promise<Record<string, number>> {
    const counted: Record<string, number> = {};
    const endlessAt = nextPageGuard("DescribeImageScanFindings", "the program");
    let page: DescribeImageScanFindingsResponse = first;
    for (;;) {
        for (const finding of page.imageScanFindings?.enhancedFindings ?? []) {
            if (SETTLED_FINDING.has(finding.status ?? "")) continue;
            const severity = finding.severity ?? "UNDEFINED";
            counted[severity] = (counted[severity] ?? 0) + 1;
        }
        if (!page.nextToken || !page.imageScanFindings?.enhancedFindings) break;
        const endless = endlessAt(page.nextToken);
        if (endless) throw new PagingWithoutEnd(endless);
        page = await client.send(new sdk.DescribeImageScanFindingsCommand({ ...request, nextToken: page.nextToken }));
    }
    for (const [severity, count] of Object.entries(first.imageScanFindings?.findingSeverityCounts ?? {})) counted[severity] = Math.max(counted[severity] ?? 0, count);
    return counted;
}

/**
 * Why no scan of the image will come, or undefined when one may. The account's registry scanning configuration
 * overrides the repository's deprecated scanOnPush (ECR user guide, "Filters to choose which repositories are
 * scanned": a repository no scan-on-push filter matches is set to MANUAL), and this program leaves that
 * account-wide setting to its owner. BatchGetRepositoryScanningConfiguration says what applies to the repository;
 * when it cannot be read, the wait goes on.
 */
async function notScannedOnPush(sdk: EcrSdk, client: ECRClient, repositoryName: string): Promise<string | undefined> {
    try {
        const { scanningConfigurations } = await client.send(new sdk.BatchGetRepositoryScanningConfigurationCommand({ repositoryNames: [repositoryName] }));
        const applied = scanningConfigurations?.find((c) => c.repositoryName === repositoryName);
        if (applied?.scanFrequency !== "MANUAL" || applied.scanOnPush) return undefined;
        return (
            `the account's registry scanning configuration scans ${repositoryName} only when asked (scanFrequency MANUAL: no scan-on-push ` +
            `or continuous filter matches it), so ECR will not scan it: add a filter that matches it (aws ecr put-registry-scanning-configuration)`
        );
    } catch {
        return undefined;
    }
}
