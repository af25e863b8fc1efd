/** What a fake cloud answers for one resource: the outputs its provider would compute from the inputs. */
export interface OutputRuleArgs {
    type: string;
    name: string;
    inputs: Record<string, any>;
    region: string;
    project: string;
}
export type OutputRule = (args: OutputRuleArgs) => Record<string, unknown>;
export type OutputRules = Record<string, OutputRule>;
