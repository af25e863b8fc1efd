import * as http from "http";
import { FAKE_REQUEST_ID, answerAwsJsonError, answerAwsQueryError, answerRestJsonError, answerUnknownOperation } from "./awsErrorAnswer";
import { ECR_SERVER_ERROR, FAKE_ACCOUNT_ID, FAKE_CALLER, IamRefuser, STS_XMLNS, ecrRepositoryNotFound, fakeDigest, iamDenied, iamNotAuthorized } from "./fakeIds";
import { FakeKms } from "./fakeKms";
import { FAKE_ECR_PASSWORD } from "./fakeOciRegistryApi";
import { FakeRegistry, declaredMediaType } from "./fakeRegistry";
import { refuseOtherRegion, signedRegion } from "./signedRegion";
import { SignedProtocol } from "./invalidSignature";
import { refuseSkewedSignature } from "./signatureTime";

/**
 * ECR's DescribeImages and Lambda's GetFunction on the wire, as the program's AWS SDK clients call them, answered
 * in the services' own words: ECR's JSON 1.1 errors (`__type` ImageNotFoundException / RepositoryNotFoundException,
 * HTTP 400), Lambda's REST error (HTTP 404, `x-amzn-ErrorType: ResourceNotFoundException`). The error codes and
 * statuses: the ECR and Lambda API references (DescribeImages, GetFunction: Errors) and @aws-sdk/client-lambda's
 * ResourceNotFoundException (httpError 404). The messages are not in those references (they describe each error in
 * general, e.g. "The image requested does not exist in the specified repository."); they are the services' words as
 * real answers carry them: "RepositoryNotFoundException: The repository with name '<name>' does not exist in the
 * registry with id '<account>'", StatusCode 400 (turbot/steampipe-plugin-aws#1938); "ImageNotFoundException: The image
 * with imageId {imageDigest:'null', imageTag:'latest'} does not exist within the repository with name '<name>' in the
 * registry with id '<account>'" (Terraform's aws_ecr_image read of ECR, quoted publicly; moto
 * tests/test_ecr/test_ecr_boto3.py test_describe_image_that_doesnt_exist asserts the same form); Lambda's "Function
 * not found: arn:aws:lambda:<region>:<account>:function:<name>:99", 404, for a qualifier that is no version, as
 * measured against the live service in floci-io/floci#2821 (unqualified, Status Code 404: Graphcool/graphcool-framework#546).
 */
