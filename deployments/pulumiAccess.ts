import * as pulumiservice from "@pulumi/pulumiservice";
import { githubSubject } from "./githubTokens";
import { PREVIEW_ENVIRONMENT, RELEASE_CREDENTIALS_MINUTES, credentialsEnvironment, releaseStateEnvironment } from "./escEnvironments";
import { DeploymentsSettings, isReleased } from "./settings";
import { teamTokenName } from "./teamTokens";

export const GITHUB_ISSUER_URL = "https://token.actions.githubusercontent.com";

/** The teams whose scoped tokens the workflows and Deployments get; none is an organization token. */
export const teamNames = (s: DeploymentsSettings) => ({
    /** Pull requests (preview.yml): read the stacks, open the read-only preview environment. */
    previewers: `${s.project}-previewers`,
    /** Released stacks' jobs (deploy-prod.yml in the GitHub environment): update the stack, read the image's source stack. */
    releasers: `${s.project}-releasers`,
    /** Pulumi Deployments of stacks deployed on push. */
    deployers: `${s.project}-deployers`,
    /**
     * Pulumi Deployments of review stacks, which run a pull request's code with the template's settings (and the
     * pull request may change its stack file): their token opens the review environment only, no other stack's.
     */
    reviewers: `${s.project}-reviewers`,
});

const READ = pulumiservice.TeamStackPermissionScope.Read;
const EDIT = pulumiservice.TeamStackPermissionScope.Edit;

/**
 * Who may do what in Pulumi Cloud: three machine teams with the least they need, GitHub's issuer with one policy per
 * kind of job (a pull request gets the previewers' token, a job in a released stack's GitHub environment the
 * releasers'), and the deployers' token for Pulumi Deployments. The org's default environment permission must be
 * None (docs/setup.md): these grants are then the only way to open a credentials environment.
 */
