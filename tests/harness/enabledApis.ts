import { MockCloud } from "../../scripts/offline/mockCloud";

/**
 * A run's setup in which the stack's GCP project already has Google API `api` on (`run.googleapis.com`), as an `up`
 * after the first finds it: what the program asks before anything is registered gets the API's answer, not
 * SERVICE_DISABLED.
 */
export const apiAlreadyOn = (api: string) => (cloud: MockCloud) => void cloud.artifactRegistry.enabledApis.add(`${cloud.gcpProject}/${api}`);
