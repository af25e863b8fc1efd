import * as pulumi from "@pulumi/pulumi";
import { stackFileRegions } from "../../config/defaultRegions";
import { awsOutputRules } from "./awsOutputs";
import { FAKE_ACCOUNT_ID, FAKE_CALLER, FAKE_PROJECT_NUMBER, autoName, fakeUuid } from "./fakeIds";
import { FakeAccountPropagation } from "./fakeAccountPropagation";
import { FakeOrgPolicies } from "./fakeOrgPolicies";
import { providerConfigRefusal } from "./fakeProviderConfig";
import { inputCheckRefusal } from "./inputChecks";
import { AWS_INPUT_CHECKS } from "./awsInputChecks";
import { GCP_INPUT_CHECKS } from "./gcpInputChecks";
import { SERVICE_INPUT_CHECKS } from "./serviceInputChecks";
import { FakeApiActivation } from "./fakeApiActivation";
import { FakeArtifactRegistryApi } from "./fakeArtifactRegistryApi";
import { FakeAwsApis } from "./fakeAwsApis";
import { useCloudApisInProcess } from "./cloudApiServer";
import { Diagnostic, printDiagnostics, receiveLogs, useVirtualClock } from "./programMessages";
import { FakeCloudQuotasApi } from "./fakeCloudQuotasApi";
import { FakeCloudRunApi } from "./fakeCloudRunApi";
import { FakeContainerAnalysisApi } from "./fakeContainerAnalysisApi";
import { FakeOciRegistryApi } from "./fakeOciRegistryApi";
import { FakeRegistry } from "./fakeRegistry";
import { EARLIER_UPDATE, gcpOutputRules } from "./gcpOutputs";
import { pulumiServiceOutputRules } from "./pulumiServiceOutputs";
import { randomOutputRules } from "./randomOutputs";
import { OutputRules } from "./outputRules";
import { ProgramActivity, watchMonitorRequests } from "./programActivity";
import { watchForQuietRun } from "./quietRun";
import { secretInput } from "./registeredInputs";
import { duplicateUrnCheck } from "./urnRules";

/** The providers' checks of resource inputs the program meets (inputChecks.ts). */
const INPUT_CHECKS = [...AWS_INPUT_CHECKS, ...GCP_INPUT_CHECKS, ...SERVICE_INPUT_CHECKS];

export interface RecordedResource {
    type: string;
    name: string;
    /** false for component resources. */
    custom: boolean;
    inputs: Record<string, any>;
    outputs: Record<string, any>;
    /** The provider ID the fake cloud gave it (custom resources only). */
    id?: string;
    /** The provider reference (`<urn>::<id>`) it was registered with, when the program or a parent chose one. */
    provider?: string;
    urn: string;
    /** URN of the parent resource, when it is one of the recorded resources. */
    parentUrn?: string;
    /** The resource options the engine would act on. */
    options: { protect: boolean; retainOnDelete: boolean };
    /** The URNs the engine was told it depends on: its `dependsOn`, and the resources its inputs came from. */
    dependsOn: string[];
    /** Whether a replacement deletes it before creating its successor. */
    deleteBeforeReplace: boolean;
    /** The input properties whose changes the engine ignores when it diffs (`ignoreChanges`). */
    ignoreChanges: string[];
    /**
     * For each input, the URNs its value came from: an input from a resource still to be made is unknown in a preview,
     * where `dependsOn` alone orders without hiding the value.
     */
    propertyDependencies: Record<string, string[]>;
}

export interface RecordedCall {
    token: string;
    inputs: Record<string, any>;
    /**
     * The provider reference (`<urn>::<id>`) the invoke named: its `provider` option, else its parent's provider for
     * the package (@pulumi/pulumi runtime/invoke.js getProvider); "" is the default provider.
     */
    provider: string;
}

const outputRules: OutputRules = { ...awsOutputRules, ...gcpOutputRules, ...pulumiServiceOutputRules, ...randomOutputRules };

/**
 * A fake cloud for `pulumi.runtime.setMocks`: it records every resource with the inputs it was registered
 * with and answers with the outputs the real provider would compute (see awsOutputs.ts / gcpOutputs.ts).
 */
