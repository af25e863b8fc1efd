import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Statement, doc } from "../components/aws/iamPolicies";
import { ecrRepositoryName } from "../components/aws/imageRepository";
import { DeploymentsSettings } from "./settings";
import { StackTarget } from "./stackTargets";

export const PULUMI_ISSUER = "api.pulumi.com/oidc";
export const GITHUB_ISSUER = "token.actions.githubusercontent.com";
/** The audience aws-actions/configure-aws-credentials asks GitHub for. */
export const GITHUB_AUDIENCE = "sts.amazonaws.com";
const READ_ONLY_POLICY = "arn:aws:iam::aws:policy/ReadOnlyAccess";

/** GitHub's `sub` claim: a job in an environment, a push of a ref, or a pull request of this repository. */
export const githubSubject = {
    environment: (repository: string, environment: string) => `repo:${repository}:environment:${environment}`,
    ref: (repository: string, ref: string) => `repo:${repository}:ref:${ref}`,
    pullRequest: (repository: string) => `repo:${repository}:pull_request`,
};

function webIdentity(providerArn: string, issuer: string, audience: string, subject: string): Statement {
    return {
        Effect: "Allow",
        Principal: { Federated: providerArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: { StringEquals: { [`${issuer}:aud`]: audience }, StringLike: { [`${issuer}:sub`]: subject } },
    };
}

/**
 * Only deployments of this org's project and stack may assume the role; for a stack that GitHub Actions deploys
 * (not on push: deploy-prod.yml), also jobs of this repository that run in the GitHub environment of that name.
 */
export function deployRoleTrustPolicy(providers: { pulumi: string; github: string }, s: DeploymentsSettings, stack: string) {
    const statements = [webIdentity(providers.pulumi, PULUMI_ISSUER, s.organization, `pulumi:deploy:org:${s.organization}:project:${s.project}:stack:${stack}:*`)];
    if (!s.stacks[stack].deployOnPush) statements.push(webIdentity(providers.github, GITHUB_ISSUER, GITHUB_AUDIENCE, githubSubject.environment(s.repository, stack)));
    return doc(...statements);
}

/** The refs whose pushes build a stack's image (image.yml): the branch for stacks deployed on push, else release tags. */
export function imageRef(s: DeploymentsSettings, stack: string): string {
    return s.stacks[stack].deployOnPush ? `refs/heads/${s.branch}` : "refs/tags/v*";
}

/** What image.yml does with a stack's ECR repository: wait for it, look the tag up, log in, push. Nothing else. */
export function imagePushPolicy(repositoryArn: string) {
    return doc(
        { Sid: "RegistryLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
        {
            Sid: "PushToThisStacksRepository",
            Effect: "Allow",
            Action: [
                "ecr:DescribeRepositories",
                "ecr:DescribeImages",
                "ecr:BatchCheckLayerAvailability",
                "ecr:BatchGetImage",
                "ecr:GetDownloadUrlForLayer",
                "ecr:InitiateLayerUpload",
                "ecr:UploadLayerPart",
                "ecr:CompleteLayerUpload",
                "ecr:PutImage",
            ],
            Resource: repositoryArn,
        },
    );
}

/**
 * IAM OIDC providers for Pulumi's issuer and GitHub's; per stack a deploy role (Pulumi Deployments, and GitHub's
 * environment for stacks deployed from a workflow) and an image role (image.yml); one read-only preview role for
 * pull requests (preview.yml).
 */
export function createAwsOidc(s: DeploymentsSettings, targets: Record<string, StackTarget>) {
    const tags = (environment: string) => ({ project: s.project, environment, "managed-by": "pulumi" });
    const provider = new aws.iam.OpenIdConnectProvider("pulumi-oidc", { url: `https://${PULUMI_ISSUER}`, clientIdLists: [s.organization] });
    const github = new aws.iam.OpenIdConnectProvider("github-oidc", { url: `https://${GITHUB_ISSUER}`, clientIdLists: [GITHUB_AUDIENCE] });
    const providers = pulumi.all([provider.arn, github.arn]).apply(([pulumiArn, githubArn]) => ({ pulumi: pulumiArn, github: githubArn }));
    const account = aws.getCallerIdentityOutput().accountId;
    const roles: Record<string, aws.iam.Role> = {};
    const imageRoles: Record<string, aws.iam.Role> = {};
    for (const [stack, target] of Object.entries(targets)) {
        roles[stack] = new aws.iam.Role(`deploy-${stack}`, {
            description: `Deployments of ${s.project}/${stack}`,
            maxSessionDuration: 3600,
            assumeRolePolicy: providers.apply((arns) => JSON.stringify(deployRoleTrustPolicy(arns, s, stack))),
            managedPolicyArns: s.awsPolicyArns,
            tags: tags(stack),
        });
        const repositoryArn = pulumi.interpolate`arn:aws:ecr:${target.awsRegion}:${account}:repository/${ecrRepositoryName(s.project, stack)}`;
        imageRoles[stack] = new aws.iam.Role(`image-${stack}`, {
            description: `image.yml pushing ${s.project}/${stack}'s image`,
            maxSessionDuration: 3600,
            assumeRolePolicy: github.arn.apply((arn) =>
                JSON.stringify(doc(webIdentity(arn, GITHUB_ISSUER, GITHUB_AUDIENCE, githubSubject.ref(s.repository, imageRef(s, stack))))),
            ),
            inlinePolicies: [{ name: "push-image", policy: repositoryArn.apply((arn) => JSON.stringify(imagePushPolicy(arn))) }],
            tags: tags(stack),
        });
    }
    const previewRole = new aws.iam.Role("preview", {
        description: `preview.yml: pulumi preview of ${s.project} on pull requests (read-only)`,
        maxSessionDuration: 3600,
        assumeRolePolicy: github.arn.apply((arn) => JSON.stringify(doc(webIdentity(arn, GITHUB_ISSUER, GITHUB_AUDIENCE, githubSubject.pullRequest(s.repository))))),
        managedPolicyArns: [READ_ONLY_POLICY],
        tags: tags("all"),
    });
    return { provider, github, roles, imageRoles, previewRole };
}

export type AwsOidc = ReturnType<typeof createAwsOidc>;