export class FakeAwsApis {
    /** Repositories that exist (created by the program under mocks, or by a test). */
    readonly repositories = new Set<string>();
    /** Lambda versions that no longer exist (`function:version`). */
    readonly deletedVersions = new Set<string>();
    /**
     * The state Lambda reports for a version (`function:version`), e.g. `{ State: "Failed", StateReasonCode:
     * "ImageDeleted" }` once ECR no longer has the image it runs, or `{ State: "Inactive", StateReasonCode: "Idle" }`;
     * every other version is Active. GetFunction's Configuration.State and StateReasonCode take their values from
     * botocore's lambda 2015-03-31 service-2.json (shapes State, StateReasonCode). Lambda's StateReason text for them
     * is not documented, so none is given.
     */
    readonly versionStates = new Map<string, { State: string; StateReasonCode: string }>();
    /**
     * Versions (`function:version`) GetFunction answers 200 with this body instead: an answer Lambda is not documented
     * to give an image function (its Code names the image: Lambda API reference, GetFunction, FunctionCodeLocation), for
     * what a reader does with a version that is there but names no image.
     */
    readonly getFunctionBodies = new Map<string, object>();
    /**
     * A version the program did not publish runs the image tagged `c-version-<version>`, unless named here: version ->
     * the version whose image it runs, for every function (the worker's versions are numbered apart from the API's, so
     * the worker version published beside the API's version 7 may be its 4: set "4" -> "7").
     */
    readonly sameImageAs = new Map<string, string>();
    /**
     * Versions (`function:version`) the program did not publish that were published by hand from the image's tag
     * (`aws lambda update-function-code --image-uri <repository>:<tag>`, then publish-version): GetFunction answers
     * Code.ImageUri as it was set, by tag, and Code.ResolvedImageUri by digest (botocore lambda 2015-03-31
     * service-2.json, FunctionCodeLocation: ImageUri "URI of a container image in the Amazon ECR registry.",
     * ResolvedImageUri "The resolved URI for the image."). Every other version answers its digest in both.
     */
    readonly publishedFromTag = new Set<string>();
    /** The repository a published version's image is in: the stack's own. */
    versionRepository = "multicloud-service-images";
    readonly requests: { service: "ecr" | "lambda" | "sts"; action: string; body: any }[] = [];
    /** The account's concurrent executions in the region (Lambda's default quota is 1,000; new accounts often get 10). */
    concurrencyLimit = 1000;
    /**
     * What other functions in the account and region reserve. GetAccountSettings answers UnreservedConcurrentExecutions
     * as "the maximum number of simultaneous function executions, minus the capacity that's reserved for individual
     * functions with PutFunctionConcurrency" (Lambda API reference, AccountLimit).
     */
    reservedByOthers = 0;
    /**
     * Set: Lambda holds no reservation for the stack's functions whatever they ask, as the provider reads them back on
     * the `up` after one whose create was refused at PutFunctionConcurrency (that `up` sends none).
     */
    reservationsRefusedEarlier = false;
    /** How far AWS's clock is ahead of this machine's (negative: behind), as for a laptop whose clock is off. */
    clockAheadMs = 0;
    /** The calls refused for a signing time too far from AWS's clock (refuseSkewedSignature): their protocol. */
    readonly skewRefusals: SignedProtocol[] = [];

    /** The image each version the program published runs, by `function:version`, and $LATEST's, by function. */
    private readonly publishedImages = new Map<string, string>();
    private readonly latestImages = new Map<string, string>();
    /**
     * Set: an earlier `up` put each function's image on $LATEST and stopped before publishing it (the provider publishes
     * last, terraform-provider-aws lambda/function.go resourceFunctionUpdate), so its newest version runs an earlier
     * image. `failedWith`: Lambda's update of $LATEST itself failed, with this LastUpdateStatusReasonCode (one of the
     * API reference's values; the reason's text is not documented, so none is given). `codeRefused`: Lambda refused
     * UpdateFunctionCode outright, so $LATEST still holds the earlier image too. `latestWithoutImage`: $LATEST's
     * GetFunction answer has no Code.ImageUri, which Lambda names for every image function (Lambda API reference,
     * FunctionCodeLocation): an endpoint that is not Lambda's.
     */
    unpublishedUpdate?: { failedWith?: string; codeRefused?: boolean; latestWithoutImage?: boolean };

    /** A function the program deployed: its newest version runs its image, unless unpublishedUpdate says otherwise. */
    functionDeployed(name: string, version: string, image: string): void {
        const earlier = `${image.split("@")[0]}@${fakeDigest(`the image before ${image}`)}`;
        this.latestImages.set(name, this.unpublishedUpdate?.codeRefused ? earlier : image);
        this.publishedImages.set(`${name}:${version}`, this.unpublishedUpdate ? earlier : image);
    }

