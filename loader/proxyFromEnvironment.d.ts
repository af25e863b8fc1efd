// The types of proxyFromEnvironment.js for the TypeScript that imports it (components/aws/awsClient.ts): ts-node and a
// consumer's compiler take no JavaScript without allowJs, and that file stays plain JavaScript for the entries.
export function proxyEnvironment(env?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
export function namedProxyVariable(env?: NodeJS.ProcessEnv): string | undefined;
export function useProxyFromEnvironment(env?: NodeJS.ProcessEnv, nodeHttp?: { setGlobalProxyFromEnv?: (proxyEnv: NodeJS.ProcessEnv) => () => void }, nodeVersion?: string): () => void;
export function useGrpcProxyFromEnvironment(env: NodeJS.ProcessEnv): () => void;
