import * as http from "http";
import { FAKE_ACCOUNT_ID } from "./fakeIds";
import { FakeKms } from "./fakeKms";
import { FAKE_ECR_PASSWORD } from "./fakeOciRegistryApi";
import { FakeRegistry } from "./fakeRegistry";

/**
 * ECR's DescribeImages and Lambda's GetFunction on the wire, as the program's AWS SDK clients call them, answered
 * in the services' own words: ECR's JSON 1.1 errors (`__type` ImageNotFoundException / RepositoryNotFoundException,
 * HTTP 400, messages as ECR writes them), Lambda's REST error (HTTP 404, `x-amzn-ErrorType: ResourceNotFoundException`,
 * "Function not found: <arn>"). Sources: the ECR and Lambda API references (DescribeImages, GetFunction: Errors).
 */
export class FakeAwsApis {
    /** Repositories that exist (created by the program under mocks, or by a test). */
    readonly repositories = new Set<string>();
    /** Lambda versions that no longer exist (`function:version`). */
    readonly deletedVersions = new Set<string>();
    /** The repository a published version's image is in: the stack's own. */
    versionRepository = "multicloud-service-images";
    readonly requests: { service: "ecr" | "lambda"; action: string; body: any }[] = [];
    /** Manifest media types of tags pushed as something else than one image manifest (e.g. an OCI index). */
    readonly mediaTypes = new Map<string, string>();
    /** The account's concurrent executions in the region (Lambda's default quota is 1,000; new accounts often get 10). */
    concurrencyLimit = 1000;
    /**
     * What other functions in the account and region reserve. GetAccountSettings answers UnreservedConcurrentExecutions
     * as "the maximum number of simultaneous function executions, minus the capacity that's reserved for individual
     * functions with PutFunctionConcurrency" (Lambda API reference, AccountLimit).
     */
    reservedByOthers = 0;
    /**
     * ECR's scans by image digest, answered one per DescribeImageScanFindings call (the last one stays): a scan that
     * finishes later is `[{ status: "IN_PROGRESS" }, { status: "COMPLETE", counts }]`; `"none"` answers ScanNotFoundException.
     * An image without an entry was scanned on push and found nothing.
     */
    readonly scans = new Map<string, ({ status: string; counts?: Record<string, number>; description?: string } | "none")[]>();
    /** KMS, for the image signing key's public half (GetPublicKey). */
    readonly kms: FakeKms;
    /** When set, ECR refuses every call as IAM does for a role without the permission (HTTP 400 AccessDeniedException). */
    denyEcr = false;

    constructor(
        public registry: FakeRegistry,
        readonly region: string,
    ) {
        this.kms = new FakeKms(region);
    }

    answer(req: http.IncomingMessage, body: string, res: http.ServerResponse): void {
        const target = String(req.headers["x-amz-target"] ?? "");
        const fn = /^\/2015-03-31\/functions\/([^/?]+)(?:\?(.*))?$/.exec(req.url ?? "");
        if (target.startsWith("AmazonEC2ContainerRegistry_V20150921.")) this.answerEcr(target.split(".")[1], JSON.parse(body || "{}"), res);
        else if (target.startsWith("TrentService.")) this.kms.answer(target.split(".")[1], JSON.parse(body || "{}"), res);
        else if (req.method === "GET" && req.url === "/2016-08-19/account-settings") this.answerAccountSettings(res);
        else if (req.method === "GET" && fn) this.answerGetFunction(decodeURIComponent(fn[1]), new URLSearchParams(fn[2] ?? "").get("Qualifier") ?? "$LATEST", res);
        else res.writeHead(400, { "content-type": "application/x-amz-json-1.1" }).end(JSON.stringify({ __type: "UnknownOperationException" }));
    }

    private answerEcr(action: string, input: { repositoryName?: string; imageIds?: { imageTag?: string; imageDigest?: string }[] }, res: http.ServerResponse): void {
        this.requests.push({ service: "ecr", action, body: input });
        const error = (type: string, message: string) => void res.writeHead(400, { "content-type": "application/x-amz-json-1.1" }).end(JSON.stringify({ __type: type, message }));
        if (action === "GetAuthorizationToken") return this.answerAuthorizationToken(res);
        if (action !== "DescribeImages" && action !== "DescribeImageScanFindings") return error("UnknownOperationException", `${action} is not answered by the offline ECR`);
        const repository = String(input.repositoryName);
        if (this.denyEcr) {
            const resource = `arn:aws:ecr:${this.region}:${FAKE_ACCOUNT_ID}:repository/${repository}`;
            return error(
                "AccessDeniedException",
                `User: arn:aws:sts::${FAKE_ACCOUNT_ID}:assumed-role/deployer/session is not authorized to perform: ecr:${action} on resource: ${resource} because no identity-based policy allows the ecr:${action} action`,
            );
        }
        if (action === "DescribeImageScanFindings") return this.answerScanFindings(input as { repositoryName: string; imageId: { imageDigest: string } }, res);
        if (!this.repositories.has(repository) && this.registry.mode !== "all") {
            return error("RepositoryNotFoundException", `The repository with name '${repository}' does not exist in the registry with id '${FAKE_ACCOUNT_ID}'`);
        }
        const id = input.imageIds?.[0] ?? {};
        const digest = id.imageDigest ?? (id.imageTag ? this.registry.find(repository, id.imageTag) : undefined);
        const tags = digest ? this.registry.tagsOf(repository, digest) : [];
        if (!digest || tags.length === 0) {
            const imageId = `{imageDigest:'${id.imageDigest ?? "null"}', imageTag:'${id.imageTag ?? "null"}'}`;
            return error("ImageNotFoundException", `The image with imageId ${imageId} does not exist within the repository with name '${repository}' in the registry with id '${FAKE_ACCOUNT_ID}'`);
        }
        const detail = {
            registryId: FAKE_ACCOUNT_ID,
            repositoryName: repository,
            imageDigest: digest,
            imageTags: tags,
            imageManifestMediaType: tags.map((t) => this.mediaTypes.get(t)).find(Boolean) ?? "application/vnd.docker.distribution.manifest.v2+json",
            imagePushedAt: 1764547200,
        };
        res.writeHead(200, { "content-type": "application/x-amz-json-1.1" }).end(JSON.stringify({ imageDetails: [detail] }));
    }

