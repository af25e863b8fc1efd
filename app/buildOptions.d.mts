// Types of buildOptions.mjs for the TypeScript that imports it (the bench).
export declare const VENDORED: Record<string, string>;
export declare const COMMON_OPTIONS: Record<string, unknown>;
export declare const vendoredOnDemand: { name: string; setup(build: unknown): void };
