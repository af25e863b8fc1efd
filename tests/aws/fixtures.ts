import { LambdaEcrPipeline, LambdaEcrPipelineArgs } from "../../components/aws";
import { sharedPerArgs } from "../harness/shared";
import { runUnderMocks } from "../../scripts/offline/mockCloud";
import { sampleBuildContext, stackServiceSettings } from "../harness/componentArgs";

/** Args as the dev and prod stack files produce them. */
export function pipelineArgs(stack: "dev" | "prod", overrides: Partial<LambdaEcrPipelineArgs> = {}): LambdaEcrPipelineArgs {
    const prod = stack === "prod";
    return {
        environment: stack,
        region: "ap-northeast-1",
        isProduction: prod,
        tags: { project: "multicloud-service", environment: stack, "managed-by": "pulumi" },
        image: { build: { context: sampleBuildContext() } },
        architecture: "arm64",
        memoryMb: prod ? 1024 : 512,
        timeoutSeconds: prod ? 60 : 30,
        reservedConcurrency: prod ? 100 : undefined,
        functionUrl: { authType: "AWS_IAM", corsOrigins: [] },
        service: stackServiceSettings(stack),
        pipeline: { maxConcurrency: prod ? 20 : 5 },
        alarms: { errorRatePercent: 5, p95DurationMs: 2000 },
        imagesToKeep: prod ? 20 : 5,
        ...overrides,
    };
}

/** The component alone, without index.ts, under the mock cloud (deployed once per stack and overrides). */
export const deployPipeline = sharedPerArgs(async function deployOnce(stack: "dev" | "prod", overrides: Partial<LambdaEcrPipelineArgs> = {}, registry: "all" | "none" = "all") {
    const program = () => new LambdaEcrPipeline("pipeline", pipelineArgs(stack, overrides));
    // An empty registry (nothing pushed yet) is previewed: an `up` would wait for the push, and never build.
    const run = () => runUnderMocks({ stack, preview: registry === "none", setup: (cloud) => (cloud.registry.mode = registry) }, program);
    const { cloud, result } = await run();
    const fn = (label: "api" | "worker") => cloud.one("aws:lambda/function:Function", `pipeline-${label}`);
    const rolePolicy = (label: "api" | "worker" | "pipeline" | "health" | "schedule") => JSON.parse(cloud.one("aws:iam/rolePolicy:RolePolicy", `pipeline-${label}`).inputs.policy);
    return { cloud, component: result, fn, rolePolicy };
});
