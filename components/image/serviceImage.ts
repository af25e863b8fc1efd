import * as pulumi from "@pulumi/pulumi";
import { contentTag } from "./contentTag";
import { awaitImage } from "./imageResolution";
import { ImageVerificationError, supplyChainProblems, verifyPrebuiltImage } from "./imageVerification";
import { signingPublicKey } from "./signingKey";
import { DIGEST_REF, ServiceImageArgs } from "./types";
import { SEVERITIES, Severity, scanProblem } from "./vulnerabilityScan";
import { refusal } from "../refusal";

const POLL_INTERVAL_MS = 15_000;

/**
 * The service image, referenced by digest. `pulumi up` never builds: for a build source it runs the image the
 * registry holds under the source's content tag (pushed by the image workflow, or promoted from another stack),
 * waiting a bounded time for a tag that is not there yet; a preview shows a missing one as not known yet. So the
 * resource set is the same on every machine, with or without Docker. A prebuilt source is used as it is, once the
 * registry's check (ImageLookup.checkPrebuilt) and, where required, its verification pass.
 */
export class ServiceImage extends pulumi.ComponentResource {
    /** `repository@sha256:<digest>`: what Lambda and Cloud Run must run. */
    public readonly ref: pulumi.Output<string>;
    /** `sha256:<digest>`. */
    public readonly digest: pulumi.Output<string>;
    /** The content-addressed tag of a build; `prebuilt` otherwise. */
    public readonly tag: string;

    constructor(name: string, args: ServiceImageArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:image:ServiceImage", name, {}, opts);

        const severity = args.verify?.refuseSeverity;
        if (severity !== undefined && !(SEVERITIES as readonly string[]).includes(severity)) {
            throw refusal(`image verification refuseSeverity "${severity}" must be one of ${SEVERITIES.join(", ")}`, this);
        }
        if ("prebuilt" in args.source) {
            const match = DIGEST_REF.exec(args.source.prebuilt);
            if (!match) {
                throw refusal(`prebuilt image "${args.source.prebuilt}" must be pinned by digest: <repository>@sha256:<64 hex digits>`, this);
            }
            this.tag = "prebuilt";
            const prebuilt = args.source.prebuilt;
            this.digest = pulumi.output(this.checkedPrebuilt(prebuilt, match[1], args));
            this.ref = this.digest.apply(() => prebuilt);
        } else {
            const tag = contentTag(args.source.build);
            this.tag = tag;
            this.digest = pulumi.all(args.ready).apply(() => this.resolve(tag, args)) as pulumi.Output<string>;
            this.ref = pulumi.interpolate`${args.repositoryUrl}@${this.digest}`;
        }

        this.registerOutputs({ ref: this.ref, digest: this.digest });
    }

    /** Runs once the repository (and its API) exist: in a preview of a new stack it does not run at all. */
    private async resolve(tag: string, args: ServiceImageArgs): Promise<string | pulumi.Output<string>> {
        const present = await args.lookup.findDigest(tag);
        if (present) return this.verified(present, args);
        if (pulumi.runtime.isDryRun()) {
            pulumi.log.warn(`image ${tag} is not in ${args.lookup.description} yet; \`pulumi up\` will wait up to ${args.waitMinutes} min for ${args.pushedBy}`, this);
            return pulumi.output(pulumi.unknown as unknown as string);
        }
        const digest = await awaitImage(tag, args.lookup, {
            timeoutMs: args.waitMinutes * 60_000,
            intervalMs: POLL_INTERVAL_MS,
            pushedBy: args.pushedBy,
            progress: (message) => pulumi.log.info(message, this),
        });
        return this.verified(digest, args);
    }

    /** The prebuilt image's digest, once the platform's registry check passes and, where required, its verification. */
    private async checkedPrebuilt(ref: string, digest: string, args: ServiceImageArgs): Promise<string> {
        await args.lookup.checkPrebuilt?.(ref.slice(0, ref.lastIndexOf("@")), digest);
        return args.verify ? this.verifiedPrebuilt(ref, digest, args) : digest;
    }

    /** A prebuilt image's digest, once it verifies where it is (the stack's image.verify). */
    private async verifiedPrebuilt(ref: string, digest: string, args: ServiceImageArgs): Promise<string> {
        if (!args.lookup.prebuiltRepository) throw new Error(`prebuilt image ${ref} cannot be read through the registry API, so it cannot be verified`);
        await verifyPrebuiltImage(ref, args.verify!, args.lookup.prebuiltRepository);
        return digest;
    }

    /**
     * The digest, once its signature and attestations verify and its registry scan reports nothing at
     * `image.verify.refuseSeverity` or above (when the stack requires it: `image.verify`). It runs where
     * the digest becomes known, in a preview too, so nothing that runs the image is registered with one that fails.
     */
    private async verified(digest: string, args: ServiceImageArgs): Promise<string> {
        if (!args.verify) return digest;
        if (!args.lookup.repository) throw new Error(`${args.lookup.description} cannot be read through the registry API, so its images cannot be verified`);
        const key = await signingPublicKey(args.verify.signingKey, args.verify.keyRegion);
        const repository = await args.lookup.repository();
        const problems = await supplyChainProblems(repository, digest, args.verify, key);
        if (args.lookup.scanner) {
            const scan = await scanProblem(args.lookup.scanner, digest, (args.verify.refuseSeverity ?? "CRITICAL") as Severity, {
                timeoutMs: args.waitMinutes * 60_000,
                intervalMs: POLL_INTERVAL_MS,
                preview: pulumi.runtime.isDryRun(),
                progress: (message) => pulumi.log.info(message, this),
                warn: (message) => pulumi.log.warn(message, this),
            });
            if (scan) problems.push(scan);
        }
        if (problems.length > 0) throw new ImageVerificationError(`${repository.host}/${repository.name}`, digest, problems);
        return digest;
    }
}
