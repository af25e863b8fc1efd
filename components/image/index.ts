export { contextFiles } from "./buildContext";
export { contentTag } from "./contentTag";
export { ServiceImage } from "./serviceImage";
export * from "./types";