    /** The function's reserved_concurrent_executions as the provider reads it back: GetFunction's Concurrency, -1 for none (terraform-provider-aws lambda/function.go, resourceFunctionRead). */
    reservationReadBack(requested: number | undefined): number {
        return this.reservationsRefusedEarlier || requested === undefined ? -1 : requested;
    }
    /**
     * ECR's scans, by repository and image digest (`scanKey`): a scan belongs to the image in one repository, so a copy
     * to another repository is scanned there again. Answered one per DescribeImageScanFindings call (the last one
     * stays): a scan that finishes later is `[{ status: "IN_PROGRESS" }, { status: "COMPLETE", counts }]`; `"none"`
     * answers ScanNotFoundException. `enhanced` lists Amazon Inspector's findings (enhanced scanning), answered as
     * `enhancedFindings` a page at a time. An image without an entry was scanned on push and found nothing.
     */
    readonly scans = new Map<string, FakeScan[]>();
    private readonly pagedScans = new Map<string, FakeScan>();
    /** What BatchGetRepositoryScanningConfiguration answers for every repository: the registry's filters applied to it. */
    repositoryScanning: { scanOnPush: boolean; scanFrequency: "SCAN_ON_PUSH" | "CONTINUOUS_SCAN" | "MANUAL" } = { scanOnPush: true, scanFrequency: "SCAN_ON_PUSH" };
    /** KMS, for the image signing key's public half (GetPublicKey). */
    readonly kms: FakeKms;
    /**
     * When set, ECR refuses every call, the registry login included, as IAM does for a role without the permission: HTTP
     * 400 AccessDeniedException (awsJson1_1 names a client error 400; "(Service: Ecr, Status Code: 400 ...)" in an AWS SDK
     * for Java v2 log of GetAuthorizationToken refused, whose repository the search index did not name), in IAM's words
     * as ECR carries them: "AccessDeniedException ... DescribeImages operation: User: arn:aws:sts::<account>:assumed-role/
     * <role>/GitHubActions is not authorized to perform: ecr:DescribeImages on resource: arn:aws:ecr:<region>:<account>:
     * repository/<name> because no identity-based policy allows the ecr:DescribeImages action"
     * (ministryofjustice/modernisation-platform-environments#10067), and "... ecr:GetAuthorizationToken on resource: *"
     * (buildkite/elastic-ci-stack-for-aws#193).
     */
    denyEcr = false;
    /**
     * When set, ECR fails every DescribeImages on its side: 500 ServerException, DescribeImages' server-side error
     * (botocore ecr 2015-09-21 service-2.json: DescribeImages errors list ServerException, a structure of `message` alone,
     * "fault": true, documented "These errors are usually caused by a server-side issue."), on the wire as awsJson1_1
     * has errors (awsErrorAnswer.ts). @aws-sdk/client-ecr reads `__type` first (@smithy/core loadJsonRpcErrorCode) and
     * throws its ServerException: name "ServerException", $fault "server", $metadata.httpStatusCode 500, message the body's. The
     * message: ECR_SERVER_ERROR (fakeIds.ts, its source); what ECR says for DescribeImages itself was not found.
     */
    failDescribeImages = false;
    /**
     * When set, every DescribeImages answers 200 with this body: an answer ECR is not documented to give (it throws
     * ImageNotFoundException for an image id it does not hold: ECR API reference, DescribeImages), for what a reader
     * does with an answer that is neither an image nor "not there".
     */
    describeImagesBody: object | undefined = undefined;
    /**
     * When set, GetAuthorizationToken answers 200 with this body: an answer ECR is not documented to give (its
     * authorizationData names the registry's proxyEndpoint and a token: ECR API reference, GetAuthorizationToken), for
     * what the registry login does with an answer that has none.
     */
    authorizationTokenBody: object | undefined = undefined;
    /**
     * When set, Lambda refuses GetAccountSettings as IAM does for a role without lambda:GetAccountSettings: HTTP 403,
     * AccessDeniedException, IAM's words on resource `*` (the action takes no resource ARN), as a real answer read
     * "AccessDeniedException: User: arn:aws:sts::<account>:assumed-role/<role>/<session> is not authorized to perform:
     * lambda:GetAccountSettings on resource: * because no identity-based policy allows the lambda:GetAccountSettings
     * action ... status code: 403" (thought-machine/aws-service-quotas-exporter#81). botocore's lambda 2015-03-31
     * service-2.json lists no AccessDeniedException for GetAccountSettings (ServiceException,
     * TooManyRequestsException), so @aws-sdk/client-lambda has no class for it and names the error from the answer. On
     * the wire as Lambda's rest-json answers an error: the type in X-Amzn-ErrorType, the body's `Message` (Lambda's
     * AccessDenied body, as quoted in danilop/LambdAuth#37: `{"Message":"User: ... is not authorized to perform:
     * lambda:InvokeFunction on resource: ..."}`). `true`: no policy of the caller's allows it; else what refused it (an
     * SCP, a permissions boundary: iamNotAuthorized).
     */
    denyAccountSettings: boolean | IamRefuser = false;
    /**
     * When set, GetAccountSettings answers 200 with this body: one Lambda is not documented to give (its answer holds
     * AccountLimit with ConcurrentExecutions and UnreservedConcurrentExecutions: Lambda API reference, GetAccountSettings,
     * "Response Syntax"), for what the checks do with an answer that is not Lambda's.
     */
    accountSettingsBody: object | undefined = undefined;
    /**
     * Whose the SDK's default credentials are, as STS's GetCallerIdentity answers (the offline key, AKIA..., is an IAM
     * user's): the provider's account unless a test gives the SDK another's, as AWS_PROFILE or an assumed role would.
     * Its default is what the provider answers offline (mockCloud.ts, getCallerIdentity): FAKE_CALLER. A field left
     * undefined is left out of the answer, as an endpoint that is not STS's may answer.
     */
    caller: { account?: string; arn?: string; userId?: string } = FAKE_CALLER;
    /**
     * When set, STS takes no token, as it answers in an opt-in region the account has not enabled (or to a global
     * endpoint's version 1 session token there): HTTP 403, InvalidClientTokenId, "The security token included in the
     * request is invalid." (@aws-sdk/client-sts GetCallerIdentity in eu-south-1, remotion-dev/github-unwrapped-2022#34;
     * 403 in ap-east-1, ekristen/aws-nuke#774). On the wire as STS's query protocol answers an error: an ErrorResponse in
     * its 2011-06-15 namespace with Type Sender, Code, Message and the RequestId (a 403 of the same code and words
     * quoted in boto's cloudsearch sample; STS's namespace as in answerCallerIdentity).
     */
    refuseToken = false;

