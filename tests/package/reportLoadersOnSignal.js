/**
 * Preloaded into a plugin process (NODE_OPTIONS --require) by loaderProbe.ts: on SIGUSR2 it writes to the file
 * LOADER_PROBE_REPORT names what the plugin's own SDK (the one resolved from LOADER_PROBE_SDK_FROM, the plugin's
 * folder) records for a promise now, and whether function serialization and the Automation API have loaded
 * (loader/promiseStacks.js, loader/deferFunctionSerialization.js, loader/deferAutomationApi.js).
 */
"use strict";
const fs = require("fs");
const path = require("path");

process.on("SIGUSR2", () => {
    const debuggable = require(require.resolve("@pulumi/pulumi/runtime/debuggable", { paths: [String(process.env.LOADER_PROBE_SDK_FROM)] }));
    const p = Promise.resolve();
    void debuggable.debuggablePromise(p, "probe");
    const loaded = Object.keys(require.cache);
    const report = {
        skipsMapping: !!Error.prepareStackTrace?.skipsPromiseStacks,
        skipsCapture: !!debuggable.debuggablePromise.skipsCapture,
        promiseStack: p._debugStackTrace,
        sdkCopies: loaded.filter((file) => file.endsWith(path.join("runtime", "debuggable.js"))),
        // Loaded only by the real serializeClosure module, not by its stand-in.
        functionSerializationLoaded: loaded.some((file) => file.endsWith(path.join("runtime", "closure", "createClosure.js"))),
        // Loaded only by the real index of the Automation API, not by its stand-in.
        automationApiLoaded: loaded.some((file) => file.endsWith(path.join("pulumi", "automation", "localWorkspace.js"))),
    };
    // Whole or not at all: the test reads the file as soon as it exists.
    const file = String(process.env.LOADER_PROBE_REPORT);
    fs.writeFileSync(`${file}.part`, JSON.stringify(report));
    fs.renameSync(`${file}.part`, file);
});
