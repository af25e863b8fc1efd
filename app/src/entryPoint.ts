/** Which entry point is running: each one says so when it bootstraps (nothing is guessed from the environment). */
export type EntryPoint = "server" | "lambda-api" | "lambda-worker";
