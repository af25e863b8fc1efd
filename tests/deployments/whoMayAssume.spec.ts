import * as assert from "assert";
import * as fc from "fast-check";
import { isReleased } from "../../deployments/settings";
import { DeploymentsPlan, ORG, REPO, SUBJECT, deploymentsPlan, escLogins, parsedCommittedSettings } from "./deploymentsPlan";
import { IssuerPolicy, exchanges } from "./pulumiIssuerPolicy";
import { PULUMI_ISSUER_URL, escToken } from "./pulumiTokens";
import { mayAssume } from "./webIdentityTrust";
import { ProviderInputs, providerAccepts } from "./workloadIdentity";

/**
 * Who may take each identity deployments/ makes with the committed settings, as a property over token claims: for
 * every AWS role, every Google service account and every Pulumi team token GitHub's issuer hands out, a token is let
 * in exactly when its issuer, audience and subject are one the identity is meant for. The tokens tried are near those:
 * in each issuer's documented form (GitHub: "OpenID Connect reference", with the owner's and repository's IDs of its
 * immutable subject claims; ESC: "Configuring OIDC", subject attributes; Deployments: "Token Claims"), with another
 * repository, owner, ID, branch, environment, organization, project or attribute, case changed, IAM's and Pulumi's
 * wildcard characters in them, another or no audience, another issuer, another workflow file or ref (GitHub's
 * job_workflow_ref: a job of any workflow on the branch, pull_request_target's and issue_comment's too, carries the
 * push's subject).
 */
const PROJECT = "multicloud-service";
const GITHUB_ISSUER_URL = "https://token.actions.githubusercontent.com";
const RUNS = 1000;

/** A token's claims; `repository` and `job_workflow_ref` are GitHub's own, which Google's attribute condition and STS read. */
type Claims = { iss: string; aud: string | null; sub: string; repository?: string; job_workflow_ref?: string };
/** `forNoToken`: meant for no token of this kind (the Deployments teams get theirs from a team access token, not GitHub). */
type Identity = { name: string; intended: Claims[]; accepts: (token: Claims) => boolean; forNoToken?: boolean };

/** Whether `token` is the intended one; an intended token without `repository` or `job_workflow_ref` is meant whatever that claim says. */
const isIntended = (intended: Claims, token: Claims) =>
    intended.iss === token.iss &&
    intended.aud === token.aud &&
    intended.sub === token.sub &&
    (intended.repository === undefined || intended.repository === token.repository) &&
    (intended.job_workflow_ref === undefined || intended.job_workflow_ref === token.job_workflow_ref);
const shown = (t: Claims) => JSON.stringify({ ...t, sub: t.sub.replace(SUBJECT, "<prefix>") });

/** A GitHub token's `repository` is its owner/name without the IDs the subject carries after '@'. */
const repositoryOf = (prefix: string) => prefix.replace(/^repo:/, "").replace(/@[^/]*/g, "");