export class MockCloud implements pulumi.runtime.Mocks {
    readonly resources: RecordedResource[] = [];
    readonly calls: RecordedCall[] = [];
    /** Whether a project has enabled a Google API: the `projects.Service` resources registered, or every API. */
    private readonly apiEnabled = (project: string, api: string) => this.artifactRegistry.allApisEnabled || this.artifactRegistry.enabledApis.has(`${project}/${api}`);
    /** What ECR and Artifact Registry hold; Lambda versions run images from it. */
    registry = new FakeRegistry();
    /** ECR and Lambda as the program's AWS SDK clients reach them (on loopback). */
    readonly awsApis: FakeAwsApis;
    /** IAM OIDC providers the account already has, by ARN, with their client IDs (the audiences STS accepts). */
    readonly oidcProviders = new Map<string, string[]>();
    /** The Cloud Run Admin API, which the program calls with fetch for the stable revision's image. */
    readonly cloudRun = new FakeCloudRunApi((project, api) => this.apiEnabled(project, api));
    /** Artifact Analysis' occurrences (the Container Analysis API): scans of Artifact Registry images. */
    readonly containerAnalysis = new FakeContainerAnalysisApi(
        (project, api) => this.apiEnabled(project, api),
        (repository, digest) => this.registry.holds(repository, digest),
    );
    /** The registries' OCI distribution API, where the program reads an image's signature and attestations. */
    readonly ociRegistry = new FakeOciRegistryApi(() => this.registry);
    /** Artifact Registry's REST API, which the program calls with fetch for the digest of a tag. */
    readonly artifactRegistry = new FakeArtifactRegistryApi(this.registry);
    /** The APIs' list reads the program waits on after enabling them (components/gcp/apiActivation.ts). */
    readonly apiActivation = new FakeApiActivation((project, api) => this.apiEnabled(project, api));
    /** The Cloud Quotas API, which the program calls with fetch for Cloud Run's regional quotas (serving once enabled and activated, as apiActivation counts it). */
    readonly cloudQuotas = new FakeCloudQuotasApi((project, api) => this.apiActivation.serves(project, api));
    /**
     * An account where nothing exists yet: in a preview, every resource is one to create, so its ID and the outputs
     * the cloud computes are unknown, as the engine reports them (an `up` creates them).
     */
    freshAccount = false;
    /**
     * In an account where the rest exists: the resources this preview would create (a stack's first preview after a
     * change that adds them), whose cloud-computed outputs are unknown as in a fresh account.
     */
    newInThisPreview?: (type: string, name: string) => boolean;
    /** Service accounts an `up` in a fresh account creates, which other services learn of only after a while. */
    readonly accountPropagation = new FakeAccountPropagation();
    /** A new organization's default policies (domain restricted sharing on). */
    readonly orgPolicies = new FakeOrgPolicies();
    /**
     * Set: ESC refuses the environments' new definitions, and the provider reports it as an update with revision 0: its
     * Update drops the API's error (pulumi-pulumiservice v1.3.0 environment.go, `diagnostics, revision, _ :=
     * UpdateEnvironmentWithRevision(...)`), so a refusal without diagnostics returns Go's zero revision. Each
     * environment's registration then stands for the update of one that exists: a create ESC refuses fails with the
     * error instead (Create checks it).
     */
    escRefusesDefinitions = false;
    /**
     * The creation time of resources that report one (`createTime`; a Cloud Storage bucket's `timeCreated`; a time.Sleep's
     * ID; a time.Static's rfc3339), when not an earlier update's (gcpOutputs.ts, EARLIER_UPDATE): the output rules' createdAt.
     */
    createTime?: (type: string) => string;
    private preview = false;
    /** The registrations the cloud refused in this run (`type::name` and the provider's answer): each fails a real update. */
    readonly refusedRegistrations: { resource: string; message: string }[] = [];
    /**
     * What the program logged in this run, in order, as the engine would receive it to show under the update (see
     * receiveLogs): the SDK has no engine under mocks and would print it instead.
     */
    readonly diagnostics: Diagnostic[] = [];
    /** What the program asked of this cloud, and what is still unanswered (the engine's requests, the stand-ins'). */
    readonly activity = new ProgramActivity();
    /** The waits the program slept in this run (ms), spent at once on a virtual clock (see useVirtualClock). */
    readonly waits: number[] = [];
    /** Resource options by `type::name`, as the engine received them (see watchResourceOptions). */
    readonly optionsByResource = new Map<string, RecordedResource["options"] & Pick<RecordedResource, "dependsOn" | "deleteBeforeReplace" | "ignoreChanges" | "propertyDependencies">>();

    constructor(
        readonly region: { aws: string; gcp: string },
        readonly gcpProject: string,
    ) {
        this.awsApis = new FakeAwsApis(this.registry, region.aws);
    }

