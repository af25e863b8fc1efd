export { CloudRunGcsServiceArgs } from "./args";
export { CloudRunGcsService } from "./cloudRunGcsService";
