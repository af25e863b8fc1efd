/**
 * The HTTP server for Cloud Run and local use (`npm start`). On SIGTERM it drains: /ready answers 503 at once,
 * requests in flight finish (bounded by DRAIN_TIMEOUT_MS), then the listener closes and the process exits 0.
 */
import { serve } from "@hono/node-server";
import type { Server } from "http";
import { bootstrap } from "./bootstrap";
import { log } from "./log";
import { SettingsError } from "./settings";

function start() {
    let boot: ReturnType<typeof bootstrap>;
    try {
        boot = bootstrap("server");
    } catch (err) {
        if (err instanceof SettingsError) {
            process.stderr.write(`${err.message}\n`);
            process.exit(2);
        }
        throw err;
    }
    const { settings, app, lifecycle } = boot;
    let inFlight = 0;
    let finishing = false;

    const server = serve({ fetch: app.fetch, port: settings.PORT }, (info) =>
        log.info("listening", { port: info.port, storage: settings.STORAGE_BACKEND, version: settings.APP_VERSION }),
    ) as Server;
    server.on("request", (_req, res) => {
        inFlight++;
        res.once("close", () => {
            inFlight--;
            if (lifecycle.draining && inFlight === 0) finish(0);
        });
    });

    function finish(code: number) {
        if (finishing) return;
        finishing = true;
        server.close(() => process.exit(code));
        server.closeIdleConnections();
        if (code !== 0) server.closeAllConnections();
    }

    function drain(signal: string) {
        if (lifecycle.draining) return;
        lifecycle.draining = true;
        log.info("draining", { signal, inFlight, timeoutMs: settings.DRAIN_TIMEOUT_MS });
        if (inFlight === 0) return finish(0);
        setTimeout(() => {
            log.warn("drain timeout: closing with requests in flight", { inFlight });
            finish(1);
        }, settings.DRAIN_TIMEOUT_MS).unref();
    }
    process.on("SIGTERM", () => drain("SIGTERM"));
    process.on("SIGINT", () => drain("SIGINT"));
}

start();
