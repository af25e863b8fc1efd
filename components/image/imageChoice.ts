import { ImageChoice, ImagePlatform, ImageSource } from "./types";
import { refusal } from "../refusal";

/** The image source a component validated (exactly one of build and prebuilt), with the build for `platform`. */
export function imageChoice(image: ImageSource, platform: ImagePlatform): ImageChoice {
    if (image.prebuilt !== undefined && image.prebuilt !== null) return { prebuilt: image.prebuilt };
    if (image.build) return { build: { ...image.build, platform } };
    throw refusal("image sets neither build nor prebuilt: set exactly one");
}