    /** Makes the registries hold what `registry` holds (several stacks' runs sharing one, as their accounts would). */
    useRegistry(registry: FakeRegistry): void {
        this.registry = this.awsApis.registry = this.artifactRegistry.registry = registry;
    }

    /** Called by runUnderMocks: whether this run is a preview. */
    startRun(preview: boolean): void {
        this.preview = preview;
    }

    get previewing(): boolean {
        return this.preview;
    }

    newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, any> } {
        const inputs = args.inputs ?? {};
        const configRefusal = providerConfigRefusal(args.type, inputs) ?? inputCheckRefusal(args.type, args.name, inputs, INPUT_CHECKS);
        if (configRefusal) throw configRefusal;
        const isGcp = args.type.startsWith("gcp:");
        const rule = outputRules[args.type];
        const computed = rule
            ? rule({
                  type: args.type,
                  name: args.name,
                  inputs,
                  region: isGcp ? inputs.location ?? inputs.region ?? this.region.gcp : this.region.aws,
                  project: inputs.project ?? this.gcpProject,
                  world: this,
                  createdAt: this.createTime?.(args.type) ?? EARLIER_UPDATE,
              })
            : {};
        const outputs = { ...inputs, ...computed };
        const id = args.custom === false ? undefined : String(computed.id ?? computed.name ?? computed.arn ?? inputs.name ?? autoName(args.name));
        const { dependsOn = [], deleteBeforeReplace = false, ignoreChanges = [], propertyDependencies = {}, ...options } = this.optionsByResource.get(`${args.type}::${args.name}`) ?? { protect: false, retainOnDelete: false };
        if (!this.preview && args.custom !== false) this.propagate(args.type, args.name, inputs, outputs, dependsOn);
        this.resources.push({ type: args.type, name: args.name, custom: args.custom !== false, inputs, outputs, id, provider: args.provider, urn: "", options, dependsOn, deleteBeforeReplace, ignoreChanges, propertyDependencies });
        if (this.preview && (this.freshAccount || this.newInThisPreview?.(args.type, args.name)) && args.custom !== false) {
            // Not created yet: the engine knows the inputs only (an empty ID is an unknown one in a preview).
            const unknownComputed = Object.fromEntries(Object.keys(computed).filter((k) => !(k in inputs)).map((k) => [k, UNKNOWN]));
            return { id: undefined, state: { ...inputs, ...unknownComputed } };
        }
        this.exists(args.type, outputs);
        return { id, state: outputs };
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, any> {
        this.calls.push({ token: args.token, inputs: args.inputs, provider: args.provider ?? "" });
        switch (args.token) {
            // STS GetCallerIdentity's Account, Arn and UserId (botocore sts 2011-06-15 service-2.json,
            // GetCallerIdentityResponse), as terraform-provider-aws sts/caller_identity_data_source.go sets them.
            case "aws:index/getCallerIdentity:getCallerIdentity":
                return { accountId: FAKE_CALLER.account, arn: FAKE_CALLER.arn, userId: FAKE_CALLER.userId };
            // The provider's own region, read with no call to AWS (terraform-provider-aws internal/service/meta/
            // region_data_source.go: "Default to provider current region if no other filters matched"); `region`
            // beside the deprecated `name` as @pulumi/aws 7's GetRegionResult has them.
            case "aws:index/getRegion:getRegion":
                return { name: this.region.aws, region: this.region.aws, endpoint: `ec2.${this.region.aws}.amazonaws.com` };
            // The provider's own partition and DNS suffix, read with no call to AWS (terraform-provider-aws
            // meta/partition_data_source.go: d.Set("partition"/"dns_suffix") from its client).
            case "aws:index/getPartition:getPartition":
                return { partition: "aws", dnsSuffix: "amazonaws.com" };
            case "aws:iam/getOpenIdConnectProvider:getOpenIdConnectProvider": {
                const arn = String(args.inputs.arn);
                const clientIds = this.oidcProviders.get(arn);
                // IAM's NoSuchEntity for an ARN it does not have, as the provider's data source reports it: its finder
                // turns NoSuchEntity into the plugin SDK's NotFoundError ("couldn't find resource"), reported as
                // "reading IAM OIDC Provider: %s" (terraform-provider-aws iam/openid_connect_provider_data_source.go).
                if (!clientIds) throw bridgedNotFound(args.token, "reading IAM OIDC Provider");
                return { arn, url: arn.split(":oidc-provider/")[1], clientIdLists: clientIds, thumbprintLists: [], tags: {} };
            }
            // The program no longer asks these: their "not there" is prose, not a code. Should anything call them
            // again, they answer as the bridged provider does: the image when it is there, else the plugin SDK's
            // NotFoundError, "couldn't find resource" (terraform-provider-aws ecr/image_data_source.go; terraform-plugin-sdk
            // helper/retry); a function, never there, below.
            case "aws:ecr/getImage:getImage": {
                const repository = String(args.inputs.repositoryName);
                const digest = args.inputs.imageDigest ?? this.registry.find(repository, String(args.inputs.imageTag));
                if (!digest || !this.registry.holds(repository, digest)) throw bridgedNotFound(args.token, "reading ECR Images");
                return { repositoryName: repository, imageDigest: digest, imageTag: args.inputs.imageTag, imageTags: this.registry.tagsOf(repository, digest) };
            }
            case "aws:lambda/getFunction:getFunction": {
                // terraform-provider-aws lambda/function_data_source.go: with a qualifier, GetFunction's
                // ResourceNotFoundException as the plugin SDK's NotFoundError; without one, the function's versions are
                // listed first (findLatestFunctionVersionByName) and ListVersionsByFunction's own error is reported, "reading
                // Lambda Function (%s) latest version: %s", in aws-sdk-go-v2's layers and Lambda's words (missingAliasVersion).
                const name = String(args.inputs.functionName);
                if (args.inputs.qualifier !== undefined) throw bridgedNotFound(args.token, `reading Lambda Function (${name})`);
                const functionArn = `arn:aws:lambda:${this.region.aws}:${FAKE_ACCOUNT_ID}:function:${name}`;
                const sdkError = `operation error Lambda: ListVersionsByFunction, https response error StatusCode: 404, RequestID: ${fakeUuid(`ListVersionsByFunction ${functionArn}`)}, ResourceNotFoundException: Function not found: ${functionArn}`;
                throw bridgedError(args.token, `reading Lambda Function (${name}) latest version: ${sdkError}`);
            }
            case "gcp:organizations/getClientConfig:getClientConfig":
                // The provider marks access_token Sensitive (terraform-provider-google data_source_google_client_config.go): a secret.
                return { accessToken: secretInput("offline-gcp-access-token"), project: this.gcpProject, region: this.region.gcp };
            case "gcp:organizations/getProject:getProject":
                return { projectId: args.inputs.projectId ?? this.gcpProject, number: FAKE_PROJECT_NUMBER };
            // ID: the updater's resource ID (terraform-provider-google tpgiamresource/datasource_iam_policy.go,
            // d.SetId(updater.GetResourceId()); artifactregistry/iam_artifact_registry_repository.go, GetResourceId:
            // "projects/%s/locations/%s/repositories/%s"); the etag a fake one.
            case "gcp:artifactregistry/getRepositoryIamPolicy:getRepositoryIamPolicy": {
                const { project = this.gcpProject, location = this.region.gcp, repository } = args.inputs;
                const id = `projects/${project}/locations/${location}/repositories/${repository}`;
                return { id, project, location, repository, etag: "BwYOFFLINE=", policyData: this.artifactRegistry.repositoryPolicyData(project, location, repository) };
            }
            default:
                return args.inputs;
        }
    }

    /**
     * Cloud Run's refusal of a service whose traffic names a revision the fake Cloud Run knows is gone (its
     * deletedRevisions; nothing else is held against a revision). The update sends the service when the account has it
     * already, the create in a fresh account.
     *
     * Cloud Run refuses it in the service operation's error: "Revision '<name>' does not exist or is deleted. Update all
     * traffic to route to currently available revisions.", with code 13, as terraform-provider-google reported it on a
     * create (terraform-google-modules/terraform-docs-samples#269: "Error waiting to create Service: Error waiting for
     * Creating Service: Error code 13, message: Revision '...' does not exist or is deleted. ..."). The provider's
     * layers: resource_cloud_run_v2_service.go (create: "Error waiting to create Service: %s" around the operation's
     * wait; update: the wait's error returned as it is) and tpgresource/common_operation.go (OperationWait's "Error
     * waiting for %s: %w" with the activity "Creating Service" / "Updating Service"; CommonOpError's "Error code %v,
     * message: %s"). That an update's operation fails with the same code is not shown by that report: it is the same
     * check of the same traffic.
     */
    private missingRevision(type: string, inputs: Record<string, any>): Error | undefined {
        if (type !== "gcp:cloudrunv2/service:Service") return undefined;
        const gone = ((inputs.traffics ?? []) as { revision?: string }[]).map((t) => t.revision).find((r) => r && this.cloudRun.deletedRevisions.has(r));
        if (!gone) return undefined;
        const operation = `Error code 13, message: Revision '${gone}' does not exist or is deleted. Update all traffic to route to currently available revisions.`;
        return new Error(this.freshAccount ? `Error waiting to create Service: Error waiting for Creating Service: ${operation}` : `Error waiting for Updating Service: ${operation}`);
    }

    /**
     * What creating a resource meets in the clouds: an alias to a version Lambda no longer has, traffic to a revision
     * Cloud Run no longer has; in Google's IAM, a grant the organization's policies forbid, or one naming a fresh
     * account's new service account or service agent while it is still unknown to grants that waited on no long enough
     * time.Sleep; throws the grant's refusal, and records the accounts this resource creates.
     */
    private propagate(type: string, name: string, inputs: Record<string, any>, outputs: Record<string, any>, dependsOn: string[]): void {
        const refusal = this.missingAliasVersion(type, inputs, outputs) ?? this.missingRevision(type, inputs) ?? this.orgPolicies.refusal(type, inputs, this.gcpProject) ?? this.accountPropagation.refusal(type, inputs, this.gcpProject, dependsOn);
        if (refusal) throw refusal;
        const newAccount = type === "gcp:serviceaccount/account:Account" || (type === "gcp:projects/serviceIdentity:ServiceIdentity" && outputs.member);
        if (newAccount && this.freshAccount) this.accountPropagation.accountCreated(String(outputs.member));
        if (type === "time:index/sleep:Sleep") this.accountPropagation.slept(name, inputs);
    }

    /** What a created resource makes exist for the clouds' APIs: an ECR repository, an enabled Google API, a repository grant. */
    private exists(type: string, outputs: Record<string, any>): void {
        if (type === "aws:lambda/function:Function" && !this.preview && outputs.imageUri) this.awsApis.functionDeployed(String(outputs.name), String(outputs.version), String(outputs.imageUri));
        if (type === "aws:ecr/repository:Repository") this.awsApis.repositories.add(String(outputs.name));
        if (type === "gcp:artifactregistry/repository:Repository") this.ociRegistry.artifactRegistryRepositories.add(String(outputs.registryUri));
        if (type === "gcp:projects/service:Service") this.artifactRegistry.enabledApis.add(`${outputs.project ?? this.gcpProject}/${outputs.service}`);
        if (type === "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember") {
            this.artifactRegistry.grant(outputs.project ?? this.gcpProject, outputs.location ?? this.region.gcp, outputs.repository, outputs.role, outputs.member);
        }
    }

    /**
     * Lambda's refusal of an alias whose functionVersion, or a version of its routingConfig's additionalVersionWeights,
     * the fake Lambda knows is gone (FakeAwsApis' deletedVersions; nothing else is held against a version). The update
     * sends the alias when the account has it already, the create in a fresh account.
     *
     * CreateAlias and UpdateAlias list ResourceNotFoundException, HTTP 404 (botocore lambda 2015-03-31 service-2.json,
     * their errors), with the message GetFunction gives for a version the function does not have, "Function not found:
     * <function ARN>:<version>" (see fakeAwsApis.ts): Lambda's own words for an alias to a missing version, as
     * CloudFormation relayed them (aws-cloudformation/rain#175: "Function not found:
     * arn:aws:lambda:us-east-1:012345678912:function:forecast-lambda-MyFunction-bGy4dzoSPKrO:1 (Service:
     * AWSLambdaInternal; Status Code: 404; Error Code: ResourceNotFoundException; ...)"). The provider's layers:
     * terraform-provider-aws internal/service/lambda/alias.go ("creating Lambda Alias (%s): %s" with the alias's name;
     * "updating Lambda Alias (%s): %s" with its ID, the alias ARN) around aws-sdk-go-v2's error: smithy-go
     * OperationError "operation error %s: %s, %v", aws/transport/http ResponseError "https response error StatusCode:
     * %d, RequestID: %s, %v", and the service's error "<code>: <message>". The request ID is a fake one.
     */
    private missingAliasVersion(type: string, inputs: Record<string, any>, outputs: Record<string, any>): Error | undefined {
        if (type !== "aws:lambda/alias:Alias") return undefined;
        // The alias ARN as its output rule makes it (awsOutputs.ts): the function's ARN, then ":<alias name>".
        const aliasArn = String(outputs.arn);
        const functionArn = aliasArn.slice(0, aliasArn.lastIndexOf(":"));
        const functionName = functionArn.split(":function:")[1];
        const versions = [String(inputs.functionVersion), ...Object.keys(inputs.routingConfig?.additionalVersionWeights ?? {})];
        const gone = versions.find((v) => this.awsApis.deletedVersions.has(`${functionName}:${v}`));
        if (!gone) return undefined;
        const operation = this.freshAccount ? "CreateAlias" : "UpdateAlias";
        const sdkError = `operation error Lambda: ${operation}, https response error StatusCode: 404, RequestID: ${fakeUuid(`${operation} ${aliasArn}`)}, ResourceNotFoundException: Function not found: ${functionArn}:${gone}`;
        return new Error(this.freshAccount ? `creating Lambda Alias (${inputs.name}): ${sdkError}` : `updating Lambda Alias (${aliasArn}): ${sdkError}`);
    }

    /** The image tags the program asked the registries for: ECR (DescribeImages by tag) and Artifact Registry (tags.get). */
    imageLookups(): { ecr?: { repositoryName: string; tag: string }; ar?: { project: string; location: string; repositoryId: string; packageName: string; tag: string } } {
        const ecr = this.awsApis.requests.find((r) => r.action === "DescribeImages" && r.body.imageIds?.[0]?.imageTag);
        const ar = this.artifactRegistry.requests
            .map((r) => /\/projects\/([^/]+)\/locations\/([^/]+)\/repositories\/([^/]+)\/packages\/([^/]+)\/tags\/([^/?]+)$/.exec(r.url))
            .find((m) => m);
        return {
            ecr: ecr && { repositoryName: ecr.body.repositoryName, tag: ecr.body.imageIds[0].imageTag },
            ar: ar ? { project: ar[1], location: ar[2], repositoryId: ar[3], packageName: ar[4], tag: ar[5] } : undefined,
        };
    }

    /** Every custom resource of a type, in registration order. */
    ofType(type: string): RecordedResource[] {
        return this.resources.filter((r) => r.type === type);
    }

    /** The one resource of a type (and name, when given); throws naming what was found otherwise. */
    one(type: string, name?: string): RecordedResource {
        const found = this.ofType(type).filter((r) => name === undefined || r.name === name);
        if (found.length !== 1) {
            const names = this.ofType(type).map((r) => r.name);
            throw new Error(`expected one ${type}${name ? ` named ${name}` : ""}, found ${found.length} (${names.join(", ") || "none"})`);
        }
        return found[0];
    }

    /** The chain of parents of a resource, nearest first. */
    ancestors(resource: RecordedResource): RecordedResource[] {
        const chain: RecordedResource[] = [];
        let current = this.resources.find((r) => r.urn === resource.parentUrn);
        while (current && !chain.includes(current)) {
            chain.push(current);
            current = this.resources.find((r) => r.urn === current!.parentUrn);
        }
        return chain;
    }

    /** Fills in URNs and parents from the mock monitor, once every registration has finished. */
    linkParents(urns: string[]): void {
        const qualifiedType = (urn: string) => urn.split("::")[2] ?? "";
        for (const r of this.resources) {
            r.urn = urns.find((u) => u.endsWith(`::${r.name}`) && qualifiedType(u).split("$").pop() === r.type) ?? "";
        }
        for (const r of this.resources) {
            // The mock monitor's URNs carry only the parent's type, the fake engine's its whole chain (as the engine's
            // do): either way the parent's type is the one before the resource's own.
            const chain = qualifiedType(r.urn).split("$");
            if (chain.length < 2) continue;
            const parentType = chain[chain.length - 2];
            const candidates = this.resources.filter((p) => p !== r && p.type === parentType);
            const parent = candidates.find((p) => r.name.startsWith(p.name)) ?? candidates[0];
            r.parentUrn = parent?.urn;
        }
    }
}

