import { StackSettings } from "../config";
import { ImageVerificationPolicy } from "./image/imageVerification";

/** The stack's image.verify with the KMS region of a key named by alias or id (the stack's aws:region). */
export function stackImageVerification(settings: StackSettings): ImageVerificationPolicy | undefined {
    const verify = settings.image.verify;
    return verify && { ...verify, keyRegion: settings.providers["aws:region"] };
}
