import * as kms from "@pulumi/aws/kms";

/** The alias the stacks' `image.verify.signingKey` names (`awskms:///alias/<project>-image-signing`). */
export function imageSigningAlias(project: string): string {
    return `alias/${project}-image-signing`;
}

/**
 * The key image.yml signs the service image, its provenance and its SBOM with (`cosign sign|attest --key
 * awskms:///<alias>`): ECDSA P-256, the scheme cosign's signature spec requires; the private half never leaves KMS.
 * Only the image role may sign (kms:Sign, below); the promotion and the deployments read the public half.
 */
export function createImageSigningKey(project: string) {
    const key = new kms.Key("image-signing", {
        description: `cosign: signs ${project}'s images in image.yml (README "Where images are built")`,
        customerMasterKeySpec: "ECC_NIST_P256",
        keyUsage: "SIGN_VERIFY",
        deletionWindowInDays: 30,
        tags: { project, environment: "all", "managed-by": "pulumi" },
    });
    const alias = new kms.Alias("image-signing", { name: imageSigningAlias(project), targetKeyId: key.keyId });
    return { key, alias };
}
