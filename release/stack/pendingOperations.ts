import { describeValue } from "../../config/errors";
import { isPlainObject } from "../../config/plainObject";
import { pulumiImportCommand } from "./pulumiImportCommand";

/**
 * What settles the operations an abandoned `pulumi up` left pending, in the CLI's own terms: a refresh reads back what
 * was being updated or deleted and clears those, but a pending create stays recorded until someone says whether the
 * cloud made it. The refresh's own way to say "made" does not keep the resource: its prompt's "import" and
 * --import-pending-creates only rewrite the create to a pending import (pulumi/pulumi pkg/cmd/pulumi/operations/refresh.go
 * pendingCreatesToImports, interactiveFixPendingCreate), the refresh then steps only over the state's resources
 * (pkg/resource/deploy/deployment_executor.go refresh, `for _, res := range prev.Resources`), and its saved state keeps
 * no pending operation of the last state but a create (pkg/backend/snapshot.go Snap, pkg/backend/journal.go), so the
 * import is dropped and what the cloud made is left untracked. No engine code reads a pending import, and no
 * lifecycle or integration test covers --import-pending-creates (only sdk/go/auto's argument test).
 * `pulumi import` records what the cloud made (it keeps pending creates in the state it saves), and a refresh given
 * --clear-pending-creates (with --yes, as it refuses to run without a terminal otherwise) then drops the create records.
 * Cleared while the cloud holds it untracked, the next `up` creates the resource again: a second one, or "already
 * exists" for a fixed name.
 */
export function pendingOperationsAdvice(stackName?: string): string {
    const stack = stackName ? ` --stack ${stackName}` : "";
    return (
        `\`pulumi refresh${stack}\` settles the operations it left pending but keeps each create among them: ` +
        "its own import of one (its prompt, or `--import-pending-creates`) is dropped by that refresh, leaving what the cloud made untracked. " +
        `First record each the cloud made with \`pulumi import${stack} --yes --protect=false --generate-code=false <type> <name> <id>\` ` +
        "(the ID its console shows; `--parent` and `--provider` the URNs `pulumi stack export` records for it), " +
        `then \`pulumi refresh${stack} --yes --clear-pending-creates\``
    );
}

/**
 * A resource the state records as being made and holds nowhere else: a create the cloud may or may not have finished,
 * or an import of what the cloud holds (an `import` killed mid-way, or a `refresh --import-pending-creates` stopped
 * after its state edit: a finished one drops it too, see pendingOperationsAdvice). The engine carries no pending operation of the last state forward but a create (pkg/backend/journal.go
 * and snapshot.go) and reads only its resources (pkg/resource/deploy/deployment.go buildResourceMaps), so the next `up`
 * drops a pending import and creates its resource again, as it does over a pending create.
 */
export type PendingCreation =
    | { kind: "create"; urn: string }
    | { kind: "import"; urn: string; type: string; name: string; id: string | undefined; parent: string | undefined; provider: string | undefined };

/**
 * The creates and imports `pulumi stack export` records as pending: its deployment's `pending_operations`, each
 * `{ resource: { urn, type, id, parent, provider, ... }, type: "creating" | "updating" | "deleting" | "reading" | "importing" }`
 * (pulumi/pulumi sdk/go/common/apitype/core.go, UntypedDeployment, DeploymentV3, OperationV2 and ResourceV3; a provider
 * is recorded as a reference, `<provider URN>::<provider ID>`, sdk/go/common/resource/providers Reference). A stack never
 * updated exports `{}` (DeploymentV3.ToUntypedDeployment of no snapshot); an export of any other shape is refused
 * (UnreadableStateExport).
 */
export function pendingCreations(exported: unknown): PendingCreation[] {
    if (!isPlainObject(exported)) throw new UnreadableStateExport(`it is ${describeValue(exported)}, not an object`);
    const deployment = exported.deployment;
    if (deployment === undefined) return [];
    if (!isPlainObject(deployment)) throw new UnreadableStateExport(`its deployment is ${describeValue(deployment)}, not an object`);
    const operations = deployment.pending_operations;
    if (operations === undefined) return [];
    if (!Array.isArray(operations)) throw new UnreadableStateExport(`its deployment's pending_operations is ${describeValue(operations)}, not a list`);
    return operations.flatMap((op: unknown, i): PendingCreation[] => {
        if (!isPlainObject(op)) throw new UnreadableStateExport(`pending_operations[${i}] is ${describeValue(op)}, not an operation`);
        if (op.type !== "creating" && op.type !== "importing") return [];
        const what = op.type === "creating" ? "a create" : "an import";
        const resource = isPlainObject(op.resource) ? op.resource : {};
        const urn = resource.urn;
        if (typeof urn !== "string" || !isUrn(urn)) throw new UnreadableStateExport(`pending_operations[${i}], ${what}, names no resource URN (resource.urn is ${describeValue(urn)})`);
        if (op.type === "creating") return [{ kind: "create", urn }];
        const type = resource.type;
        if (typeof type !== "string" || type === "") throw new UnreadableStateExport(`pending_operations[${i}], an import, names no resource type (resource.type is ${describeValue(type)})`);
        return [{ kind: "import", urn, type, name: urnName(urn), id: nonEmpty(resource.id), parent: urnOrNothing(resource.parent), provider: providerUrn(resource.provider) }];
    });
}