/** The identities of the plan, each with the tokens it is meant for (read from the committed settings, not the trusts). */
function identities(plan: DeploymentsPlan): Identity[] {
    const s = parsedCommittedSettings();
    const github = (sub: string, aud: string, repository?: string, job_workflow_ref?: string): Claims => ({ iss: GITHUB_ISSUER_URL, aud, sub, repository, job_workflow_ref });
    // A login defined in an environment names it in currentEnvironment.name, however the environment is opened.
    const esc = (platform: "aws" | "gcp", environment: string): Claims => ({ iss: PULUMI_ISSUER_URL, aud: `${platform}:${ORG}`, sub: escToken(platform, ORG, { definedIn: environment }, ["currentEnvironment.name"]).sub });
    const pushes = Object.keys(s.stacks).filter((stack) => s.stacks[stack].deployOnPush);
    const released = Object.keys(s.stacks).filter((stack) => isReleased(s, stack));
    const push = `${SUBJECT}:ref:refs/heads/${s.branch}`;
    // The image identities are for image.yml's jobs on the branch, not every job that carries the branch's subject.
    const imageWorkflow = `${REPO}/.github/workflows/image.yml@refs/heads/${s.branch}`;
    const inEnvironment = (stack: string) => `${SUBJECT}:environment:${stack}`;

    const found: Identity[] = [];
    for (const role of plan.roles()) {
        const intended = [
            ...plan.environments.filter((e) => escLogins(e.definition).some((l) => l.platform === "aws" && l.block.oidc.roleArn === role.outputs.arn)).map((e) => esc("aws", e.name)),
            ...pushes.filter((stack) => role.name === `image-${stack}`).map(() => github(push, "sts.amazonaws.com", undefined, imageWorkflow)),
            ...released.filter((stack) => role.name === `promote-${stack}`).map((stack) => github(inEnvironment(stack), "sts.amazonaws.com")),
        ];
        const trust = plan.trustOf(role);
        const others = (t: Claims): Record<string, string> => (t.job_workflow_ref === undefined ? {} : { job_workflow_ref: t.job_workflow_ref });
        found.push({ name: `AWS role ${role.name}`, intended, accepts: (t) => mayAssume(trust, { sub: t.sub, aud: t.aud, issuer: t.iss, others: others(t) }) === "Allowed" });
    }

    const pool = plan.pool().outputs.name as string;
    const providerName = (plan.outputs as any).githubSecrets.GCP_WORKLOAD_IDENTITY_PROVIDER as string;
    // google-github-actions/auth asks for https://iam.googleapis.com/<provider>; STS takes it with or without https: (IAM docs).
    const githubToGoogle = (sub: string, workflow?: string) => [github(sub, `https://iam.googleapis.com/${providerName}`, REPO, workflow), github(sub, `//iam.googleapis.com/${providerName}`, REPO, workflow)];
    for (const account of plan.accounts()) {
        const email = account.outputs.email as string;
        const intended = [
            ...plan.environments.filter((e) => escLogins(e.definition).some((l) => l.platform === "gcp" && l.block.oidc.serviceAccount === email)).map((e) => esc("gcp", e.name)),
            ...pushes.filter((stack) => account.name === `image-${stack}`).flatMap(() => githubToGoogle(push, imageWorkflow)),
            ...released.filter((stack) => account.name === `promote-${stack}` || account.name === `release-${stack}`).flatMap((stack) => githubToGoogle(inEnvironment(stack))),
        ];
        const members = plan.impersonators(email);
        const accepts = (t: Claims) => {
            const claims = Object.fromEntries(Object.entries({ repository: t.repository, job_workflow_ref: t.job_workflow_ref }).filter(([, value]) => value !== undefined)) as Record<string, string>;
            const token = { iss: t.iss, aud: t.aud as string, sub: t.sub, claims, describe: t.sub };
            const principals = plan.providers().flatMap((p) => providerAccepts(pool, p.inputs as ProviderInputs, token).principals);
            return members.some((m) => principals.includes(m));
        };
        found.push({ name: `Google account ${account.name}`, intended, accepts });
    }

    const issuer = plan.ofType("pulumiservice:index:OidcIssuer").find((r) => r.inputs.url === GITHUB_ISSUER_URL)!;
    const policies: IssuerPolicy[] = issuer.inputs.policies;
    const teams = new Set(policies.map((p) => p.teamName!));
    for (const team of [...teams, `${PROJECT}-deployers`, `${PROJECT}-reviewers`]) {
        const aud = `urn:pulumi:org:${ORG}`;
        const intended = [
            ...(team === `${PROJECT}-previewers` ? [github(`${SUBJECT}:pull_request`, aud)] : []),
            ...(team === `${PROJECT}-releasers` ? released.map((stack) => github(inEnvironment(stack), aud)) : []),
        ];
        const accepts = (t: Claims) => t.iss === GITHUB_ISSUER_URL && exchanges(policies, { sub: t.sub, ...(t.aud === null ? {} : { aud: t.aud }) }, { tokenType: "team", team });
        found.push({ name: `Pulumi team token ${team}`, intended, accepts, forNoToken: !teams.has(team) });
    }
    return found;
}

