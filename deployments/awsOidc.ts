import * as iam from "@pulumi/aws/iam";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import * as pulumi from "@pulumi/pulumi";
import { Statement, doc } from "../components/aws/iamPolicies";
import { ecrRepositoryName } from "../components/names";
import { createImageSigningKey } from "./imageSigningKey";
import { PREVIEW_ENVIRONMENT, credentialsEnvironment, credentialsMinutes } from "./escEnvironments";
import { escAudience, escSubject } from "./escTokens";
import { GITHUB_ISSUER, branchPushSubject, githubSubject } from "./githubTokens";
import { expectedImageWorkflow } from "./imageWorkflow";
import { DeploymentsSettings, isReleased } from "./settings";
import { createWorkloadBoundary, delegatedIamInlinePolicy, workloadRoleArns } from "./workloadRoles";
import { StackTarget } from "./stackTargets";

/** ESC's aws-login signs its tokens as this issuer (the same as Deployments'; ESC's fn::open::oidc uses /oidc/v2). */
export const PULUMI_ISSUER = "api.pulumi.com/oidc";
/** The audience aws-actions/configure-aws-credentials asks GitHub for. */
export const GITHUB_AUDIENCE = "sts.amazonaws.com";
const READ_ONLY_POLICY = "arn:aws:iam::aws:policy/ReadOnlyAccess";