    constructor(
        public registry: FakeRegistry,
        readonly region: string,
    ) {
        this.kms = new FakeKms(region);
    }

    answer(req: http.IncomingMessage, body: string, res: http.ServerResponse): void {
        const target = String(req.headers["x-amz-target"] ?? "");
        const fn = /^\/2015-03-31\/functions\/([^/?]+)(?:\?(.*))?$/.exec(req.url ?? "");
        // Every region's endpoint variable names this one server, so the signature's scope says which endpoint a call meant.
        // ECR and Lambda stand for the stack region's endpoint alone, the only one the program asks them in, and refuse a
        // call signed for another. KMS answers as the signed region's (FakeKms: another region's has none of the key); STS
        // as any region's, whose GetCallerIdentity names the same caller (a component may ask in its own region first).
        const ecr = target.startsWith("AmazonEC2ContainerRegistry_V20150921.");
        const accountSettings = req.url === "/2016-08-19/account-settings";
        const protocol: SignedProtocol = ecr || target.startsWith("TrentService.") ? "awsJson1_1" : fn || accountSettings ? "restJson1" : "awsQuery";
        if (refuseSkewedSignature(req, res, Date.now() + this.clockAheadMs, protocol)) return void this.skewRefusals.push(protocol);
        if ((ecr || fn || accountSettings) && refuseOtherRegion(req, res, this.region, protocol)) return;
        if (ecr) this.answerEcr(target.split(".")[1], JSON.parse(body || "{}"), res);
        else if (target.startsWith("TrentService.")) this.kms.answer(target.split(".")[1], JSON.parse(body || "{}"), res, signedRegion(req.headers.authorization));
        else if (req.method === "POST" && new URLSearchParams(body).get("Action") === "GetCallerIdentity") this.answerCallerIdentity(res);
        else if (req.method === "GET" && accountSettings) this.answerAccountSettings(res);
        else if (req.method === "GET" && fn) this.answerGetFunction(decodeURIComponent(fn[1]), new URLSearchParams(fn[2] ?? "").get("Qualifier") ?? undefined, res);
        // Anything else the program never asks: AWS's bare UnknownOperationException.
        else answerUnknownOperation(res);
    }

