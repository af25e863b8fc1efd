import * as pulumi from "@pulumi/pulumi";

/** A prebuilt image its platform cannot run (an index Lambda refuses, another platform than the functions' or Cloud Run's). */
export class UnrunnableImage extends pulumi.RunError {
    name = "UnrunnableImage";
}
