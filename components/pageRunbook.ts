import * as pulumi from "@pulumi/pulumi";

/**
 * This program's runbook line, last in every page about the version that serves (the components' `alarms.runbook`
 * and `alerts.runbook`): by its path in the project's repository, whose URL the program is never told. A release
 * still baking rolls back by itself (its alarm gate reads these alarms); outside one, a rollback is a settings change
 * and one `pulumi up`. Not the components' own: a package caller has neither `npm run release` nor these docs.
 */
export function rollbackRunbook(): string {
    return `If a deploy caused it: a release still baking rolls back by itself; otherwise roll back by hand as docs/releases.md "Canary and rollback by hand" says, in the ${pulumi.getProject()} repository.`;
}
