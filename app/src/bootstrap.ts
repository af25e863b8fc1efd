import { adminTokenSource } from "./adminToken";
import { AppDeps, createApp } from "./app";
import { ExistenceCache } from "./existenceCache";
import { setLogLevel } from "./log";
import { ObjectService } from "./objectService";
import { Settings, loadSettings } from "./settings";
import { ObjectStore, createStore } from "./storage";

/** Wires settings, store, cache and routes: what every entry point shares. */
export function bootstrap(env: NodeJS.ProcessEnv = process.env, store?: ObjectStore) {
    const settings: Settings = loadSettings(env);
    setLogLevel(settings.LOG_LEVEL);
    const objectStore = store ?? createStore(settings);
    const cache = new ExistenceCache(objectStore, { maxEntries: settings.CACHE_MAX_ENTRIES, ttlSeconds: settings.CACHE_TTL_SECONDS, batchSize: settings.BATCH_SIZE });
    const objects = new ObjectService(objectStore, cache, settings.OBJECT_PREFIX);
    const lifecycle = { draining: false };
    const deps: AppDeps = { settings, objects, lifecycle, adminToken: adminTokenSource(settings), startPipeline: pipelineStarter(settings) };
    return { settings, objects, lifecycle, app: createApp(deps) };
}

function pipelineStarter(settings: Settings): AppDeps["startPipeline"] {
    if (!settings.STATE_MACHINE_ARN) return undefined;
    return async (keys) => {
        const { SFNClient, StartExecutionCommand } = require("@aws-sdk/client-sfn") as typeof import("@aws-sdk/client-sfn");
        const res = await new SFNClient({}).send(
            new StartExecutionCommand({ stateMachineArn: settings.STATE_MACHINE_ARN, input: JSON.stringify({ bucket: settings.BUCKET_NAME, keys }) }),
        );
        return res.executionArn!;
    };
}