/**
 * A failed invoke as the engine reports it: the SDK rethrows the gRPC error's details as the message. The layers, each
 * in its source's words: the engine's "invocation of %v returned an error: %w" (pulumi/pulumi
 * pkg/resource/deploy/source_eval.go, Invoke), the bridge's "invoking %s" (pulumi/pulumi-terraform-bridge
 * pkg/tfbridge/provider.go, errors.Wrapf around ReadDataApply), and the provider's diagnostics joined by
 * hashicorp/go-multierror (pulumi-terraform-bridge pkg/tfshim/sdk-v2/diagnostics.go), whose ListFormatFunc writes one
 * error as "1 error occurred:\n\t* %s\n\n" (hashicorp/go-multierror format.go), the two newlines after it included.
 */
export function bridgedError(token: string, error: string): Error {
    const message = `invocation of ${token} returned an error: invoking ${token}: 1 error occurred:\n\t* ${error}\n\n`;
    return Object.assign(new Error(message), { details: message });
}

function bridgedNotFound(token: string, what: string): Error {
    return bridgedError(token, `${what}: couldn't find resource`);
}

export interface MockRunOptions {
    stack: string;
    project?: string;
    /** Full config keys (`multicloud-service:service`, `aws:region`) to string values, as a stack file holds them. */
    config?: Record<string, string>;
    secretKeys?: string[];
    preview?: boolean;
    /** Prepares the fake cloud before the program runs (e.g. an empty registry). */
    setup?: (cloud: MockCloud) => void;
}

