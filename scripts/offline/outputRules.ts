import type { MockCloud } from "./mockCloud";

/**
 * What a fake cloud answers for one resource: the outputs its provider would compute from the inputs, and read back
 * from what the fake world holds (`world`: a reservation Lambda refused, a revision that never started).
 */
export interface OutputRuleArgs {
    type: string;
    name: string;
    inputs: Record<string, any>;
    region: string;
    project: string;
    /** When the resource was created, for the outputs that report it: MockCloud.createTime's answer, else an earlier update's (EARLIER_UPDATE). */
    createdAt: string;
    world: Pick<MockCloud, "awsApis" | "cloudRun" | "escRefusesDefinitions">;
}
export type OutputRule = (args: OutputRuleArgs) => Record<string, unknown>;
export type OutputRules = Record<string, OutputRule>;
