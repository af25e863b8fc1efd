import { describeValue } from "../../config/errors";

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

/**
 * The URNs of the creates `pulumi stack export` records as pending: its deployment's `pending_operations`, each
 * `{ resource: { urn, ... }, type: "creating" | "updating" | "deleting" | "reading" | "importing" }` (pulumi/pulumi
 * sdk/go/common/apitype/core.go, UntypedDeployment, DeploymentV3 and OperationV2). A stack never updated exports `{}`
 * (DeploymentV3.ToUntypedDeployment of no snapshot); an export of any other shape is refused (UnreadableStateExport).
 */
export function pendingCreateUrns(exported: unknown): string[] {
    if (!isRecord(exported)) throw new UnreadableStateExport(`it is ${describeValue(exported)}, not an object`);
    const deployment = exported.deployment;
    if (deployment === undefined) return [];
    if (!isRecord(deployment)) throw new UnreadableStateExport(`its deployment is ${describeValue(deployment)}, not an object`);
    const operations = deployment.pending_operations;
    if (operations === undefined) return [];
    if (!Array.isArray(operations)) throw new UnreadableStateExport(`its deployment's pending_operations is ${describeValue(operations)}, not a list`);
    return operations.flatMap((op: unknown, i) => {
        if (!isRecord(op)) throw new UnreadableStateExport(`pending_operations[${i}] is ${describeValue(op)}, not an operation`);
        if (op.type !== "creating") return [];
        const urn = isRecord(op.resource) ? op.resource.urn : undefined;
        if (typeof urn !== "string" || !urn.startsWith("urn:pulumi:")) throw new UnreadableStateExport(`pending_operations[${i}], a create, names no resource URN (resource.urn is ${describeValue(urn)})`);
        return [urn];
    });
}

/** An export whose shape is not the CLI's: said where it is wrong, rather than read as no pending creates. */
export class UnreadableStateExport extends Error {
    override name = "UnreadableStateExport";
    constructor(problem: string) {
        super(`pulumi stack export printed a state this release cannot read: ${problem}`);
    }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Why the release runs no `up` over pending creates. Every `up` keeps them: the engine carries a pending create into
 * the state it saves, an `up --refresh` included (pulumi/pulumi pkg/backend/snapshot.go and journal.go, "we don't want
 * to clear pending CREATE operations"; pkg/engine/lifecycletest TestRefreshPreservesPendingCreateOperations), and its
 * warning about them is printed only by an `up` without --refresh (pkg/resource/deploy/deployment_executor.go,
 * printPendingOperationsWarning), which the release's rerun after a killed update is not. The resource is in no
 * other part of the state, so the `up` creates it again.
 */
export class PendingCreatesError extends Error {
    override name = "PendingCreatesError";
    constructor(stackName: string, urns: readonly string[]) {
        super(
            `the state of ${stackName} records ${urns.length} create${urns.length === 1 ? "" : "s"} an interrupted update left pending (${urns.join(", ")}): ` +
                "an `up` keeps them and creates each again, a second copy or, for a fixed name, \"already exists\", so this release runs none. " +
                `${pendingOperationsAdvice(stackName)}. Then rerun the release: it goes on from the recorded state.`,
        );
    }
}