export function createPulumiAccess(s: DeploymentsSettings, stackResources: Record<string, pulumiservice.Stack>, environments: Record<string, pulumiservice.Environment>) {
    const teams = teamNames(s);
    const org = s.organization;
    // Members are always given: the provider reads a missing list as none, and an update removes everyone else.
    const team = (name: string, description: string, members: string[] = []) =>
        new pulumiservice.Team(name, { organizationName: org, teamType: "pulumi", name, displayName: name, description, members });
    const created = {
        previewers: team(teams.previewers, `pull requests of ${s.repository}: pulumi preview, read-only`),
        releasers: team(teams.releasers, `deploy-prod.yml and the people who release ${s.project}`, s.releasers),
        deployers: team(teams.deployers, `Pulumi Deployments of ${s.project}'s stacks deployed on push`),
        reviewers: team(teams.reviewers, `Pulumi Deployments of ${s.project}'s review stacks (pull requests' code)`),
    };
    // Every input of a permission replaces it, and the provider would add the new grant before removing the old one,
    // which for the same team and stack removes the grant just made: deleteBeforeReplace.
    const onStack = (teamName: string, stack: string, permission: pulumiservice.TeamStackPermissionScope) =>
        new pulumiservice.TeamStackPermission(
            `${teamName}-${stack}`,
            { organization: org, project: s.project, stack, team: teamName, permission },
            { dependsOn: [...Object.values(created), stackResources[stack]], deleteBeforeReplace: true },
        );
    // A grant names its environment by name: it waits for that environment, which waits for the roles in its YAML.
    const onEnvironment = (teamName: string, environment: string, permission: pulumiservice.EnvironmentPermission) =>
        new pulumiservice.TeamEnvironmentPermission(
            `${teamName}-${environment}`,
            { organization: org, project: s.project, environment, team: teamName, permission },
            { dependsOn: [...Object.values(created), environments[environment]] },
        );

    const stacks = Object.keys(s.stacks);
    // One grant per team and stack: two released stacks promoting the same stack's image (prod and prod-eu from dev)
    // share the releasers' read of it. A second TeamStackPermission of the same name would fail the whole `up` in the
    // engine before anything is sent: "Duplicate resource URN '<urn>'; try giving it a unique name" (pulumi/pulumi
    // sdk/go/common/diag/errors.go, GetDuplicateResourceURNError), which the mocks do not enforce.
    const sourcesRead = new Set<string>();
    onEnvironment(teams.previewers, PREVIEW_ENVIRONMENT, "open");
    for (const stack of stacks.filter((name) => !s.stacks[name].reviewTemplate)) onStack(teams.previewers, stack, READ);
    for (const stack of stacks) {
        const settings = s.stacks[stack];
        if (isReleased(s, stack)) {
            onStack(teams.releasers, stack, EDIT);
            if (settings.promoteFrom && !sourcesRead.has(settings.promoteFrom)) {
                sourcesRead.add(settings.promoteFrom);
                onStack(teams.releasers, settings.promoteFrom, READ);
            }
            onEnvironment(teams.releasers, credentialsEnvironment(stack), "open");
            onEnvironment(teams.releasers, releaseStateEnvironment(stack), "write");
            // A preview of the released stack shows its traffic split as the release left it.
            onEnvironment(teams.previewers, releaseStateEnvironment(stack), "open");
        } else if (settings.reviewTemplate) {
            onEnvironment(teams.reviewers, credentialsEnvironment(stack), "open");
        } else {
            if (settings.deployOnPush) onStack(teams.deployers, stack, EDIT);
            onEnvironment(teams.deployers, credentialsEnvironment(stack), "open");
        }
    }

    // pulumi/auth-actions asks GitHub for the audience urn:pulumi:org:<org> (its src/main.ts).
    const rules = (sub: string) => ({ sub, aud: `urn:pulumi:org:${org}` });
    const releasedStacks = stacks.filter((stack) => isReleased(s, stack));
    // Its policies name the teams: the issuer is made after them.
    const issuer = new pulumiservice.OidcIssuer("github-actions", {
        organization: org,
        name: "github-actions",
        url: GITHUB_ISSUER_URL,
        // The release's token lasts from its login, just before the release step, to that step's end (RELEASE_CREDENTIALS_MINUTES).
        maxExpirationSeconds: RELEASE_CREDENTIALS_MINUTES * 60,
        policies: [
            { decision: "allow", tokenType: "team", teamName: teams.previewers, rules: rules(githubSubject.pullRequest(s.githubSubjectPrefix)) },
            ...releasedStacks.map((stack) => ({ decision: "allow" as const, tokenType: "team" as const, teamName: teams.releasers, rules: rules(githubSubject.environment(s.githubSubjectPrefix, stack)) })),
        ],
    }, {
        dependsOn: Object.values(created),
        // Not ignoreChanges: ["thumbprints"], which Pulumi Cloud fills in: this provider (pulumi-go-provider infer,
        // v1.3.2 infer/resource.go diff) sets an ignored input from the state and diffs it against the old inputs, so
        // every preview would show the thumbprints added. Without it, only the first `up` after a refresh shows them
        // removed, and its update sends none (docs/setup.md, "When GitHub's Pulumi logins start failing").
    });
    const token = (key: "deployers" | "releasers" | "reviewers", description: string) =>
        new pulumiservice.TeamAccessToken(key, { organizationName: org, teamName: teams[key], name: teamTokenName(s.project, key, [teams[key], description, s.tokenGeneration]), description }, { dependsOn: [created[key]] });
    return {
        teams: created,
        issuer,
        /** What Pulumi Deployments runs with: the stack token it would use alone can open no environment. */
        deploymentTokens: {
            deployers: token("deployers", "Pulumi Deployments of stacks deployed on push"),
            reviewers: token("reviewers", "Pulumi Deployments of review stacks"),
            // A released stack's Deployments are its drift runs (no user behind them) and the console's buttons.
            releasers: token("releasers", "Pulumi Deployments of released stacks: drift detection"),
        },
    };
}

export type PulumiAccess = ReturnType<typeof createPulumiAccess>;