export interface MockRun<T> {
    cloud: MockCloud;
    result: T;
}

export const PROJECT = "multicloud-service";

/** How the engine writes a value not known until the resource exists (the SDK's rpc unknownValue). */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** A fresh MockCloud in the regions and GCP project a stack's config names. */
export function mockCloudFor(config: Record<string, string>): MockCloud {
    return new MockCloud(
        stackFileRegions(config),
        config["gcp:project"] ?? "offline-project",
    );
}

/**
 * Runs `program` against a fresh MockCloud with the given stack and config, and waits until every resource
 * it started to register has been registered.
 */
export async function runUnderMocks<T>(options: MockRunOptions, program: () => T | Promise<T>): Promise<MockRun<T>> {
    const config = options.config ?? {};
    pulumi.runtime.setAllConfig(config, options.secretKeys ?? []);
    const cloud = mockCloudFor(config);
    cloud.awsApis.versionRepository = `${options.project ?? PROJECT}-${options.stack}`.toLowerCase();
    options.setup?.(cloud);
    cloud.startRun(options.preview ?? false);
    const restoreEnvironment = await useCloudApisInProcess(cloud);
    const restoreLogs = receiveLogs(cloud);
    const restoreClock = useVirtualClock(cloud);
    await pulumi.runtime.setMocks(cloud, options.project ?? PROJECT, options.stack, options.preview ?? false);
    watchResourceOptions(cloud);
    watchMonitorRequests(pulumi.runtime.getMonitor(), cloud.activity);
    // A program waiting on what never comes would otherwise hang until the test's timeout, which names nothing.
    const watchdog = watchForQuietRun(cloud.activity);
    // An error the program raises inside an output (an apply that threw, an input that could not be serialized)
    // rejects promises nothing awaits: Pulumi's language host fails the update on the first of them, while under a
    // test runner that traps unhandled rejections (mocha does) they would pass unseen.
    const unhandled: unknown[] = [];
    const recordUnhandled = (reason: unknown) => void unhandled.push(reason);
    process.on("unhandledRejection", recordUnhandled);
    let result: T;
    try {
        // A program that throws (a component refusing as it is constructed) may have started registrations and reads
        // already: they finish against this run's cloud, not the next run's environment, before the error is passed on.
        try {
            result = await Promise.race([program(), watchdog.quiet]);
        } finally {
            await Promise.race([waitForRegistrations(), watchdog.quiet]);
            await settledRejections(unhandled);
        }
    } finally {
        watchdog.stop();
        restoreEnvironment();
        restoreLogs();
        restoreClock();
        process.off("unhandledRejection", recordUnhandled);
    }
    // The engine ends an update at the first resource its provider refuses; under mocks the refusal only rejects the
    // resource's outputs, which nothing may await, so the run itself fails here.
    if (cloud.refusedRegistrations.length > 0) throw new RefusedRegistrations(cloud);
    if (unhandled.length > 0) throw new UnhandledProgramErrors(cloud, unhandled);
    const monitor = pulumi.runtime.getMonitor() as unknown as { resources: Map<string, unknown> };
    cloud.linkParents([...monitor.resources.keys()]);
    return { cloud, result };
}