/** Mostly the intended part (the first), so that the other parts' near-misses are tried on the intended rest. */
const mostlyFirst = <T>(choices: T[]) => fc.oneof({ arbitrary: fc.constant(choices[0]), weight: 2 }, { arbitrary: fc.constantFrom(...choices), weight: 1 });

// Near-misses, part by part. `*` and `?` are IAM StringLike's and Pulumi's wildcards, `.` Pulumi's any-one-character.
const owners = ["my-github-org@1234567", "my-github-org", "My-GitHub-Org@1234567", "my-github-org@1234568", "my-github-org@12345678", "my-github-org@123456", "someone@1234567", "my-github-org-fork@7654321", "my-github-or@1234567", "my-github-org@*", "*", "my-github-org@123456?", "my.github.org@1234567"];
const names = ["multicloud-service@987654321", "multicloud-service", "Multicloud-Service@987654321", "multicloud-service-fork@987654321", "multicloud-servic@987654321", "multicloud-service@98765432", "multicloud-service@9876543210", "multicloud-service@*", "*", "multicloud-service@98765432?", "multicloud.service@987654321"];
const branches = ["main", "Main", "main2", "mai", "main/x", "*", "ma?n", "feature", "m.in"];
const environments = ["prod", "Prod", "PROD", "prod-eu", "pro", "dev", "review", "preview", "*", "pr?d", "prod ", "pr.d", "prod-release"];
// Workflow files and refs a job on the branch may name: image.yml's (the first), the other workflows', a new one's
// (a pull_request_target or issue_comment job carries the push's subject), image.yml on another ref or repository.
const workflowRefs = (repository: string) =>
    [
        "image.yml@refs/heads/main",
        "preview.yml@refs/heads/main",
        "deploy-prod.yml@refs/heads/main",
        "triage.yml@refs/heads/main",
        "image.yml@refs/heads/main2",
        "image.yml@refs/heads/feature",
        "image.yml@refs/tags/main",
        "Image.yml@refs/heads/main",
        "image.yaml@refs/heads/main",
        "image.yml@refs/heads/*",
        "*",
        "image.yml@refs/heads/m.in",
    ].map((ref) => `${repository}/.github/workflows/${ref}`);
const githubSubject = fc
    .tuple(mostlyFirst(owners), mostlyFirst(names), fc.nat(5), fc.constantFrom(...branches), fc.constantFrom(...environments), fc.nat(11), mostlyFirst([REPO, "someone/multicloud-service", "my-github-org/multicloud-service-fork"]))
    .map(([owner, name, kind, branch, environment, workflow, workflowRepository]) => {
        const prefix = `repo:${owner}/${name}`;
        const context = [`:ref:refs/heads/${branch}`, `:ref:refs/tags/${branch}`, `:environment:${environment}`, ":pull_request", `:job_workflow_ref:${repositoryOf(prefix)}/.github/workflows/image.yml@refs/heads/${branch}`, ""][kind];
        return { sub: prefix + context, repository: repositoryOf(prefix), job_workflow_ref: workflowRefs(workflowRepository)[workflow] };
    });

