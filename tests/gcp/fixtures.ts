import { CloudRunGcsService, CloudRunGcsServiceArgs } from "../../components/gcp";
import { sharedPerArgs } from "../harness/shared";
import { runUnderMocks } from "../../scripts/offline/mockCloud";
import { sampleBuildContext, stackServiceSettings } from "../harness/componentArgs";

/** Args as the dev and prod stack files produce them. */
export function serviceArgs(stack: "dev" | "prod", overrides: Partial<CloudRunGcsServiceArgs> = {}): CloudRunGcsServiceArgs {
    const prod = stack === "prod";
    return {
        environment: stack,
        isProduction: prod,
        project: `multicloud-service-${stack}`,
        region: "asia-northeast1",
        labels: { project: "multicloud-service", environment: stack, "managed-by": "pulumi" },
        image: { build: { context: sampleBuildContext() } },
        cpu: prod ? "2" : "1",
        memory: prod ? "2Gi" : "512Mi",
        minInstances: prod ? 1 : 0,
        maxInstances: prod ? 10 : 2,
        concurrency: 80,
        requestTimeoutSeconds: 60,
        ingress: "all",
        publicInvoker: false,
        allowPublicInvokerInProd: false,
        service: stackServiceSettings(stack),
        alerts: { errorRatePercent: 5, p95LatencyMs: 2000 },
        imagesToKeep: prod ? 20 : 5,
        ...overrides,
    };
}

/** The component alone, without index.ts, under the mock cloud (deployed once per stack and overrides). */
export const deployService = sharedPerArgs(async function deployOnce(stack: "dev" | "prod", overrides: Partial<CloudRunGcsServiceArgs> = {}, registry: "all" | "none" = "all") {
    const program = () => new CloudRunGcsService("service", serviceArgs(stack, overrides));
    // An empty registry (nothing pushed yet) is previewed: an `up` would wait for the push, and never build.
    const deploy = () => runUnderMocks({ stack, preview: registry === "none", setup: (cloud) => (cloud.registry.mode = registry) }, program);
    // A new grant's propagation wait passes at once, as in every run under mocks (its own spec looks at it).
    const { cloud, result } = await deploy();
    const run = cloud.one("gcp:cloudrunv2/service:Service");
    const container = run.inputs.template.containers[0];
    const env = (name: string) => container.envs.find((e: any) => e.name === name);
    return { cloud, component: result, run, container, env };
});
