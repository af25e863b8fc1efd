import { RawStackConfig } from "../../config";
import { PROJECT_NAMESPACE } from "../../config/projectNamespace";
import { parseStackReference } from "../../config/stackReference";
import { Cloud, ConfigChange, DeployedTarget } from "../types";

/** `prod` for `prod` or `<org>/prod`: the name a stack's settings (Pulumi.<name>.yaml) are validated under. */
export function shortStackName(stack: string): string {
    return stack.slice(stack.lastIndexOf("/") + 1);
}

/**
 * `<org>` for `<org>/prod` or `<org>/multicloud-service/prod`; undefined for a bare name, or an empty organization
 * (`/prod`), which the CLI fills with its default one (config/stackReference.ts).
 */
export function stackOrganization(stack: string): string | undefined {
    return parseStackReference(stack, PROJECT_NAMESPACE).organization;
}

/**
 * over: the changes are written over whatever another writer changed since the release read the state (their other
 * keys kept), retrying a conflict or a server error: a rollback's keys, which can only take traffic off the new
 * version, and must not be lost to an unrelated edit.
 */
export interface WriteOptions {
    over?: boolean;
}

/** What a release does to a stack; the Automation API in a real release, in memory in a simulation and the tests. */
export interface StackAccess {
    /** The stack's short name (`prod` for `org/prod`): the one its settings are validated under. */
    readonly name: string;
    /**
     * The name `--stack` selects it by, for the commands a message gives a person: `<org>/prod` in a release (a bare
     * name resolves in the default organization, and the CLI reads no PULUMI_ORG), the short name in a rehearsal.
     */
    readonly cliName: string;
    readConfig(): Promise<RawStackConfig>;
    /** Sets each key with `--path`, as one batch. */
    setConfig(changes: readonly ConfigChange[], options?: WriteOptions): Promise<void>;
    /** `pulumi up`, which may also wait `imageWaitMinutes` for its image; rejects when the update fails. */
    up(allowance?: { imageWaitMinutes: number }): Promise<void>;
    /** What the last update deployed, per enabled cloud, from the stack outputs. */
    deployed(): Promise<Partial<Record<Cloud, DeployedTarget>>>;
}
