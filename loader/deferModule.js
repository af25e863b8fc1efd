/**
 * Puts a stand-in for a module in node's module cache: each named export is a function that loads the real module
 * on its first call and forwards to it. Only for modules every export of which is a function: nothing changes but
 * when the real module loads.
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
 * @param {string} request
 * @param {string[]} exportNames
 * @param {string} [from] the folder `request` resolves from, so the stand-in is the copy that folder's code loads (this
 * folder's by default)
 * @returns {boolean} whether the stand-in was installed; not when the module was already loaded or cannot be found
 */
function deferModule(request, exportNames, from) {
    let file;
    try {
        file = resolveFrom(request, from);
    } catch {
        return false;
    }
    if (require.cache[file]) return false;
    /** @type {Record<string, (...args: unknown[]) => unknown> | undefined} */
    let real;
    const load = () => {
        if (real === undefined) {
            delete require.cache[file];
            real = require(file);
        }
        return /** @type {Record<string, (...args: unknown[]) => unknown>} */ (real);
    };
    /** @type {Record<string, unknown>} */
    const standIn = {};
    Object.defineProperty(standIn, "__esModule", { value: true });
    for (const name of exportNames) standIn[name] = (/** @type {unknown[]} */ ...args) => load()[name](...args);
    const cached = new Module(file);
    cached.filename = file;
    cached.loaded = true;
    cached.exports = standIn;
    require.cache[file] = cached;
    return true;
}

/**
 * Defers each module of `deferred` (request -> every export name) that is not loaded yet.
 * @param {Record<string, string[]>} deferred
 * @param {string} [from] the folder the requests resolve from (deferModule's)
 * @returns {string[]} the modules deferred
 */
function deferModules(deferred, from) {
    return Object.entries(deferred).filter(([request, exportNames]) => deferModule(request, exportNames, from)).map(([request]) => request);
}

module.exports = { deferModule, deferModules, resolveFrom };
