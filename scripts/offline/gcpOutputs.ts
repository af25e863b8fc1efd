import { FAKE_PROJECT_NUMBER, autoName, shortHash } from "./fakeIds";
import { OutputRule, OutputRuleArgs, OutputRules } from "./outputRules";

/** When resources an earlier update created were created: the mock world is a stack that already exists. */
export const EARLIER_UPDATE = "2026-12-01T00:00:00.000000Z";

/**
 * Where each API's service agent lives, as Google names them (IAM docs, "Service agents"); the provider leaves email and
 * member empty when the answer names none ("This API may not return the service identity's details").
 */
const SERVICE_AGENT_DOMAINS: Record<string, string> = {
    "monitoring.googleapis.com": "gcp-sa-monitoring-notification",
    "run.googleapis.com": "serverless-robot-prod",
};

/**
 * The region code a Cloud Run service's run.app URL ends in (https://<service>-<hash>-<code>.a.run.app), as run.app URLs
 * show it: ahmetb/runsd runsd/regions.go cloudRunRegionCodes (Copyright Google LLC), and for the three regions it
 * lacks, databutton/data-app-dns-service main.go REGION_LOOKUP_MAP, which agrees with runsd on europe-west1 "ew",
 * europe-north1 "lz" and europe-west4 "ez". Google documents no such table: a region neither names has no code here.
 */
const CLOUD_RUN_REGION_CODES: Readonly<Record<string, string>> = {
    // ahmetb/runsd runsd/regions.go
    "asia-east1": "de",
    "asia-east2": "df",
    "asia-northeast1": "an",
    "asia-northeast2": "dt",
    "asia-northeast3": "du",
    "asia-south1": "el",
    "asia-south2": "em",
    "asia-southeast1": "as",
    "asia-southeast2": "et",
    "australia-southeast1": "ts",
    "australia-southeast2": "km",
    "europe-central2": "lm",
    "europe-north1": "lz",
    "europe-west1": "ew",
    "europe-west2": "nw",
    "europe-west3": "ey",
    "europe-west4": "ez",
    "europe-west6": "oa",
    "northamerica-northeast1": "nn",
    "southamerica-east1": "rj",
    "us-central1": "uc",
    "us-east1": "ue",
    "us-east4": "uk",
    "us-west1": "uw",
    "us-west2": "wl",
    "us-west3": "wm",
    "us-west4": "wn",
    // databutton/data-app-dns-service main.go REGION_LOOKUP_MAP
    "europe-southwest1": "no",
    "europe-west8": "oc",
    "europe-west9": "od",
};

/**
 * The host of a Cloud Run service's URL: the legacy `<service>-<hash>-<code>.a.run.app` where a source above gives the
 * region's code; for any other region none is invented, and the service's deterministic URL stands in,
 * `<service>-<project number>.<region>.run.app` ("https://[TAG---]SERVICE_NAME-PROJECT_NUMBER.REGION.run.app",
 * docs.cloud.google.com/run/docs/triggering/https-request), which every service also has (its `urls`).
 */
function cloudRunHost(service: string, projectHash: string, region: string): string {
    const code = CLOUD_RUN_REGION_CODES[region];
    return code ? `${service}-${projectHash}-${code}.a.run.app` : deterministicCloudRunHost(service, region);
}

/** The host of a Cloud Run service's deterministic URL, `<service>-<project number>.<region>.run.app` (cloudRunHost's source). */
function deterministicCloudRunHost(service: string, region: string): string {
    return `${service}-${FAKE_PROJECT_NUMBER}.${region}.run.app`;
}

/** A resource named either by its full path (kept as it is) or by its last segment with the project (and location) beside it. */
function fullPath(value: unknown, full: RegExp, fromParts: () => string): string {
    return full.test(String(value ?? "")) ? String(value) : fromParts();
}

/**
 * An IAM member's ID: the resource's ID as its IAM updater gives it, the role and the member
 * (terraform-provider-google tpgiamresource/resource_iam_member.go: updater.GetResourceId() + "/" + role + "/" + member).
 */
function iamMember(resourceId: (args: OutputRuleArgs) => string): OutputRule {
    return (args) => ({ id: `${resourceId(args)}/${args.inputs.role}/${args.inputs.member}` });
}

