import { shortHash } from "./fakeIds";
import { OutputRules } from "./outputRules";

/** Outputs the Pulumi Cloud provider (pulumiservice) computes, keyed by type token; inputs are echoed back as well. */
export const pulumiServiceOutputRules: OutputRules = {
    // CreateTeamToken answers the token itself (`tokenValue`: Pulumi Cloud REST API, "Create team access token";
    // Pulumi tokens are "pul-" and 40 hex), which the provider keeps as the secret `value`.
    "pulumiservice:index:TeamAccessToken": ({ inputs }) => ({ value: `pul-${shortHash(`${inputs.teamName}/${inputs.name}`, 40)}` }),
};
