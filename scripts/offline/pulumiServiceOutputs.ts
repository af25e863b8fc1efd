import { fakeUuid, shortHash } from "./fakeIds";
import { OutputRules } from "./outputRules";
import { issuerThumbprints } from "./pulumiServiceReads";

/** Outputs the Pulumi Cloud provider (pulumiservice) computes, keyed by type token; inputs are echoed back as well. */
export const pulumiServiceOutputRules: OutputRules = {
    // CreateTeamToken answers the token itself (`tokenValue`: Pulumi Cloud REST API, "Create team access token";
    // Pulumi tokens are "pul-" and 40 hex), which the provider keeps as the secret `value`. ID: org/team/name/<token ID>
    // (pulumi-pulumiservice v1.3.0 provider/pkg/resources/team_access_token.go Create, teamAccessTokenID; Read and
    // Delete split it back); the token ID is the answer's `id`, its form undocumented (apitype AccessToken.ID): a UUID
    // here, hashed apart from the value, as the ID is not secret.
    "pulumiservice:index:TeamAccessToken": ({ inputs }) => ({
        id: `${inputs.organizationName}/${inputs.teamName}/${inputs.name}/${fakeUuid(`token id ${inputs.teamName}/${inputs.name}`)}`,
        value: `pul-${shortHash(`${inputs.teamName}/${inputs.name}`, 40)}`,
    }),
    // Create returns the issuer as Pulumi Cloud registered it (pulumi-pulumiservice v1.3.0 oidc_issuer.go,
    // oidcIssuerStateFromAPI), with the thumbprints it computed when none were given.
    "pulumiservice:index:OidcIssuer": ({ inputs }) => ({ thumbprints: issuerThumbprints(inputs) }),
    // Create makes the environment, then pushes its definition, and keeps the revision ESC answers to that push
    // (pulumi-pulumiservice v1.3.0 environment.go Create, UpdateEnvironmentWithRevision): above 0. Which number ESC
    // gives a new environment's first definition is not documented; the program only checks that there is one.
    // Told ESC refuses (MockCloud.escRefusesDefinitions), the provider's Update answers revision 0.
    "pulumiservice:index:Environment": ({ world }) => ({ revision: world.escRefusesDefinitions ? 0 : 2 }),
};
