export { FunctionUrlSettings, LambdaCanary, LambdaEcrPipelineArgs, PipelineAlarms, PipelineSettings } from "./args";
export { LambdaEcrPipeline } from "./lambdaEcrPipeline";