    private answerEcr(action: string, input: { repositoryName?: string; imageIds?: { imageTag?: string; imageDigest?: string }[] }, res: http.ServerResponse): void {
        this.requests.push({ service: "ecr", action, body: input });
        if (this.denyEcr) {
            // GetAuthorizationToken is authorized on "*", not on a repository (ECR User Guide, "Private registry authentication").
            const resource = action === "GetAuthorizationToken" ? "*" : `arn:aws:ecr:${this.region}:${FAKE_ACCOUNT_ID}:repository/${input.repositoryName}`;
            return answerAwsJsonError(res, 400, "AccessDeniedException", iamNotAuthorized(`ecr:${action}`, resource));
        }
        if (action === "DescribeImages" && this.failDescribeImages) {
            return answerAwsJsonError(res, 500, "ServerException", ECR_SERVER_ERROR);
        }
        if (action === "DescribeImages" && this.describeImagesBody) {
            return void res.writeHead(200, { "content-type": "application/x-amz-json-1.1" }).end(JSON.stringify(this.describeImagesBody));
        }
        if (action === "GetAuthorizationToken" && this.authorizationTokenBody) {
            return void res.writeHead(200, { "content-type": "application/x-amz-json-1.1" }).end(JSON.stringify(this.authorizationTokenBody));
        }
        if (action === "GetAuthorizationToken") return this.answerAuthorizationToken(res);
        if (action === "BatchGetRepositoryScanningConfiguration") return this.answerRepositoryScanning(input as { repositoryNames: string[] }, res);
        if (action !== "DescribeImages" && action !== "DescribeImageScanFindings") return answerUnknownOperation(res);
        const repository = String(input.repositoryName);
        if (!this.repositories.has(repository) && this.registry.mode !== "all") return answerAwsJsonError(res, 400, "RepositoryNotFoundException", ecrRepositoryNotFound(repository));
        const id: { imageTag?: string; imageDigest?: string } = (action === "DescribeImageScanFindings" ? (input as { imageId?: { imageDigest?: string } }).imageId : input.imageIds?.[0]) ?? {};
        const digest = id.imageDigest ?? (id.imageTag ? this.registry.find(repository, id.imageTag) : undefined);
        if (!digest || !this.registry.holds(repository, digest)) {
            // DescribeImageScanFindings throws the same ImageNotFoundException for an image not in the repository (its Errors);
            // the message's form: see the class comment.
            const imageId = `{imageDigest:'${id.imageDigest ?? "null"}', imageTag:'${id.imageTag ?? "null"}'}`;
            return answerAwsJsonError(res, 400, "ImageNotFoundException", `The image with imageId ${imageId} does not exist within the repository with name '${repository}' in the registry with id '${FAKE_ACCOUNT_ID}'`);
        }
        const tags = this.registry.tagsOf(repository, digest);
        if (action === "DescribeImageScanFindings") return this.answerScanFindings(input as { repositoryName: string; imageId: { imageDigest: string }; maxResults?: number; nextToken?: string }, res);
        const detail = {
            registryId: FAKE_ACCOUNT_ID,
            repositoryName: repository,
            imageDigest: digest,
            // An untagged image (one of an index's, or one whose tags are gone) is described without imageTags (ECR API
            // reference: ImageDetail's imageTags is optional, and DescribeImagesFilter's tagStatus UNTAGGED selects such images).
            ...(tags.length ? { imageTags: tags } : {}),
            imageManifestMediaType: this.manifestMediaType(repository, digest),
            imagePushedAt: 1764547200,
        };
        res.writeHead(200, { "content-type": "application/x-amz-json-1.1" }).end(JSON.stringify({ imageDetails: [detail] }));
    }

