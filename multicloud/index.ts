/**
 * The components of the `multicloud` package. The schema analyzer starts here (package.json `main`, index.js, is
 * read as index.ts) and follows these exports to the classes and their args.
 */
export { LambdaEcrPipeline } from "../components/aws/lambdaEcrPipeline";
export { CloudRunGcsService } from "../components/gcp/cloudRunGcsService";
