import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { contentTag } from "./contentTag";
import { dockerDaemonReachable } from "./dockerDaemon";
import { ImagePlan, awaitImage, buildPolicy, planImage } from "./imageResolution";
import { ImageBuildSpec, ServiceImageArgs } from "./types";

const DIGEST_REF = /^[a-z0-9][a-z0-9._\-/:]*@(sha256:[0-9a-f]{64})$/;
const POLL_INTERVAL_MS = 15_000;

/**
 * The service image, referenced by digest. For a build source the image is the one under its content tag:
 * taken from the registry when it is there (never rebuilt or pushed again, whatever machine deploys), built and
 * pushed when it is missing and a Docker engine answers here, and otherwise awaited from the image workflow for
 * a bounded time (Pulumi Deployments has no Docker engine). A prebuilt source is used as it is.
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

        if ("prebuilt" in args.source) {
            const match = DIGEST_REF.exec(args.source.prebuilt);
            if (!match) {
                throw new Error(`prebuilt image "${args.source.prebuilt}" must be pinned by digest: <repository>@sha256:<64 hex digits>`);
            }
            this.tag = "prebuilt";
            this.ref = pulumi.output(args.source.prebuilt);
            this.digest = pulumi.output(match[1]);
        } else {
            const build = args.source.build;
            const tag = contentTag(build);
            this.tag = tag;
            const plan = planImage(tag, args.lookup, buildPolicy(), () => dockerDaemonReachable());
            this.ref = pulumi.output(plan).apply((p) => this.imageRef(name, tag, p, build, args));
            this.digest = this.ref.apply((ref) => ref.slice(ref.indexOf("@") + 1));
        }

        this.registerOutputs({ ref: this.ref, digest: this.digest });
    }

    private imageRef(name: string, tag: string, plan: ImagePlan, build: ImageBuildSpec, args: ServiceImageArgs): pulumi.Output<string> {
        // The plan is a plain promise (an invoke on known names), so this runs in previews too: the build below
        // shows up in `pulumi preview`.
        if (plan.kind === "present") return pulumi.interpolate`${args.repositoryUrl}@${plan.digest}`;
        if (plan.kind === "build") {
            const image = new docker.Image(
                name,
                {
                    imageName: pulumi.interpolate`${args.repositoryUrl}:${tag}`,
                    build: {
                        // Relative to the project folder (Pulumi's working directory): absolute paths differ between a
                        // laptop, CI and Deployments, and any input change would rebuild and re-push an immutable tag.
                        context: relativeToProject(build.context),
                        dockerfile: relativeToProject(path.join(build.context, build.dockerfile ?? "Dockerfile")),
                        platform: build.platform,
                        // BuildKit sets $BUILDPLATFORM, which the Dockerfile's build stage runs on: an arm64 image
                        // builds on an x86 machine without emulation (the final stage has no RUN).
                        builderVersion: "BuilderBuildKit",
                        args: build.buildArgs,
                    },
                    registry: args.registry,
                },
                { parent: this, dependsOn: [args.repository] },
            );
            return image.repoDigest;
        }
        return pulumi.all([args.repositoryUrl, args.repository.urn]).apply(([repositoryUrl]) => {
            if (pulumi.runtime.isDryRun()) {
                pulumi.log.warn(`image ${tag} is not in ${args.lookup.description} yet; \`pulumi up\` will wait up to ${args.waitMinutes} min for it`, this);
                return pulumi.output(pulumi.unknown as unknown as string);
            }
            const digest = awaitImage(tag, args.lookup, {
                timeoutMs: args.waitMinutes * 60_000,
                intervalMs: POLL_INTERVAL_MS,
                progress: (message) => pulumi.log.info(message, this),
            });
            return pulumi.output(digest).apply((d) => `${repositoryUrl}@${d}`);
        });
    }
}

function relativeToProject(file: string): string {
    return path.relative(process.cwd(), path.resolve(file)).split(path.sep).join("/") || ".";
}