/** Outputs the Google Cloud provider computes, keyed by type token; inputs are echoed back as well. */
export const gcpOutputRules: OutputRules = {
    // Each updater's GetResourceId: storage/iam_storage_bucket.go "b/%s"; cloudrunv2/iam_cloud_run_v2_service.go
    // "projects/%s/locations/%s/services/%s"; secretmanager/iam_secret_manager_secret.go "projects/%s/secrets/%s";
    // resourcemanager/iam_project.go the project; resourcemanager/iam_service_account.go the account's name.
    "gcp:storage/bucketIAMMember:BucketIAMMember": iamMember(({ inputs }) => `b/${String(inputs.bucket).replace(/^b\//, "")}`),
    "gcp:cloudrunv2/serviceIamMember:ServiceIamMember": iamMember(({ inputs, project, region }) =>
        fullPath(inputs.name, /^projects\/[^/]+\/locations\/[^/]+\/services\/[^/]+$/, () => `projects/${inputs.project ?? project}/locations/${inputs.location ?? region}/services/${inputs.name}`),
    ),
    "gcp:secretmanager/secretIamMember:SecretIamMember": iamMember(({ inputs, project }) =>
        fullPath(inputs.secretId, /^projects\/[^/]+\/secrets\/[^/]+$/, () => `projects/${inputs.project ?? project}/secrets/${inputs.secretId}`),
    ),
    "gcp:projects/iAMMember:IAMMember": iamMember(({ inputs, project }) => String(inputs.project ?? project)),
    "gcp:serviceaccount/iAMMember:IAMMember": iamMember(({ inputs }) => String(inputs.serviceAccountId)),
    // time.Sleep's ID is the time it was created (terraform-provider-time resource_time_sleep.go, Create: ID is
    // NewRFC3339TimeValue(clock.Now())); of a wait an earlier update made.
    "time:index/sleep:Sleep": ({ createdAt }) => ({ id: createdAt }),
    // time.Static's rfc3339 is the time it was created (resource_time_static.go, Create: clock.Now()); of an earlier update's.
    "time:index/static:Static": ({ inputs, createdAt }) => ({ rfc3339: inputs.rfc3339 ?? createdAt }),
    "gcp:artifactregistry/repository:Repository": ({ inputs, name, region, project }) => {
        const location = inputs.location ?? region;
        const repositoryId = inputs.repositoryId ?? autoName(name);
        return {
            // The provider's ID is the full path; `name` is the repository's own ("The name of the repository, for
            // example: "repo1"", magic-modules artifactregistry/Repository.yaml, flattened from the self link).
            id: `projects/${project}/locations/${location}/repositories/${repositoryId}`,
            repositoryId,
            location,
            name: repositoryId,
            registryUri: `${location}-docker.pkg.dev/${inputs.project ?? project}/${repositoryId}`,
        };
    },
    // pulumi-gcp provider/resources.go: "google_cloud_run_v2_service" name is AutoNameWithCustomOptions, Maxlen 50,
    // Randlen 7, Transform strings.ToLower.
    "gcp:cloudrunv2/service:Service": ({ inputs, name, region, project, world, createdAt, type }) => {
        const service = inputs.name ?? autoName(name, { type, maxLength: 50, lowercase: true });
        // magic-modules cloudrunv2/Service.yaml id_format: projects/{{project}}/locations/{{location}}/services/{{name}}.
        const id = `projects/${project}/locations/${region}/services/${service}`;
        // The run.app URL is https://<service>-<hash>-<region code>.a.run.app, the hash the project's own, the same for
        // every service in it ("the project hash is project-wide", ahmetb/runsd#24; the services of one project listed
        // in GoogleCloudPlatform/cloud-run-mcp#16 all end in one -<hash>-ew.a.run.app), 10 lowercase letters and digits.
        const host = cloudRunHost(service, shortHash(`project ${inputs.project ?? project}`, 10), region);
        return {
            id,
            name: service,
            uri: `https://${host}`,
            // The rule's region is the service's location already (mockCloud.ts: inputs.location first).
            urls: [`https://${deterministicCloudRunHost(service, region)}`],
            // RFC 3339, as Cloud Run Admin API v2 writes Service.create_time; of a service an earlier update created.
            createTime: createdAt,
            // A tagged target gets its own URL, https://<tag>---<service>-<hash>-<region code>.a.run.app
            // (cloud.google.com/run/docs/rollouts-rollbacks-traffic-migration, "Deploying with a tag"; the form
            // "https://TAG---SERVICE-XXXXXX-XX.a.run.app", oneuptime.com's guide to Cloud Run tags, 2026-02-17).
            trafficStatuses: ((inputs.traffics ?? []) as { type?: string; revision?: string; percent?: number; tag?: string }[]).map((t) => ({
                type: t.type,
                revision: t.revision ?? "",
                percent: t.percent ?? 0,
                tag: t.tag ?? "",
                uri: t.tag ? `https://${t.tag}---${host}` : "",
            })),
            // Read back after a revision failed: the revision fields, and the traffic statuses a failed reconciliation leaves.
            ...world.cloudRun.serviceRevisions(service, `${id}/revisions/`),
        };
    },
    // resource_google_project_service: d.SetId(fmt.Sprintf("%s/%s", projectStr, serviceStr)).
    "gcp:projects/service:Service": ({ inputs, project }) => ({ id: `${inputs.project ?? project}/${inputs.service}` }),
    // google-beta resource_project_service_identity.go: the ID is projects/{{project}}/services/{{service}}; email and
    // member come from generateServiceIdentity's answer, which names the agent by the project's number.
    "gcp:projects/serviceIdentity:ServiceIdentity": ({ inputs, project }) => {
        const domain = SERVICE_AGENT_DOMAINS[inputs.service];
        const email = domain ? `service-${FAKE_PROJECT_NUMBER}@${domain}.iam.gserviceaccount.com` : undefined;
        return { id: `projects/${inputs.project ?? project}/services/${inputs.service}`, ...(email ? { email, member: `serviceAccount:${email}` } : {}) };
    },
    // The repository policy's etag after the member was added (magic-modules tpgiamresource sets it from the policy);
    // the resource ID as artifactregistry/iam_artifact_registry_repository.go gives it.
    "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember": (args) => ({
        ...iamMember(({ inputs, project, region }) =>
            fullPath(inputs.repository, /^projects\/[^/]+\/locations\/[^/]+\/repositories\/[^/]+$/, () => `projects/${inputs.project ?? project}/locations/${inputs.location ?? region}/repositories/${inputs.repository}`),
        )(args),
        etag: "BwYOFFLINE=",
    }),
    // terraform-provider-google storage/resource_storage_bucket.go setStorageBucket: url "gs://%s", self_link the API's
    // selfLink, https://www.googleapis.com/storage/v1/b/<name> in a recorded Create (pulumi-gcp provider/testdata/recorded/
    // TestProviderUpgrade/cloudfunctions-function/6.67.0/grpc.json). Autonamed as pulumi-gcp provider/resources.go has
    // google_storage_bucket, tfbridge.AutoName("name", 222, "-") (the 222 is not checked here).
    "gcp:storage/bucket:Bucket": ({ inputs, name, createdAt }) => {
        const bucket = inputs.name ?? autoName(name);
        // timeCreated: RFC 3339, as the JSON API's Bucket resource has it; of a bucket an earlier update created.
        return { name: bucket, url: `gs://${bucket}`, selfLink: `https://www.googleapis.com/storage/v1/b/${bucket}`, timeCreated: createdAt };
    },
    // terraform-provider-google resourcemanager/resource_google_service_account.go: email <account_id>@<project>.iam.gserviceaccount.com
    // (ResourceServiceAccountCustomDiffFunc), member "serviceAccount:"+email, name and ID the API's sa.Name,
    // projects/<project>/serviceAccounts/<email> (googleapis google/iam/admin/v1/iam.proto, ServiceAccount.name).
    "gcp:serviceaccount/account:Account": ({ inputs, project }) => {
        // IAM takes 100 UTF-8 bytes (ServiceAccount.display_name) and the provider checks nothing, so the create is
        // refused; the answer as the provider printed it (terraform-google-modules/terraform-google-sql-db#733).
        const displayNameBytes = Buffer.byteLength(String(inputs.displayName ?? ""));
        if (displayNameBytes > 100) {
            throw new Error(`Error creating service account: googleapi: Error 400: The display_name length (${displayNameBytes}) is longer than the maximum allowed length 100., badRequest`);
        }
        const email = `${inputs.accountId}@${inputs.project ?? project}.iam.gserviceaccount.com`;
        return {
            email,
            member: `serviceAccount:${email}`,
            name: `projects/${project}/serviceAccounts/${email}`,
            uniqueId: shortHash(email, 21).replace(/[a-f]/g, "1"),
        };
    },
    "gcp:secretmanager/secret:Secret": ({ inputs, name, project, createdAt }) => {
        const secretId = inputs.secretId ?? autoName(name);
        // createTime as Secret Manager writes it (RFC 3339, Secret.create_time); of a secret an earlier update created.
        return { secretId, name: `projects/${FAKE_PROJECT_NUMBER}/secrets/${secretId}`, id: `projects/${project}/secrets/${secretId}`, createTime: createdAt };
    },
    // Secret Manager names the version by the project's number, and the provider keeps that name as the ID too
    // (secretmanager/resource_secret_manager_secret_version.go, Create: the answer's name).
    "gcp:secretmanager/secretVersion:SecretVersion": ({ inputs }) => {
        const versionName = `projects/${FAKE_PROJECT_NUMBER}/secrets/${String(inputs.secret).split("/").pop()}/versions/1`;
        return { id: versionName, name: versionName, version: "1" };
    },
    // An e-mail channel made through the API is UNVERIFIED until someone verifies it with the code
    // sendVerificationCode delivers (a Pulumi user's channel "sat in UNVERIFIED state silently", nomadkaraoke/karaoke-gen#785;
    // google/monitoring/v3/notification.proto: UNVERIFIED "requires verification to function"). name (and ID, id_format
    // {{name}}): projects/[PROJECT_ID]/notificationChannels/[CHANNEL_ID], the ID "automatically assigned by the server"
    // (magic-modules mmv1/products/monitoring/NotificationChannel.yaml); its digits here are not from a source.
    "gcp:monitoring/notificationChannel:NotificationChannel": ({ inputs, name, project }) => ({
        name: `projects/${project}/notificationChannels/${shortHash(name, 19).replace(/[a-f]/g, "7")}`,
        ...(inputs.type === "email" && { verificationStatus: "UNVERIFIED" }),
    }),
    // name (and ID, id_format {{name}}): projects/[PROJECT_ID]/alertPolicies/[ALERT_POLICY_ID] (magic-modules
    // mmv1/products/monitoring/AlertPolicy.yaml); the ID is the server's, its digits here not from a source.
    "gcp:monitoring/alertPolicy:AlertPolicy": ({ name, project }) => ({
        name: `projects/${project}/alertPolicies/${shortHash(name, 19).replace(/[a-f]/g, "3")}`,
    }),
    // The API names a dashboard it creates by the project's number and an ID of its own (projects.dashboards.create);
    // the provider takes that name as the resource's ID.
    "gcp:monitoring/dashboard:Dashboard": ({ name }) => ({
        id: `projects/${FAKE_PROJECT_NUMBER}/dashboards/${shortHash(name, 8)}-${shortHash(`${name}/id`, 4)}-${shortHash(`${name}/id2`, 4)}`,
    }),
    "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig": ({ name, project }) => ({
        uptimeCheckId: autoName(name),
        name: `projects/${project}/uptimeCheckConfigs/${autoName(name)}`,
    }),
    // The ID names the project by its ID, the name by its number (iambeta/resource_iam_workload_identity_pool.go).
    "gcp:iam/workloadIdentityPool:WorkloadIdentityPool": ({ inputs, project }) => ({
        id: `projects/${inputs.project ?? project}/locations/global/workloadIdentityPools/${inputs.workloadIdentityPoolId}`,
        name: `projects/${FAKE_PROJECT_NUMBER}/locations/global/workloadIdentityPools/${inputs.workloadIdentityPoolId}`,
    }),
    "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider": ({ inputs }) => ({
        name: `projects/${FAKE_PROJECT_NUMBER}/locations/global/workloadIdentityPools/${inputs.workloadIdentityPoolId}/providers/${inputs.workloadIdentityPoolProviderId}`,
    }),
};
