export { contextFiles } from "./buildContext";
export { contentTag } from "./contentTag";
export { digestOf } from "./digest";
export { imageChoice } from "./imageChoice";
export { IMAGE_WORKFLOW, ImageNotFoundError, imagePusher } from "./imageResolution";
export { ServiceImage } from "./serviceImage";
export { LOG_LEVELS, ServiceSettings, ServiceStorage, StorageDeadlines, serviceEnvironment, workerEnvironment } from "./serviceContract";
export * from "./types";
