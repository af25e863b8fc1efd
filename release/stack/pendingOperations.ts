/**
 * What settles the operations an abandoned `pulumi up` left pending, in the CLI's own terms: a refresh reads back what
 * was being updated or deleted and clears those, but a pending create stays recorded until someone says whether the
 * cloud made it. The engine warns "`pulumi refresh` will need to be run interactively to clear pending CREATE
 * operations" (pulumi/pulumi pkg/engine, TestUpdateShowsWarningWithPendingOperations), and a refresh without a terminal
 * keeps them unless given --import-pending-creates or --clear-pending-creates, and refuses to run without --yes
 * (pkg/cmd/pulumi/operations/refresh.go; the flag takes one value each time, a URN and then its ID, as the CLI's own
 * Automation API passes them: sdk/go/auto/stack.go).
 * Cleared while the cloud holds it, the next `up` creates the resource again: a second one, or "already exists" for a
 * fixed name.
 */
export function pendingOperationsAdvice(stackName?: string): string {
    const stack = stackName ? ` --stack ${stackName}` : "";
    return (
        `\`pulumi refresh${stack}\` settles the operations it left pending; it asks about each create among them: ` +
        "import what the cloud made with the ID its console shows, clear only what it never made " +
        "(without a terminal: `--yes --import-pending-creates <urn> --import-pending-creates <id>` for each, or `--yes --clear-pending-creates`)"
    );
}
