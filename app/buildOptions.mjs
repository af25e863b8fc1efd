// What build.mjs bundles with, shared with the rate limiter's bench (bench/serverWithoutRateLimit.ts), whose control
// bundle must be byte for byte what ships. No side effects: importing it builds nothing.
//
// The cloud SDKs are bundled apart, in dist/vendor/, and loaded only when a backend asks for them: the S3 client on
// Lambda, the GCS client on Cloud Run, Step Functions and Secrets Manager at their first call. Each entry's own file
// then holds the service and its small dependencies; Node compiles every byte of a file it loads, so this is what a
// cold start costs (README "Performance"). Only third-party packages are split off: the service's own modules stay
// in one copy per process, so its error classes are the same classes everywhere.

/** The packages loaded on demand, each with its file under dist/vendor/. */
export const VENDORED = {
    "@aws-sdk/client-s3": "client-s3",
    "@aws-sdk/client-sfn": "client-sfn",
    "@aws-sdk/client-secrets-manager": "client-secrets-manager",
    "@google-cloud/storage": "google-cloud-storage",
};

export const COMMON_OPTIONS = { bundle: true, platform: "node", target: "node24", format: "cjs", minify: true, sourcemap: false, legalComments: "none", logLevel: "warning" };

/** Resolves an import of a vendored package to its file, loaded at run time (relative to the entry's own file). */
export const vendoredOnDemand = {
    name: "vendored-on-demand",
    setup(b) {
        const names = Object.keys(VENDORED).map((n) => n.replace(/[/]/g, "\\/")).join("|");
        b.onResolve({ filter: new RegExp(`^(${names})$`) }, (args) => ({ path: `./vendor/${VENDORED[args.path]}.js`, external: true }));
    },
};