/** Exactly one subject: every trust here names its one caller, so StringEquals (no pattern) on each claim it checks. */
function webIdentity(providerArn: string, issuer: string, audience: string, subject: string, others: Record<string, string> = {}): Statement {
    const claims = Object.fromEntries(Object.entries(others).map(([claim, value]) => [`${issuer}:${claim}`, value]));
    return {
        Effect: "Allow",
        Principal: { Federated: providerArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: { StringEquals: { [`${issuer}:aud`]: audience, [`${issuer}:sub`]: subject, ...claims } },
    };
}

/** Only logins defined in this ESC environment (`<project>/<name>`) of this org may assume the role. */
export function escTrustPolicy(pulumiProviderArn: string, s: DeploymentsSettings, environment: string) {
    return doc(webIdentity(pulumiProviderArn, PULUMI_ISSUER, escAudience("aws", s.organization), escSubject(s.organization, `${s.project}/${environment}`)));
}

/**
 * Only jobs of this repository that run in that GitHub environment (required reviewers) or for that ref; with
 * `workflow`, only jobs of that workflow file on that ref (the token's job_workflow_ref, which STS checks since
 * January 2026: AWS What's New, "AWS STS supports validation of identity provider specific claims", GitHub's
 * condition keys). A ref's subject alone is every workflow's that runs there (GitHub docs, "OpenID Connect
 * reference": pull_request_target, issue_comment, schedule, workflow_dispatch and workflow_run on the default branch
 * all carry `ref:refs/heads/<branch>`).
 */
export function githubTrustPolicy(githubProviderArn: string, subject: string, workflow?: string) {
    return doc(webIdentity(githubProviderArn, GITHUB_ISSUER, GITHUB_AUDIENCE, subject, workflow ? { job_workflow_ref: workflow } : {}));
}

const PULL_ACTIONS = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability", "ecr:DescribeImages"];
const PUSH_ACTIONS = [
    "ecr:DescribeRepositories",
    "ecr:DescribeImages",
    "ecr:BatchCheckLayerAvailability",
    "ecr:BatchGetImage",
    "ecr:GetDownloadUrlForLayer",
    "ecr:InitiateLayerUpload",
    "ecr:UploadLayerPart",
    "ecr:CompleteLayerUpload",
    "ecr:PutImage",
];
const registryLogin: Statement = { Sid: "RegistryLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" };
/**
 * image.yml's builds pull the base image (app/Dockerfile) from ECR Public signed in: anonymously they share the runner's
 * egress IP's quota (ECR Public service quotas: "Rate of unauthenticated image pulls", 1 per second; 500 GB of data a
 * month), signed in the account's (10 per second). The login (amazon-ecr-login `registry-type: public`, ECR Public's
 * GetAuthorizationToken in us-east-1) needs both actions, on "*" (its README, "Permissions", ECR Public).
 */
const publicRegistryLogin: Statement = { Sid: "PublicRegistryLogin", Effect: "Allow", Action: ["ecr-public:GetAuthorizationToken", "sts:GetServiceBearerToken"], Resource: "*" };

/** cosign with an AWS KMS key: Sign, and the public half (which cosign and the verifications read). */
const SIGN_ACTIONS = ["kms:Sign", "kms:GetPublicKey", "kms:DescribeKey"];
const VERIFY_ACTIONS = ["kms:GetPublicKey", "kms:DescribeKey"];

/** What image.yml does with a stack's ECR repository: wait for it, look the tag up, log in (and to ECR Public, for the base image), push; then sign and attest the image. */
export function imagePushPolicy(repositoryArn: string, signingKeyArn?: string) {
    return doc(
        registryLogin,
        publicRegistryLogin,
        { Sid: "PushToThisStacksRepository", Effect: "Allow", Action: PUSH_ACTIONS, Resource: repositoryArn },
        ...(signingKeyArn ? [{ Sid: "SignWithTheImageKey", Effect: "Allow" as const, Action: SIGN_ACTIONS, Resource: signingKeyArn }] : []),
    );
}

/**
 * Promotion (`npm run image -- promote <from> <to>`): read the source stack's image, verify its signature and
 * attestations with the signing key's public half, push it (and its .sig/.att) to this stack's repository.
 */
export function imagePromotePolicy(sourceRepositoryArn: string, repositoryArn: string, signingKeyArn?: string) {
    return doc(
        registryLogin,
        { Sid: "PullFromTheSourceRepository", Effect: "Allow", Action: PULL_ACTIONS, Resource: sourceRepositoryArn },
        { Sid: "PushToThisStacksRepository", Effect: "Allow", Action: PUSH_ACTIONS, Resource: repositoryArn },
        ...(signingKeyArn ? [{ Sid: "VerifyWithTheImageKey", Effect: "Allow" as const, Action: VERIFY_ACTIONS, Resource: signingKeyArn }] : []),
    );
}

/** The audience each issuer's tokens carry to AWS: ESC's AWS logins `aws:<org>`, configure-aws-credentials' default. */
export function oidcAudiences(organization: string): { pulumi: string; github: string } {
    return { pulumi: escAudience("aws", organization), github: GITHUB_AUDIENCE };
}

/**
 * The IAM OIDC providers the account already has (settings.existingAwsOidcProviders), read (iam:GetOpenIDConnectProvider)
 * before anything is registered and refused unless each lists the audience its tokens carry: STS checks a token's aud
 * against the provider's client IDs before any trust policy, and answers "InvalidIdentityToken: Incorrect token
 * audience" to every login of every role here otherwise. Fails the preview, naming the command that adds it.
 */
export async function checkExistingOidcProviders(s: DeploymentsSettings): Promise<void> {
    const audiences = oidcAudiences(s.organization);
    for (const [issuer, arn] of Object.entries(s.existingAwsOidcProviders) as [keyof typeof audiences, string | undefined][]) {
        if (!arn) continue;
        const setting = `settings.existingAwsOidcProviders.${issuer}`;
        // The provider's answer for an ARN the account does not have names neither ("couldn't find resource").
        const { clientIdLists } = await iam.getOpenIdConnectProvider({ arn }).catch((err: Error) => {
            const hint = /couldn't find resource/.test(err.message) ? "; it must be an IAM OIDC provider of the account deployments/ runs in (aws iam list-open-id-connect-providers)" : "";
            throw new pulumi.RunError(`${setting}: ${arn} could not be read${hint}. ${err.message}`);
        });
        if (!clientIdLists.includes(audiences[issuer])) {
            throw new pulumi.RunError(
                `${setting}: ${arn} lists the client IDs ${JSON.stringify(clientIdLists)}, not ${audiences[issuer]}, so STS would refuse every token with "Incorrect token audience". ` +
                    `Add it: aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn ${arn} --client-id ${audiences[issuer]}`,
            );
        }
    }
}

/**
 * IAM OIDC providers for Pulumi's issuer (ESC) and GitHub's; per stack a deploy role that only its ESC environment's
 * login may assume, for as long as that environment's credentials last; a read-only role for the preview environment;
 * an image role for stacks deployed on push (image.yml on pushes to the branch) and a promotion role for released stacks
 * (deploy-prod.yml's job in the GitHub environment of the stack's name). A stack on another stack's registries
 * (`image.registriesOf`, `registriesOf` here) has no ECR repository of its own: image.yml pushes its images to, and a
 * promotion from it pulls them from, that stack's repository (scripts/image/targets.ts), so the roles name that one.
 */
export function createAwsOidc(s: DeploymentsSettings, targets: Record<string, StackTarget>, registriesOf: Record<string, string | undefined>) {
    const tags = (environment: string) => ({ project: s.project, environment, "managed-by": "pulumi" });
    // One IAM provider per issuer URL and account: an existing one (settings.existingAwsOidcProviders) is used as it is.
    // One this program made is the account's too, so it outlives the program (retainOnDelete): other projects' roles
    // may trust it by now (their own existingAwsOidcProviders), and naming it under existingAwsOidcProviders later
    // takes it out of the program, which would otherwise delete the provider every role here trusts.
    const oidcProvider = (name: string, issuer: string, audience: string, existing: string | undefined) =>
        existing ? pulumi.output(existing) : new iam.OpenIdConnectProvider(name, { url: `https://${issuer}`, clientIdLists: [audience] }, { retainOnDelete: true }).arn;
    const provider = { arn: oidcProvider("pulumi-oidc", PULUMI_ISSUER, escAudience("aws", s.organization), s.existingAwsOidcProviders.pulumi) };
    const github = { arn: oidcProvider("github-oidc", GITHUB_ISSUER, GITHUB_AUDIENCE, s.existingAwsOidcProviders.github) };
    const account = getCallerIdentityOutput().accountId;
    const repositoryArn = (stack: string) => pulumi.interpolate`arn:aws:ecr:${targets[stack].awsRegion}:${account}:repository/${ecrRepositoryName(s.project, stack)}`;
    // The repository a stack's images are in: its registries' stack's (image.registriesOf), else its own.
    const imagesOf = (stack: string) => repositoryArn(registriesOf[stack] ?? stack);
    const roles: Record<string, iam.Role> = {};
    const imageRoles: Record<string, iam.Role> = {};
    const promoteRoles: Record<string, iam.Role> = {};
    const stacks = Object.keys(targets);
    const imageStacks = stacks.filter((stack) => s.stacks[stack].deployOnPush);
    const promotedStacks = stacks.filter((stack) => isReleased(s, stack) && s.stacks[stack].promoteFrom);
    // The roles' logical names, which the signing key's policy names too.
    const roleName = { deploy: (stack: string) => `deploy-${stack}`, image: (stack: string) => `image-${stack}`, promote: (stack: string) => `promote-${stack}`, preview: "preview" };
    const signers = imageStacks.map(roleName.image);
    const signing = createImageSigningKey(s.project, account, {
        signers,
        all: [...stacks.map(roleName.deploy), ...signers, ...promotedStacks.map(roleName.promote), roleName.preview],
        workloadRoleArns,
    });
    const workloadBoundary = createWorkloadBoundary(s.project);
    for (const stack of stacks) {
        roles[stack] = new iam.Role(roleName.deploy(stack), {
            description: `ESC ${s.project}/${credentialsEnvironment(stack)}: deploys ${s.project}/${stack}`,
            maxSessionDuration: credentialsMinutes(s, stack) * 60,
            assumeRolePolicy: provider.arn.apply((arn) => JSON.stringify(escTrustPolicy(arn, s, credentialsEnvironment(stack)))),
            managedPolicyArns: s.awsPolicyArns,
            // IAM only for the service's own roles, each under the workload boundary (deployments/workloadRoles.ts).
            inlinePolicies: [delegatedIamInlinePolicy(account, workloadBoundary)],
            tags: tags(stack),
        });
        if (imageStacks.includes(stack)) {
            imageRoles[stack] = new iam.Role(roleName.image(stack), {
                description: `image.yml pushing ${s.project}/${stack}'s image`,
                maxSessionDuration: 3600,
                assumeRolePolicy: github.arn.apply((arn) => JSON.stringify(githubTrustPolicy(arn, branchPushSubject(s), expectedImageWorkflow(s)))),
                inlinePolicies: [{ name: "push-image", policy: pulumi.all([imagesOf(stack), signing.key.arn]).apply(([arn, key]) => JSON.stringify(imagePushPolicy(arn, key))) }],
                tags: tags(stack),
            });
        }
        const source = s.stacks[stack].promoteFrom;
        if (promotedStacks.includes(stack) && source) {
            promoteRoles[stack] = new iam.Role(roleName.promote(stack), {
                description: `deploy-prod.yml promoting ${s.project}/${source}'s image to ${stack}`,
                maxSessionDuration: 3600,
                assumeRolePolicy: github.arn.apply((arn) => JSON.stringify(githubTrustPolicy(arn, githubSubject.environment(s.githubSubjectPrefix, stack)))),
                inlinePolicies: [
                    {
                        name: "promote-image",
                        policy: pulumi.all([imagesOf(source), repositoryArn(stack), signing.key.arn]).apply(([from, to, key]) => JSON.stringify(imagePromotePolicy(from, to, key))),
                    },
                ],
                tags: tags(stack),
            });
        }
    }
    const previewRole = new iam.Role(roleName.preview, {
        description: `ESC ${s.project}/${PREVIEW_ENVIRONMENT}: pulumi preview of ${s.project} on pull requests (read-only)`,
        maxSessionDuration: 3600,
        assumeRolePolicy: provider.arn.apply((arn) => JSON.stringify(escTrustPolicy(arn, s, PREVIEW_ENVIRONMENT))),
        managedPolicyArns: [READ_ONLY_POLICY],
        inlinePolicies: [{ name: "preview-reads", policy: JSON.stringify(previewReadsPolicy()) }],
        tags: tags("all"),
    });
    return { provider, github, roles, imageRoles, promoteRoles, previewRole, signing, workloadBoundary };
}

export type AwsOidc = ReturnType<typeof createAwsOidc>;

/**
 * Reads a preview makes that ReadOnlyAccess may not hold (its document was not read here; these make the preview not
 * depend on it): the provider validates every changed state machine definition while it plans
 * (terraform-provider-aws sfn/state_machine.go, CustomizeDiff stateMachineDefinitionValidate, which fails the plan on
 * any error), with ValidateStateMachineDefinition, an action of access level Read on no resource (Service
 * Authorization Reference, Step Functions); and the health check's schedule is read with GetSchedule, its schedule
 * group with GetScheduleGroup and its tags with ListTagsForResource (Scheduler tags schedule groups only: botocore
 * scheduler model, TagResource), on the group's ARN, arn:aws:scheduler:<region>:<account>:schedule-group/<name>.
 */
function previewReadsPolicy() {
    return doc(
        { Sid: "ValidateChangedStateMachineDefinitions", Effect: "Allow", Action: "states:ValidateStateMachineDefinition", Resource: "*" },
        {
            Sid: "ReadSchedules",
            Effect: "Allow",
            Action: ["scheduler:GetSchedule", "scheduler:ListSchedules", "scheduler:GetScheduleGroup", "scheduler:ListScheduleGroups", "scheduler:ListTagsForResource"],
            Resource: "*",
        },
    );
}
