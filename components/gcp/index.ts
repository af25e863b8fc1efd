export { CloudRunCanary, CloudRunGcsServiceArgs, ServiceAlerts, ServiceSecrets } from "./args";
export { CloudRunGcsService } from "./cloudRunGcsService";