/** A run that failed after the program had started: its diagnostics, which an engine would have shown before the error. */
export function printDiagnosticsOfFailure(err: unknown): void {
    if (err instanceof FailedUpdate) printDiagnostics(err.cloud);
}

/**
 * The mocks API hands `newResource` the inputs only; `protect`, `retainOnDelete`, `ignoreChanges` and the URNs the resource depends on
 * (`dependsOn`, and those of its inputs) travel in the engine request. The mock monitor calls `newResource`
 * synchronously on receiving it, so noting them just before is enough.
 */
function watchResourceOptions(cloud: MockCloud): void {
    type Request = {
        getType(): string;
        getName(): string;
        getParent(): string;
        getProtect(): boolean | undefined;
        getRetainondelete(): boolean | undefined;
        getDeletebeforereplace(): boolean;
        getDependenciesList(): string[];
        getIgnorechangesList(): string[];
        getPropertydependenciesMap(): { forEach(callback: (value: { getUrnsList(): string[] }, key: string) => void): void };
    };
    const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource: (req: Request, callback: unknown) => unknown; newUrn(parent: string, type: string, name: string): string };
    const register = monitor.registerResource.bind(monitor);
    const duplicate = duplicateUrnCheck(pulumi.getStack(), pulumi.getProject());
    monitor.registerResource = (req, callback) => {
        const err = duplicate(monitor.newUrn(req.getParent(), req.getType(), req.getName()), req.getParent(), req.getType(), req.getName());
        if (err) {
            cloud.refusedRegistrations.push({ resource: `${req.getType()}::${req.getName()}`, message: err.message });
            return (callback as (err: Error | null, response: unknown) => void)(err, undefined);
        }
        cloud.optionsByResource.set(`${req.getType()}::${req.getName()}`, {
            protect: req.getProtect() === true,
            retainOnDelete: req.getRetainondelete() === true,
            dependsOn: req.getDependenciesList(),
            deleteBeforeReplace: req.getDeletebeforereplace() === true,
            ignoreChanges: req.getIgnorechangesList(),
            propertyDependencies: propertyDependenciesOf(req),
        });
        return register(req, (err: Error | null, response: unknown) => {
            if (err) cloud.refusedRegistrations.push({ resource: `${req.getType()}::${req.getName()}`, message: err.message });
            (callback as (err: Error | null, response: unknown) => void)(err, response);
        });
    };
}

