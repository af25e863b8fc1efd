import { Refusal } from "../refusal";

/** A prebuilt image its platform cannot run (an index Lambda refuses, another platform than the functions' or Cloud Run's). */
export class UnrunnableImage extends Refusal {
    name = "UnrunnableImage";
}
