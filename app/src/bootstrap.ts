import { adminTokenSource } from "./adminToken";
import { AppDeps, createApp } from "./app";
import { BodyBudget } from "./bodyBudget";
import { answerLimitFor, chunkedAnswerOverFor } from "./bodyLimits";
import { EntryPoint } from "./entryPoint";
import { ExistenceCache } from "./existenceCache";
import { setLogLevel } from "./log";
import { ObjectService } from "./objectService";
import { pipelineStarter } from "./pipelineStarter";
import { Settings, loadSettings } from "./settings";
import { GuardedStore, ObjectStore, createStore } from "./storage";

/** Wires settings, store, cache and routes: what every entry point shares. */
export function bootstrap(entry: EntryPoint, env: NodeJS.ProcessEnv = process.env, store?: ObjectStore) {
    const settings: Settings = loadSettings(entry, env);
    setLogLevel(settings.LOG_LEVEL);
    const objectStore = new GuardedStore(store ?? createStore(settings));
    const cache = new ExistenceCache(objectStore, { maxEntries: settings.CACHE_MAX_ENTRIES, ttlSeconds: settings.CACHE_TTL_SECONDS, batchSize: settings.BATCH_SIZE });
    const objects = new ObjectService(objectStore, cache, settings.OBJECT_PREFIX);
    const lifecycle = { draining: false };
    const bodies = new BodyBudget(settings.MAX_BODY_BYTES_IN_FLIGHT);
    const deps: AppDeps = { settings, objects, bodies, answerLimitBytes: answerLimitFor(entry), chunkedAnswerOverBytes: chunkedAnswerOverFor(entry), lifecycle, adminToken: adminTokenSource(settings), startPipeline: pipelineStarter(settings) };
    return { settings, objects, bodies, lifecycle, app: createApp(deps) };
}
