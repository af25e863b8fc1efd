// @ts-check
/**
 * Puts a stand-in for a module in node's module cache: each named export is a function that loads the real module
 * on its first call and forwards to it. Only for modules every export of which is a function: nothing changes but
 * when the real module loads.
 */
"use strict";
const Module = require("module");

/**
 * @param {string} request
 * @param {string[]} exportNames
 * @returns {boolean} whether the stand-in was installed; not when the module was already loaded or cannot be found
 */
function deferModule(request, exportNames) {
    let file;
    try {
        file = require.resolve(request);
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
 * @returns {string[]} the modules deferred
 */
function deferModules(deferred) {
    return Object.entries(deferred).filter(([request, exportNames]) => deferModule(request, exportNames)).map(([request]) => request);
}

module.exports = { deferModule, deferModules };
