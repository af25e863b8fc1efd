/**
 * Puts a stand-in for a module in node's module cache, so the real module loads only when something first uses it;
 * nothing changes but when it loads. Two kinds of stand-in:
 * - deferModule: each named export is a function that loads the real module on its first call and forwards to it.
 *   Only for modules every export of which is a function; such a stand-in may be copied (TypeScript's `__export`,
 *   esbuild's `__copyProps`) without loading anything.
 * - deferModuleExports: each named export is read (and written) through to the real module, which loads on the first
 *   read: the very values, classes and constants too, so `instanceof` holds. For a module whose importers keep the
 *   module object itself (`__importStar` of a module marked `__esModule` returns it as it is): copying its exports
 *   would read them all, and load it.
 */
"use strict";
const Module = require("module");

/**
 * The file `request` names, resolved from `from` (this folder by default): the copy of a package that folder's code loads.
 * @param {string} request
 * @param {string} [from]
 * @returns {string}
 */
function resolveFrom(request, from) {
    return require.resolve(request, from === undefined ? undefined : { paths: [from] });
}

/**
 * Caches, as the module `request` names, the exports `standInFor` builds around a loader of the real module.
 * @param {string} request
 * @param {string | undefined} from the folder `request` resolves from
 * @param {(load: () => Record<string, any>) => Record<string, unknown>} standInFor
 * @returns {boolean} whether the stand-in was installed; not when the module was already loaded or cannot be found
 */
function cacheStandIn(request, from, standInFor) {
    let file;
    try {
        file = resolveFrom(request, from);
    } catch {
        return false;
    }
    if (require.cache[file]) return false;
    /** @type {Record<string, any> | undefined} */
    let real;
    const load = () => {
        if (real === undefined) {
            delete require.cache[file];
            real = /** @type {Record<string, any>} */ (require(file));
        }
        return real;
    };
    const cached = new Module(file);
    cached.filename = file;
    cached.loaded = true;
    cached.exports = standInFor(load);
    require.cache[file] = cached;
    return true;
}

/** @returns {Record<string, unknown>} an exports object marked as compiled from an ES module, as the SDK's are */
function esModuleExports() {
    /** @type {Record<string, unknown>} */
    const marked = {};
    Object.defineProperty(marked, "__esModule", { value: true });
    return marked;
}

/**
 * @param {string} request
 * @param {string[]} exportNames
 * @param {string} [from] the folder `request` resolves from, so the stand-in is the copy that folder's code loads (this
 * folder's by default)
 * @returns {boolean} whether the stand-in was installed; not when the module was already loaded or cannot be found
 */
function deferModule(request, exportNames, from) {
    return cacheStandIn(request, from, (load) => {
        const standIn = esModuleExports();
        for (const name of exportNames) standIn[name] = (/** @type {unknown[]} */ ...args) => load()[name](...args);
        return standIn;
    });
}

/**
 * @param {string} request
 * @param {string[]} exportNames
 * @param {string} [from] the folder `request` resolves from (deferModule's)
 * @returns {boolean} whether the stand-in was installed; not when the module was already loaded or cannot be found
 */
function deferModuleExports(request, exportNames, from) {
    return cacheStandIn(request, from, (load) => {
        const standIn = esModuleExports();
        for (const name of exportNames) {
            // Enumerable and writable as the real exports are (`exports.X = ...`), each reaching the real one.
            Object.defineProperty(standIn, name, {
                enumerable: true,
                configurable: true,
                get: () => load()[name],
                set: (value) => {
                    load()[name] = value;
                },
            });
        }
        return standIn;
    });
}

/**
 * Defers each module of `deferred` (request -> every export name) that is not loaded yet.
 * @param {Record<string, string[]>} deferred
 * @param {string} [from] the folder the requests resolve from (deferModule's)
 * @param {typeof deferModule} [defer] the kind of stand-in: deferModule (every export a function) or deferModuleExports
 * @returns {string[]} the modules deferred
 */
function deferModules(deferred, from, defer = deferModule) {
    return Object.entries(deferred).filter(([request, exportNames]) => defer(request, exportNames, from)).map(([request]) => request);
}

module.exports = { deferModule, deferModuleExports, deferModules, resolveFrom };