const isUrn = (value: string) => value.startsWith("urn:pulumi:") && value.split("::").length >= 4;
/** `urn:pulumi:<stack>::<project>::<qualified type>::<name>`: the name is all after the third `::` (sdk/go/common/resource/urn.go). */
const urnName = (urn: string) => urn.split("::").slice(3).join("::");
const nonEmpty = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);
const urnOrNothing = (value: unknown) => (typeof value === "string" && isUrn(value) ? value : undefined);
/** A provider reference is `<URN>::<ID>` (providers.ParseReference splits at the last `::`); `pulumi import --provider` takes the URN. */
function providerUrn(reference: unknown): string | undefined {
    if (typeof reference !== "string") return undefined;
    const cut = reference.lastIndexOf("::");
    return cut > 0 ? urnOrNothing(reference.slice(0, cut)) : undefined;
}

/** An export whose shape is not the CLI's: said where it is wrong, rather than read as no pending creates. */
export class UnreadableStateExport extends Error {
    override name = "UnreadableStateExport";
    constructor(problem: string) {
        super(`pulumi stack export printed a state this release cannot read: ${problem}`);
    }
}

/**
 * Why the release runs no `up` over pending creates or imports. Every `up` keeps a pending create: the engine carries it
 * into the state it saves, an `up --refresh` included (pulumi/pulumi pkg/backend/snapshot.go and journal.go, "we don't
 * want to clear pending CREATE operations"; pkg/engine/lifecycletest TestRefreshPreservesPendingCreateOperations), and
 * its warning about them is printed only by an `up` without --refresh (pkg/resource/deploy/deployment_executor.go,
 * printPendingOperationsWarning), which the release's rerun after a killed update is not. A pending import it drops.
 * Either way the resource is in no other part of the state, so the `up` creates it again.
 *
 * A pending import has its own remedy: the refresh's flags edit only pending creates (pkg/cmd/pulumi/operations/refresh.go
 * filterMapPendingCreates skips every other operation) and the refresh then drops the import, leaving what the cloud
 * holds untracked. `pulumi import <type> <name> <id>` records it (import.go; `--parent`/`--provider` take a URN, and it
 * protects and prints code for what it imports unless told not to), and that import's saved state keeps only pending
 * creates, so it clears every pending import: it comes before the refresh, each command run even after the first.
 */
export class PendingCreatesError extends Error {
    override name = "PendingCreatesError";
    constructor(stackName: string, pending: readonly PendingCreation[]) {
        const creates = pending.filter((p) => p.kind === "create").map((p) => p.urn);
        const imports = pending.flatMap((p) => (p.kind === "import" ? [p] : []));
        const recorded = [
            ...(creates.length > 0 ? [`${count(creates.length, "create")} (${creates.join(", ")})`] : []),
            ...(imports.length > 0 ? [`${count(imports.length, "import")} (${imports.map((p) => p.urn).join(", ")})`] : []),
        ];
        const remedies = [
            ...(imports.length > 0 ? [importAdvice(stackName, imports) + (creates.length > 0 ? " Then" : "")] : []),
            ...(creates.length > 0 ? [`${pendingOperationsAdvice(stackName)}.`] : []),
        ];
        super(
            `the state of ${stackName} records ${recorded.join(" and ")} that an interrupted update left pending: ` +
                "an `up` creates each again, a second copy or, for a fixed name, \"already exists\", so this release runs none. " +
                `${remedies.join(" ")} Then rerun the release: it goes on from the recorded state.`,
        );
    }
}

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;

/** The `pulumi import` that records each pending import, in the terms its operation records (see PendingCreatesError). */
function importAdvice(stackName: string, imports: readonly Extract<PendingCreation, { kind: "import" }>[]): string {
    const commands = imports.map(
        (p) =>
            `\`${pulumiImportCommand({ stack: stackName, switches: ["--yes", "--protect=false", "--generate-code=false"], ...p })}\`` +
            (p.id ? "" : ` (the state records no ID for ${p.name}: the one its console shows)`),
    );
    return (
        `A pending import is no refresh's to settle: a refresh drops it and leaves what the cloud holds untracked. ` +
        `Record what the cloud holds with ${commands.join(", and ")}; run each, even after the first, and before any refresh. ` +
        "If the cloud holds no such resource, the import fails saying so, and a `pulumi refresh` then drops the record."
    );
}
