export { contextFiles } from "./buildContext";
export { contentTag } from "./contentTag";
export { digestOf } from "./digest";
export { dockerDaemonReachable } from "./dockerDaemon";
export { imageChoice } from "./imageChoice";
export { BUILD_POLICY_VARIABLE, IMAGE_WORKFLOW, ImageNotFoundError, isNotFound, unlessNotFound } from "./imageResolution";
export { ServiceImage } from "./serviceImage";
export { LOG_LEVELS, ServiceSettings, ServiceStorage, StorageDeadlines, serviceEnvironment, workerEnvironment } from "./serviceContract";
export * from "./types";
