// The types of googleApisRedirect.js for the TypeScript that requires it (cloudApiServer.ts, specs): that file stays
// plain JavaScript, as the preload `node --require` takes (cloudApiEnvironment's NODE_OPTIONS).
export function install(base: string): () => void;
