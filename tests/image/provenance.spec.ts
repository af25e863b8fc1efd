import * as assert from "assert";
import { slsaProvenance } from "../../scripts/image/provenance";

/** What GitHub sets in image.yml's job (docs: "Store information in variables", Default environment variables). */
const GITHUB = {
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_REPOSITORY: "acme/multicloud-service",
    GITHUB_REPOSITORY_ID: "123456789",
    GITHUB_REPOSITORY_OWNER_ID: "987654",
    GITHUB_WORKFLOW_REF: "acme/multicloud-service/.github/workflows/image.yml@refs/heads/main",
    GITHUB_REF: "refs/heads/main",
    GITHUB_SHA: "f".repeat(40),
    GITHUB_RUN_ID: "4242",
    GITHUB_RUN_ATTEMPT: "2",
    GITHUB_EVENT_NAME: "push",
    RUNNER_ENVIRONMENT: "github-hosted",
};

// The predicate's run and source fields as actions/toolkit's attest writes them for this build type
// (packages/attest/src/provenance.ts: builder.id `<server>/<job_workflow_ref>`, invocationId
// `<server>/<repository>/actions/runs/<run_id>/attempts/<run_attempt>`; resolvedDependencies `git+<server>/<repository>@<ref>`).
describe("npm run image -- provenance: the SLSA v1 predicate image.yml attests, from GitHub's variables", () => {
    it("names this run's attempt, the workflow that built it and the commit it built", () => {
        const predicate = slsaProvenance(GITHUB) as any;
        assert.deepStrictEqual(predicate.buildDefinition.externalParameters.workflow, { ref: "refs/heads/main", repository: "https://github.com/acme/multicloud-service", path: ".github/workflows/image.yml" });
        assert.deepStrictEqual(predicate.buildDefinition.resolvedDependencies, [{ uri: "git+https://github.com/acme/multicloud-service@refs/heads/main", digest: { gitCommit: "f".repeat(40) } }]);
        assert.deepStrictEqual(predicate.runDetails, {
            builder: { id: "https://github.com/acme/multicloud-service/.github/workflows/image.yml@refs/heads/main" },
            metadata: { invocationId: "https://github.com/acme/multicloud-service/actions/runs/4242/attempts/2" },
        });
    });

    it("refuses to describe a run without the commit: GITHUB_SHA unset names it", () => {
        assert.throws(() => slsaProvenance({ ...GITHUB, GITHUB_SHA: undefined }), /^Error: GITHUB_SHA is not set: the provenance describes a GitHub Actions run \(run this in image\.yml\)$/);
    });
});
