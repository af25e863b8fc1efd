import { MockCloud } from "../../scripts/offline/mockCloud";

/** The types of the cloud resources a run registered (its providers left out); undefined when the run never got a cloud. */
export const registeredTypes = (cloud: MockCloud | undefined) => cloud?.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:")).map((r) => r.type);
