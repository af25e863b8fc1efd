export { contextFiles } from "./buildContext";
export { contentTag } from "./contentTag";
export { ServiceImage } from "./serviceImage";
export { ServiceSettingsArgs, ServiceStorage, serviceEnvironment } from "./serviceContract";
export * from "./types";