    /**
     * ECR's imageManifestMediaType is the media type of the manifest as it was pushed (ECR API reference, ImageDetail);
     * an image the stand-in holds no manifest of (a build, pushed by digest alone) is what `docker push` sends.
     */
    private manifestMediaType(repository: string, digest: string): string {
        const manifest = this.registry.manifest(repository, digest);
        return (manifest && declaredMediaType(manifest)) ?? "application/vnd.docker.distribution.manifest.v2+json";
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
     * DescribeImageScanFindings (ECR API reference): imageScanStatus and, once COMPLETE, findingSeverityCounts and the
     * completion time; HTTP 400 ScanNotFoundException before a scan of the image exists, in ECR's words as the AWS CLI
     * printed them: "Image scan does not exist for the image with '{imageDigest:'sha256:…', imageTag:'null'}' in the
     * repository with name '<name>' in the registry with id '<account>'" (a public write-up of ECR's
     * AWS_NATIVE basic scanner; moto's ecr/exceptions.py ScanNotFoundException has the same form). Enhanced scanning answers
     * ACTIVE, "Continuous scan is selected for image.", and its findings as `enhancedFindings` pages of maxResults with a
     * nextToken, with findingSeverityCounts beside them and no completion time (the enhanced answer moto's
     * tests/test_ecr/test_ecr_scan_results.py captured; aws/aws-cli#6759's ACTIVE answer has none either). What it
     * answers for an image without findings is not documented: here `enhancedFindings: []` alone.
     */
    private answerScanFindings(input: { repositoryName: string; imageId: { imageDigest: string }; maxResults?: number; nextToken?: string }, res: http.ServerResponse): void {
        const digest = input.imageId.imageDigest;
        const key = scanKey(input.repositoryName, digest);
        const queue: FakeScan[] = this.scans.get(key) ?? [{ status: "COMPLETE", counts: {} }];
        // A nextToken continues the answer it came with.
        const scan = input.nextToken ? this.pagedScans.get(key)! : queue.length > 1 ? queue.shift()! : queue[0];
        this.pagedScans.set(key, scan);
        const reply = (status: number, body: object) => void res.writeHead(status, { "content-type": "application/x-amz-json-1.1" }).end(JSON.stringify(body));
        if (scan === "none") {
            return answerAwsJsonError(
                res,
                400,
                "ScanNotFoundException",
                `Image scan does not exist for the image with '{imageDigest:'${digest}', imageTag:'null'}' in the repository with name '${input.repositoryName}' in the registry with id '${FAKE_ACCOUNT_ID}'`,
            );
        }
        const findings = (): object => {
            if (!scan.enhanced) return { imageScanCompletedAt: 1764547260, vulnerabilitySourceUpdatedAt: 1764540000, findingSeverityCounts: scan.counts ?? {}, findings: [] };
            const from = Number(input.nextToken ?? 0);
            const to = from + (input.maxResults ?? 100);
            const page = scan.enhanced.slice(from, to).map((f, i) => ({ findingArn: `arn:aws:inspector2:${this.region}:${FAKE_ACCOUNT_ID}:finding/${from + i}`, severity: f.severity, status: f.status ?? "ACTIVE", type: "PACKAGE_VULNERABILITY" }));
            const counts: Record<string, number> = {};
            for (const f of scan.enhanced) if ((f.status ?? "ACTIVE") === "ACTIVE") counts[f.severity] = (counts[f.severity] ?? 0) + 1;
            const next = scan.pagingWithoutEnd === "repeating" ? String(input.maxResults ?? 100) : scan.pagingWithoutEnd || to < scan.enhanced.length ? String(to) : undefined;
            return { findings: [], enhancedFindings: page, ...(page.length ? { findingSeverityCounts: counts } : {}), ...(next ? { nextToken: next } : {}) };
        };
        const done = scan.status === "COMPLETE" || scan.status === "ACTIVE";
        const { nextToken, ...imageScanFindings } = done && !scan.beforeResults ? (findings() as { nextToken?: string }) : { nextToken: undefined };
        const description = scan.description ?? (scan.status === "COMPLETE" ? "The scan was completed successfully." : scan.status === "ACTIVE" ? "Continuous scan is selected for image." : undefined);
        reply(200, {
            registryId: FAKE_ACCOUNT_ID,
            repositoryName: input.repositoryName,
            imageId: { imageDigest: digest },
            imageScanStatus: { status: scan.status, description },
            ...(done ? { imageScanFindings: scan.beforeResults ? { findings: [] } : imageScanFindings } : {}),
            ...(nextToken ? { nextToken } : {}),
        });
    }

    /** BatchGetRepositoryScanningConfiguration (ECR API reference): what the registry's scanning filters apply to each repository. */
    private answerRepositoryScanning(input: { repositoryNames: string[] }, res: http.ServerResponse): void {
        const scanningConfigurations = input.repositoryNames.map((repositoryName) => ({
            repositoryArn: `arn:aws:ecr:${this.region}:${FAKE_ACCOUNT_ID}:repository/${repositoryName}`,
            repositoryName,
            ...this.repositoryScanning,
            appliedScanFilters: this.repositoryScanning.scanFrequency === "MANUAL" ? [] : [{ filter: "*", filterType: "WILDCARD" }],
        }));
        res.writeHead(200, { "content-type": "application/x-amz-json-1.1" }).end(JSON.stringify({ scanningConfigurations, failures: [] }));
    }

    /**
     * STS GetCallerIdentity on the wire of its query protocol: 200, Content-Type text/xml, the result in
     * GetCallerIdentityResult under GetCallerIdentityResponse in STS's 2011-06-15 namespace, and the request's ID, as a
     * real answer of sts.us-west-2.amazonaws.com read in eksctl 0.25.0's debug log (aws-sdk-go 1.30.11, 2020), in the
     * order of the STS API reference's example (Arn, UserId, Account).
     */
    private answerCallerIdentity(res: http.ServerResponse): void {
        this.requests.push({ service: "sts", action: "GetCallerIdentity", body: {} });
        if (this.refuseToken) {
            return answerAwsQueryError(res, 403, STS_XMLNS, "InvalidClientTokenId", "The security token included in the request is invalid.");
        }
        const { account, arn, userId } = this.caller;
        const element = (name: string, value: string | undefined) => (value === undefined ? "" : `<${name}>${value}</${name}>`);
        res.writeHead(200, { "content-type": "text/xml" }).end(
            `<GetCallerIdentityResponse xmlns="${STS_XMLNS}">` +
                `<GetCallerIdentityResult>${element("Arn", arn)}${element("UserId", userId)}${element("Account", account)}</GetCallerIdentityResult>` +
                `<ResponseMetadata><RequestId>${FAKE_REQUEST_ID}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
        );
    }

    /** GetAccountSettings (Lambda API reference): the account's limits and usage in the region. */
    private answerAccountSettings(res: http.ServerResponse): void {
        this.requests.push({ service: "lambda", action: "GetAccountSettings", body: {} });
        if (this.denyAccountSettings) {
            const Message = iamDenied("lambda:GetAccountSettings", "*", this.denyAccountSettings);
            return answerRestJsonError(res, 403, "AccessDeniedException", { Message });
        }
        if (this.accountSettingsBody) return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(this.accountSettingsBody));
        const AccountLimit = { TotalCodeSize: 80530636800, CodeSizeUnzipped: 262144000, CodeSizeZipped: 52428800, ConcurrentExecutions: this.concurrencyLimit, UnreservedConcurrentExecutions: this.concurrencyLimit - this.reservedByOthers };
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ AccountLimit, AccountUsage: { TotalCodeSize: 0, FunctionCount: 0 } }));
    }

    /** Any version not deleted runs an image of its own, pushed to the stack's repository under `c-version-<n>`. */
    private answerGetFunction(functionName: string, asked: string | undefined, res: http.ServerResponse): void {
        const qualifier = asked ?? "$LATEST";
        this.requests.push({ service: "lambda", action: "GetFunction", body: { functionName, qualifier } });
        // The function's ARN as asked: qualified only when a Qualifier was sent (Lambda API reference, GetFunction:
        // Configuration.FunctionArn; "Function not found: <arn>" names the same ARN).
        const arn = `arn:aws:lambda:${this.region}:${FAKE_ACCOUNT_ID}:function:${functionName}${asked === undefined ? "" : `:${asked}`}`;
        if (this.deletedVersions.has(`${functionName}:${qualifier}`)) {
            return answerRestJsonError(res, 404, "ResourceNotFoundException", { Type: "User", Message: `Function not found: ${arn}` });
        }
        const body = this.getFunctionBodies.get(`${functionName}:${qualifier}`);
        if (body) return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
        const deployed = qualifier === "$LATEST" ? this.latestImages.get(functionName) : this.publishedImages.get(`${functionName}:${qualifier}`);
        const state = this.versionStates.get(`${functionName}:${qualifier}`) ?? { State: "Active" };
        if (deployed) {
            const failed = qualifier === "$LATEST" ? this.unpublishedUpdate?.failedWith : undefined;
            const update = failed ? { LastUpdateStatus: "Failed", LastUpdateStatusReasonCode: failed } : { LastUpdateStatus: "Successful" };
            res.writeHead(200, { "content-type": "application/json" }).end(
                JSON.stringify({
                    Configuration: { FunctionName: functionName, FunctionArn: arn, Version: qualifier, PackageType: "Image", ...state, ...update },
                    Code: qualifier === "$LATEST" && this.unpublishedUpdate?.latestWithoutImage ? { RepositoryType: "ECR" } : { RepositoryType: "ECR", ImageUri: deployed, ResolvedImageUri: deployed },
                }),
            );
            return;
        }
        const repositoryUri = `${FAKE_ACCOUNT_ID}.dkr.ecr.${this.region}.amazonaws.com/${this.versionRepository}`;
        const tag = `c-version-${this.sameImageAs.get(qualifier) ?? qualifier}`;
        const digest = this.registry.find(this.versionRepository, tag) ?? this.registry.push(this.versionRepository, tag);
        res.writeHead(200, { "content-type": "application/json" }).end(
            JSON.stringify({
                Configuration: { FunctionName: functionName, FunctionArn: arn, Version: qualifier, PackageType: "Image", ...state },
                Code: { RepositoryType: "ECR", ImageUri: this.publishedFromTag.has(`${functionName}:${qualifier}`) ? `${repositoryUri}:${tag}` : `${repositoryUri}@${digest}`, ResolvedImageUri: `${repositoryUri}@${digest}` },
            }),
        );
    }
}

/**
 * One answer of ECR's scan of an image (FakeAwsApis.scans). `beforeResults`: enhanced scanning's done status before
 * Amazon Inspector's results reach ECR, `imageScanFindings` holding `findings: []` alone: no counts, no
 * enhancedFindings, no imageScanCompletedAt (aws/aws-sdk#289: COMPLETE, "The scan was completed successfully.", and
 * the findings seconds later).
 */
export type FakeScan =
    | {
          status: string;
          counts?: Record<string, number>;
          description?: string;
          enhanced?: { severity: string; status?: string }[];
          beforeResults?: boolean;
          /**
           * Enhanced findings' pages that never end, as no ECR documents ("This value is null when there are no more
           * results to return", DescribeImageScanFindings' nextToken): a next page's token on every page, `advancing`
           * past the last finding, or `repeating` the first page's.
           */
          pagingWithoutEnd?: "advancing" | "repeating";
      }
    | "none";

/** The key of an image's scan in FakeAwsApis.scans: scans belong to the image in one repository. */
export function scanKey(repository: string, digest: string): string {
    return `${repository}@${digest}`;
}
