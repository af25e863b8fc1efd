export { LambdaEcrPipelineArgs, ServiceSettingsArgs } from "./args";
export { LambdaEcrPipeline } from "./lambdaEcrPipeline";
