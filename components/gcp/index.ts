export { CloudRunCanary, CloudRunGcsServiceArgs, ServiceAlerts } from "./args";
export { CloudRunGcsService } from "./cloudRunGcsService";
