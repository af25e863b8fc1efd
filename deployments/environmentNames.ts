/**
 * The names of the ESC environments deployments/ makes in the service's project, apart from what makes them
 * (escEnvironments.ts), so that the settings can check them before anything is registered.
 */

/** The read-only environment pull requests' previews open. */
export const PREVIEW_ENVIRONMENT = "preview";
/** A stack's credentials environment, which its stack file imports. */
export const credentialsEnvironment = (stack: string) => stack;
/** Where a released stack's release keeps its state (release/stack/escReleaseState.ts): canary weights, stable and rolled-back versions. */
export const releaseStateEnvironment = (stack: string) => `${stack}-release`;