function propertyDependenciesOf(req: { getPropertydependenciesMap(): { forEach(callback: (value: { getUrnsList(): string[] }, key: string) => void): void } }): Record<string, string[]> {
    const byProperty: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((value, key) => (byProperty[key] = value.getUrnsList()));
    return byProperty;
}

/**
 * Until the program's rejections have all been reported. Node reports a rejection nothing handled once the microtasks
 * of its turn have run, and an output that failed rejects its dependents' serialization turns later, after the
 * registrations have drained: a few turns of the event loop with no new report, else they reach the next run.
 */
async function settledRejections(reported: unknown[]): Promise<void> {
    for (let quiet = 0, seen = reported.length; quiet < 3; ) {
        await new Promise((resolve) => setImmediate(resolve));
        quiet = reported.length === seen ? quiet + 1 : 0;
        seen = reported.length;
    }
}

/** A run the engine would fail after the program ended; the cloud shows what was registered before it did. */
export class FailedUpdate extends Error {
    constructor(
        message: string,
        readonly cloud: MockCloud,
    ) {
        super(message);
    }
}

/** A run in which the cloud refused at least one resource, as `pulumi up` would fail on it; names each and its answer. */
export class RefusedRegistrations extends FailedUpdate {
    constructor(cloud: MockCloud) {
        const refused = cloud.refusedRegistrations;
        super(`${refused.length === 1 ? "a resource was" : `${refused.length} resources were`} refused, which fails the update:\n${refused.map((r) => `  ${r.resource}: ${r.message}`).join("\n")}`, cloud);
        this.name = "RefusedRegistrations";
    }
}

/**
 * A run in which the program's promises rejected with nothing to handle them: the language host fails the update on
 * the first, whose message this carries, with how many there were (the same error often rejects every output that
 * depends on the one that failed).
 */
export class UnhandledProgramErrors extends FailedUpdate {
    constructor(
        cloud: MockCloud,
        readonly reasons: unknown[],
    ) {
        const first = reasons[0] instanceof Error ? reasons[0].message : String(reasons[0]);
        super(reasons.length === 1 ? first : `${first} (and ${reasons.length - 1} more unhandled rejection(s) of the program's promises)`, cloud);
        this.name = "UnhandledProgramErrors";
    }
}

/** The value inside an output, for assertions and printing. */
export function valueOf<T>(output: pulumi.Input<T>): Promise<T> {
    return new Promise((resolve) => pulumi.output(output).apply((v) => resolve(v as T)));
}

export async function waitForRegistrations(): Promise<void> {
    // Internal to @pulumi/pulumi but stable for years: resolves once the RPC queue (every registration) drains.
    const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs: () => Promise<void> };
    await settings.waitForRPCs();
}
