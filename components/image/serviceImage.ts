import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { contentTag } from "./contentTag";
import { ServiceImageArgs } from "./types";

const DIGEST_REF = /^[a-z0-9][a-z0-9._\-/:]*@(sha256:[0-9a-f]{64})$/;

/**
 * The service image, referenced by digest: built from source and pushed under a content-addressed tag, or an
 * image built elsewhere (prebuilt). Either way `ref` is `repo@sha256:...`, so a new build always reaches the
 * functions and an unchanged one never causes an update.
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
            this.tag = contentTag(build);
            // The classic builder of docker.Image pushes a single-platform manifest: no provenance attestation
            // index, which Lambda would reject.
            const image = new docker.Image(
                name,
                {
                    imageName: pulumi.interpolate`${args.repositoryUrl}:${this.tag}`,
                    build: {
                        context: build.context,
                        dockerfile: path.resolve(build.context, build.dockerfile ?? "Dockerfile"),
                        platform: build.platform,
                        args: build.buildArgs,
                    },
                    registry: args.registry,
                },
                { parent: this },
            );
            this.ref = image.repoDigest;
            this.digest = image.repoDigest.apply((ref) => ref.slice(ref.indexOf("@") + 1));
        }

        this.registerOutputs({ ref: this.ref, digest: this.digest });
    }
}