const orgs = [ORG, "My-Pulumi-Org", `${ORG}2`, "my-pulumi-or", "someone-else", "*", "my.pulumi-org"];
const projects = [PROJECT, `${PROJECT}-x`, "multicloud-servic", "Multicloud-Service", "other", "*", "multicloud.service"];
const escEnvironments = ["dev", "prod", "review", "preview", "prod-release", "Prod", "prod2", "*", "pr?d", "<yaml>"];
const escSubject = fc
    .tuple(mostlyFirst(orgs), mostlyFirst(projects), fc.constantFrom(...escEnvironments), fc.nat(4), mostlyFirst(["currentEnvironment.name", "rootEnvironment.name", "pulumi.user.login"]))
    .map(([org, project, environment, kind, attribute]) =>
        [
            `pulumi:environments:pulumi.organization.login:${org}:${attribute}:${project}/${environment}`,
            `pulumi:environments:pulumi.organization.login:${org}:currentEnvironment.name:${project}/${environment}:pulumi.user.login:someone`,
            `pulumi:environments:org:${org}:env:${project}/${environment}`,
            `pulumi:environments:org:${org}:env:<yaml>`,
            `pulumi:deploy:org:${org}:project:${project}:stack:${environment}:operation:update:scope:write`,
        ][kind],
    )
    .map((sub) => ({ sub, repository: REPO }));

/** One character inserted, deleted, swapped in case or replaced by a wildcard; or the subject cut short or extended. */
const edited = (sub: string) =>
    fc.tuple(fc.nat(sub.length), fc.nat(6), fc.constantFrom("*", "?", ".", ":", "/", "@", "a", "A", "0", "\n", " ")).map(([at, op, c]) => {
        const before = sub.slice(0, at);
        const after = sub.slice(at);
        return [before + c + after, before + after.slice(1), before + after.slice(0, 1).toUpperCase() + after.slice(1), before + c + after.slice(1), before, `${sub}${c}`, sub.toLowerCase()][op];
    });

