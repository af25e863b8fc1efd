export { SettingsError, SettingsProblem } from "./errors";
export { loadStackSettings, readStackConfig } from "./load";
export { PROJECT_NAMESPACE, RawStackConfig, StackSettings, isProductionStack, parseStackSettings } from "./parse";
export * from "./schema";
