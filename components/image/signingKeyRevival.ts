/**
 * The CLI commands that make the image signing key usable again. EnableKey and CancelKeyDeletion take only a key ID
 * or key ARN ("Specify the key ID or key ARN of the KMS key": KMS API reference, EnableKey and CancelKeyDeletion),
 * while the setting usually names an alias; DescribeKey takes an alias too and answers KeyMetadata.Arn. A canceled
 * deletion leaves the key Disabled ("When this operation succeeds, the key state of the KMS key is Disabled. To enable
 * the KMS key, use EnableKey": CancelKeyDeletion), so enable-key follows it. Both values are printed unquoted: the key
 * ID holds only [A-Za-z0-9/:_-] (awsKmsKeyId's pattern) and the region is a known AWS region (the aws:region schema).
 */
export function signingKeyRevival(keyId: string, region: string, pendingDeletion: boolean): string {
    const isAlias = /^(?:alias\/|arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:alias\/)/.test(keyId);
    const key = isAlias ? `"$k"` : keyId;
    const lookUp = isAlias ? `k=$(aws kms describe-key --region ${region} --key-id ${keyId} --query KeyMetadata.Arn --output text) && ` : "";
    const enable = `aws kms enable-key --region ${region} --key-id ${key}`;
    return pendingDeletion ? `${lookUp}aws kms cancel-key-deletion --region ${region} --key-id ${key} && ${enable}` : `${lookUp}${enable}`;
}