describe("deployments/: who may take each identity, as a property over token claims (GitHub, ESC, Deployments tokens)", function () {
    this.timeout(60_000);
    let plan: DeploymentsPlan;
    let all: Identity[];
    before(async () => {
        plan = await deploymentsPlan();
        all = identities(plan);
    });

    const audiences = () => [...new Set(all.flatMap((i) => i.intended.map((t) => t.aud))), ORG, `https://github.com/my-github-org`, `AWS:${ORG}`, `aws:My-Pulumi-Org`, "*", null];
    const issuers = [GITHUB_ISSUER_URL, PULUMI_ISSUER_URL, `${PULUMI_ISSUER_URL}/v2`, `${GITHUB_ISSUER_URL}/`, "https://token.actions.githubusercontent.com.example.com", "http://token.actions.githubusercontent.com", "https://api.pulumi.com"];

    /** Any intended token with one part changed (or none), or a subject edited by a character. */
    const nearTokens = () => {
        const intended = all.flatMap((i) => i.intended);
        const anotherWorkflow = fc.constantFrom(...workflowRefs(REPO), ...workflowRefs("someone/multicloud-service"));
        const oneChanged = fc.tuple(fc.constantFrom(...intended), fc.nat(5), fc.constantFrom(...issuers), fc.constantFrom(...audiences()), fc.oneof(githubSubject, escSubject), anotherWorkflow).map(([t, part, iss, aud, other, workflow]): Claims =>
            [t, { ...t, iss }, { ...t, aud }, { ...t, ...other }, { ...t, repository: other.repository }, { ...t, job_workflow_ref: workflow }][part],
        );
        const editedSub = fc.constantFrom(...intended).chain((t) => edited(t.sub).map((sub) => ({ ...t, sub })));
        const mixed = fc.tuple(fc.constantFrom(...issuers), fc.constantFrom(...audiences()), fc.oneof(githubSubject, escSubject)).map(([iss, aud, s]): Claims => ({ iss, aud, ...s }));
        return fc.oneof(oneChanged, editedSub, mixed).map(asIssued);
    };
    // Every GitHub token carries `repository` and `job_workflow_ref` (GitHub's "OpenID Connect reference"); ESC's tokens ignore them.
    const asIssued = (t: Claims): Claims => ({ ...t, repository: t.repository ?? REPO, job_workflow_ref: t.job_workflow_ref ?? workflowRefs(REPO)[0] });
    /**
     * Each intended token with the subject of one meant for another issuer (a GitHub token whose `sub` is an ESC
     * login's): Google's pool maps both issuers' subjects and a binding names the subject whichever provider mapped
     * it. Tried every run, since the generators reach them rarely.
     */
    const otherIssuersSubjects = () => {
        const intended = all.flatMap((i) => i.intended);
        return intended.flatMap((t) => intended.filter((other) => other.iss !== t.iss).map((other) => [asIssued({ ...t, sub: other.sub })] as [Claims]));
    };

    /**
     * Each intended token with its stack or branch swapped for every other: a GitHub environment for each stack of the
     * settings and each near name, the branch of a push's subject and of its job_workflow_ref (apart and together) for
     * each near branch, an ESC login's environment for each other environment of the plan. A trust widened to every
     * stack (the releasers' issuer policy made for each stack, not each released one) takes only these, which the
     * generators reach in a few runs of a hundred: tried every run.
     */
    const swappedStacksAndBranches = () => {
        const s = parsedCommittedSettings();
        const stackNames = [...new Set([...Object.keys(s.stacks), ...environments])];
        const branchNames = [...new Set([s.branch, ...branches])];
        const escNames = plan.environments.map((e) => e.name);
        const inEnvironment = `${SUBJECT}:environment:`;
        const onBranch = (branch: string) => `${SUBJECT}:ref:refs/heads/${branch}`;
        const workflowOn = (ref: string, branch: string) => ref.replace(`@refs/heads/${s.branch}`, `@refs/heads/${branch}`);
        const swapped = (t: Claims): Claims[] => {
            if (t.iss === PULUMI_ISSUER_URL) {
                const login = escNames.find((name) => t.sub.endsWith(`:currentEnvironment.name:${name}`));
                return login === undefined ? [] : escNames.map((name) => ({ ...t, sub: t.sub.slice(0, -login.length) + name }));
            }
            if (t.sub.startsWith(inEnvironment)) return stackNames.map((stack) => ({ ...t, sub: inEnvironment + stack }));
            if (t.sub !== onBranch(s.branch)) return [];
            const ref = asIssued(t).job_workflow_ref!;
            return branchNames.flatMap((branch) => [
                { ...t, sub: onBranch(branch) },
                { ...t, job_workflow_ref: workflowOn(ref, branch) },
                { ...t, sub: onBranch(branch), job_workflow_ref: workflowOn(ref, branch) },
            ]);
        };
        const tokens = all.flatMap((i) => i.intended).flatMap(swapped).map(asIssued);
        assert.ok(tokens.some((t) => t.sub.startsWith(inEnvironment)) && tokens.some((t) => t.sub.startsWith(`${SUBJECT}:ref:`)) && tokens.some((t) => t.iss === PULUMI_ISSUER_URL), "no environment, branch or ESC login to swap: the intended tokens changed form");
        return [...new Map(tokens.map((t) => [JSON.stringify(t), t])).values()].map((t) => [t] as [Claims]);
    };

    it("every identity is meant for some token, and takes each token it is meant for", () => {
        assert.ok(all.length >= 15, `only ${all.length} identities`);
        for (const identity of all) {
            assert.ok(identity.forNoToken || identity.intended.length > 0, `${identity.name}: the settings mean it for no token (a new identity this spec does not know)`);
            for (const token of identity.intended) assert.ok(identity.accepts(token), `${identity.name} refuses ${shown(token)}`);
        }
    });

    it("no identity takes a token near one it is meant for (another repository, branch, environment, organization, project, audience, issuer, case, wildcard)", () => {
        fc.assert(
            fc.property(nearTokens(), (token) => {
                for (const identity of all) {
                    const meant = identity.intended.some((t) => isIntended(t, token));
                    assert.strictEqual(identity.accepts(token), meant, `${identity.name} ${meant ? "refuses" : "takes"} ${shown(token)}`);
                }
            }),
            { numRuns: RUNS, examples: [...otherIssuersSubjects(), ...swappedStacksAndBranches()] },
        );
    });
});
