/**
 * The registries as the image tooling reaches them (no Docker needed to ask): ECR through the AWS SDK and Artifact
 * Registry through its REST API, with the same lookups `pulumi up` uses, and a copy by digest with skopeo.
 */
import { ecrLogin, ecrOciRepository } from "../../components/aws/ecrLogin";
import { ecrDigestOfTag, ecrRepositoryOf } from "../../components/aws/ecrImages";
import { ecrRegistryHost } from "../../components/aws/imageRepository";
import { digestOfTag } from "../../components/gcp/artifactRegistryTags";
import { artifactRegistryImageOf } from "../../components/gcp/imageNames";
import { OciRepository } from "../../components/image";
import { refusal } from "../../components/refusal";
import { skopeoCopy } from "./skopeo";
import { ImageTargets } from "./targets";
import { googleAccessToken } from "../google/accessToken";
import { endpointVariablesNameIt } from "../../components/aws/endpointVariables";

export { ecrLogin };

export type CloudName = "aws" | "gcp";

/** One cloud's repository of a stack, as the promotion and the build see it. */
export interface RepositoryTarget {
    cloud: CloudName;
    /** `<host>/<path>` without tag or digest. */
    repository: string;
    tag: string;
    platform: string;
}

export interface Registries {
    /** The digest under a tag, or undefined when the registry answers that it is not there. */
    digestOf(target: RepositoryTarget): Promise<string | undefined>;
    /** Copies the image `from@digest` to `to:tag`, bytes unchanged (same digest). */
    copy(from: RepositoryTarget, digest: string, to: RepositoryTarget): Promise<void>;
    /** The repository as the OCI distribution API reaches it (where the signature and attestations are read). */
    oci(target: RepositoryTarget): Promise<OciRepository>;
}

/** `ecrHost`: the ECR registry of the credentials' account in the stack's region (see ecrLogin). */
export function repositoryTargets(t: ImageTargets, ecrHost?: string): RepositoryTarget[] {
    const targets: RepositoryTarget[] = [];
    if (t.aws) targets.push({ cloud: "aws", repository: `${ecrHost ?? ecrRegistryHost("<account>", t.aws.region)}/${t.aws.repositoryName}`, tag: t.aws.tag, platform: t.aws.platform });
    if (t.gcp) targets.push({ cloud: "gcp", repository: t.gcp.repository, tag: t.gcp.tag, platform: t.gcp.platform });
    return targets;
}

/**
 * The region and name of an AWS target's ECR repository. Its host is the proxyEndpoint ECR's login answered
 * (repositoryTargets): one that is not an ECR registry's came from an endpoint that is not ECR's.
 */
function ecrRepository(t: RepositoryTarget): { region: string; name: string } {
    const ecr = ecrRepositoryOf(t.repository);
    if (ecr) return ecr;
    throw refusal(
        `aws: ${t.repository} is not an ECR repository (<account>.dkr.ecr.<region>.amazonaws.com/<name>), so there is no ECR login, tag or signature to ask it for: ` +
            `its host is the proxyEndpoint ECR's GetAuthorizationToken answered, so check that ${endpointVariablesNameIt("ECR")}, then run this again`,
    );
}

/**
 * The region, project, repository and image of a GCP target's Artifact Registry image. imageTargets names it from the
 * stack's gcp:region and gcp:project (scripts/image/targets.ts): one that is not Artifact Registry's gets no Google token.
 */
function artifactRegistryImage(t: RepositoryTarget): { region: string; project: string; repositoryId: string; imageName: string } {
    const image = artifactRegistryImageOf(t.repository);
    if (image) return image;
    throw refusal(
        `gcp: ${t.repository} is not an Artifact Registry image (<region>-docker.pkg.dev/<project>/<repository>/<image>), so there is no Artifact Registry login, tag or signature to ask it for: ` +
            "the image tool names it from the stack's gcp:region and gcp:project (scripts/image/targets.ts), so check those in Pulumi.<stack>.yaml, then run this again",
    );
}

/** `user:password` for a registry, as `docker login` and `skopeo --creds` take them. */
export async function registryCredentials(t: RepositoryTarget): Promise<{ user: string; password: string }> {
    if (t.cloud === "gcp") {
        artifactRegistryImage(t);
        return { user: "oauth2accesstoken", password: await googleAccessToken() };
    }
    return { user: "AWS", password: (await ecrLogin(ecrRepository(t).region)).password };
}

/** The registries of the credentials this process has: AWS's standard chain and Google's application default. */
export function cloudRegistries(): Registries {
    return {
        async digestOf(t) {
            if (t.cloud === "aws") {
                const { region, name } = ecrRepository(t);
                return ecrDigestOfTag(region, name, t.tag);
            }
            return digestOfTag(artifactRegistryImage(t), t.tag, await googleAccessToken());
        },
        async oci(t) {
            if (t.cloud === "aws") {
                const { region, name } = ecrRepository(t);
                return ecrOciRepository(region, name);
            }
            artifactRegistryImage(t);
            const [host, ...path] = t.repository.split("/");
            return { host, name: path.join("/"), credentials: () => registryCredentials(t) };
        },
        async copy(from, digest, to) {
            const login = async (t: RepositoryTarget) => ({ repository: t.repository, ...(await registryCredentials(t)) });
            await skopeoCopy(`docker://${from.repository}@${digest}`, `docker://${to.repository}:${to.tag}`, [await login(from), await login(to)]);
        },
    };
}
