/**
 * The SLSA v1 provenance predicate of an image the image workflow built, in GitHub Actions' build type
 * (https://actions.github.io/buildtypes/workflow/v1, what actions/attest-build-provenance writes), from the
 * variables GitHub sets in every job. `cosign attest --type slsaprovenance1` wraps it in an in-toto statement whose
 * subject is the image's digest and signs it with the KMS key; `pulumi up` of prod checks the workflow it names.
 */
export function slsaProvenance(env: NodeJS.ProcessEnv = process.env): object {
    const need = (name: string) => {
        const value = env[name];
        if (!value) throw new Error(`${name} is not set: the provenance describes a GitHub Actions run (run this in image.yml)`);
        return value;
    };
    const server = env.GITHUB_SERVER_URL ?? "https://github.com";
    const repository = need("GITHUB_REPOSITORY");
    // GITHUB_WORKFLOW_REF: `<owner>/<repo>/.github/workflows/image.yml@refs/heads/main`, the OIDC token's job_workflow_ref.
    const workflowRef = need("GITHUB_WORKFLOW_REF");
    const at = workflowRef.lastIndexOf("@");
    const path = workflowRef.slice(repository.length + 1, at);
    const ref = workflowRef.slice(at + 1);
    const runId = need("GITHUB_RUN_ID");
    return {
        buildDefinition: {
            buildType: "https://actions.github.io/buildtypes/workflow/v1",
            externalParameters: { workflow: { ref, repository: `${server}/${repository}`, path } },
            internalParameters: {
                github: { event_name: need("GITHUB_EVENT_NAME"), repository_id: env.GITHUB_REPOSITORY_ID ?? "", repository_owner_id: env.GITHUB_REPOSITORY_OWNER_ID ?? "", runner_environment: env.RUNNER_ENVIRONMENT ?? "github-hosted" },
            },
            resolvedDependencies: [{ uri: `git+${server}/${repository}@${env.GITHUB_REF ?? ref}`, digest: { gitCommit: need("GITHUB_SHA") } }],
        },
        runDetails: {
            builder: { id: `${server}/${workflowRef}` },
            metadata: { invocationId: `${server}/${repository}/actions/runs/${runId}/attempts/${env.GITHUB_RUN_ATTEMPT ?? "1"}` },
        },
    };
}