    /**
     * GetAuthorizationToken (ECR API reference): `AWS:<password>` in base64 for the account's registry, valid 12 hours.
     * The registry stand-in (fakeOciRegistryApi.ts) accepts exactly that password.
     */
    private answerAuthorizationToken(res: http.ServerResponse): void {
        const authorizationData = [{ authorizationToken: Buffer.from(`AWS:${FAKE_ECR_PASSWORD}`).toString("base64"), expiresAt: 1764590400, proxyEndpoint: `https://${FAKE_ACCOUNT_ID}.dkr.ecr.${this.region}.amazonaws.com` }];
        res.writeHead(200, { "content-type": "application/x-amz-json-1.1" }).end(JSON.stringify({ authorizationData }));
    }

    /**
     * DescribeImageScanFindings (ECR API reference): imageScanStatus and, once COMPLETE, findingSeverityCounts;
     * HTTP 400 ScanNotFoundException before a scan of the image exists.
     */
    private answerScanFindings(input: { repositoryName: string; imageId: { imageDigest: string } }, res: http.ServerResponse): void {
        const digest = input.imageId?.imageDigest;
        type Scan = { status: string; counts?: Record<string, number>; description?: string } | "none";
        const queue: Scan[] = this.scans.get(digest) ?? [{ status: "COMPLETE", counts: {} }];
        const scan = queue.length > 1 ? queue.shift()! : queue[0];
        const reply = (status: number, body: object) => void res.writeHead(status, { "content-type": "application/x-amz-json-1.1" }).end(JSON.stringify(body));
        if (scan === "none") {
            return reply(400, {
                __type: "ScanNotFoundException",
                message: `Image scan does not exist for the image with '{imageDigest:'${digest}', imageTag:'null'}' in the repository with name '${input.repositoryName}' in the registry with id '${FAKE_ACCOUNT_ID}'`,
            });
        }
        const complete = scan.status === "COMPLETE";
        reply(200, {
            registryId: FAKE_ACCOUNT_ID,
            repositoryName: input.repositoryName,
            imageId: { imageDigest: digest },
            imageScanStatus: { status: scan.status, description: scan.description ?? (complete ? "The scan was completed successfully." : undefined) },
            ...(complete ? { imageScanFindings: { imageScanCompletedAt: 1764547260, vulnerabilitySourceUpdatedAt: 1764540000, findingSeverityCounts: scan.counts ?? {}, findings: [] } } : {}),
        });
    }

    /** GetAccountSettings (Lambda API reference): the account's limits and usage in the region. */
    private answerAccountSettings(res: http.ServerResponse): void {
        this.requests.push({ service: "lambda", action: "GetAccountSettings", body: {} });
        const AccountLimit = { TotalCodeSize: 80530636800, CodeSizeUnzipped: 262144000, CodeSizeZipped: 52428800, ConcurrentExecutions: this.concurrencyLimit, UnreservedConcurrentExecutions: this.concurrencyLimit - this.reservedByOthers };
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ AccountLimit, AccountUsage: { TotalCodeSize: 0, FunctionCount: 0 } }));
    }

    /** Any version not deleted runs an image of its own, pushed to the stack's repository under `c-version-<n>`. */
    private answerGetFunction(functionName: string, qualifier: string, res: http.ServerResponse): void {
        this.requests.push({ service: "lambda", action: "GetFunction", body: { functionName, qualifier } });
        const arn = `arn:aws:lambda:${this.region}:${FAKE_ACCOUNT_ID}:function:${functionName}:${qualifier}`;
        if (this.deletedVersions.has(`${functionName}:${qualifier}`)) {
            res.writeHead(404, { "content-type": "application/json", "x-amzn-errortype": "ResourceNotFoundException" }).end(JSON.stringify({ Type: "User", Message: `Function not found: ${arn}` }));
            return;
        }
        const repositoryUri = `${FAKE_ACCOUNT_ID}.dkr.ecr.${this.region}.amazonaws.com/${this.versionRepository}`;
        const digest = this.registry.find(this.versionRepository, `c-version-${qualifier}`) ?? this.registry.push(this.versionRepository, `c-version-${qualifier}`);
        res.writeHead(200, { "content-type": "application/json" }).end(
            JSON.stringify({
                Configuration: { FunctionName: functionName, FunctionArn: arn, Version: qualifier, PackageType: "Image" },
                Code: { RepositoryType: "ECR", ImageUri: `${repositoryUri}@${digest}`, ResolvedImageUri: `${repositoryUri}@${digest}` },
            }),
        );
    }
}
