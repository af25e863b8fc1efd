import * as pulumi from "@pulumi/pulumi";
import type { ProviderResource } from "@pulumi/pulumi";
import type { SettingsProblem } from "../config/errors";
import type { LambdaArchitecture } from "./aws/args";
import { accountLimitProblems } from "./accountLimitChecks";
import type { ImageVerificationPolicy } from "./image/imageVerification";
import { prebuiltImageProblems } from "./prebuiltImageChecks";
import { refuseReadsOfAnotherAccount } from "./awsProviderChecks";
import { googleEndpointProblems } from "./gcp/customEndpoints";
import { awsRegionProblems, gcpRegionProblems } from "./regionChecks";
import { signingKeyProblems } from "./signingKeyChecks";
import { stableRevisionProblems } from "./stableRevisionChecks";

/** A value a check reads, with where it came from (a stack setting's key, or a component argument's path): what a problem names. */
export interface Located<T> {
    value: T;
    at: string;
}

/**
 * What the checks before registration ask the clouds about: the program's stack settings (index.ts) and a component
 * constructed through the package (multicloud/provider.ts) alike. A cloud is present where it is deployed; a value is
 * present where it is set and known (a preview's unknowns are left to the components).
 */
export interface CloudCheckTargets {
    aws?: {
        /** The component's provider; unset, the default provider (a package caller that passes none). */
        provider?: ProviderResource;
        region: string;
        /** Where the region was set, when it is a component's argument: set, it is checked against the provider's. */
        regionAt?: string;
        architecture: LambdaArchitecture;
        image?: Located<string>;
        /**
         * The program's own rule (config/schema.ts), stricter than Lambda, which runs another account's image of the same
         * region where that repository's policy lets it: a stack runs images of its own account only.
         */
        imagesOfThisAccountOnly: boolean;
        reservedConcurrency?: Located<number>;
    };
    gcp?: {
        provider?: ProviderResource;
        project: string;
        region: string;
        /** Where the region was set (a stack setting's key, a component argument's path): set, it is checked against Cloud Run's locations. */
        regionAt?: string;
        image?: Located<string>;
        stableRevision?: Located<string>;
        /** The scale a revision would ask Cloud Run's quota for (every part known). */
        scale?: { maxInstances: Located<number>; cpu: string; memory: string };
    };
    /** The image verification required (its signing key's location names a key KMS does not have). */
    verify?: { policy: ImageVerificationPolicy; signingKeyAt: string };
}

/**
 * The settings against the clouds, every check run to its end: their problems are returned together, and a check
 * that could not run (a cloud not answering) is said beside them; with no problems, the first such failure is thrown,
 * so the run stops before anything is registered either way. A failure is said once, however many checks it stopped:
 * checks share a read (the provider's access token, the signing key, kept for the run), and so its very error.
 */
export async function cloudCheckProblems(targets: CloudCheckTargets): Promise<SettingsProblem[]> {
    const [readsOfTheAccount, ...results] = await Promise.allSettled([
        refuseReadsOfAnotherAccount(targets.aws),
        prebuiltImageProblems(targets),
        accountLimitProblems(targets),
        signingKeyProblems(targets),
        stableRevisionProblems(targets),
        gcpRegionProblems(targets),
        awsRegionProblems(targets),
        targets.gcp ? googleEndpointProblems() : [],
    ]);
    // The other checks' AWS answers were another account's, or made without credentials: this failure is the run's.
    if (readsOfTheAccount.status === "rejected") throw readsOfTheAccount.reason;
    const problems = results.flatMap((r) => (r.status === "fulfilled" ? r.value : []));
    const others = [...new Set(results.flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : [])))];
    if (problems.length === 0 && others.length > 0) {
        others.slice(1).forEach(couldNotCheck);
        throw others[0];
    }
    others.forEach(couldNotCheck);
    return problems;
}

function couldNotCheck(err: unknown): void {
    void pulumi.log.error(`a check of the settings against the clouds could not run: ${err instanceof Error ? err.message : String(err)}`);
}
