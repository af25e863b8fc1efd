/**
 * Another account's identity for the AWS SDK's default credentials (fakeAwsApis.ts caller), as AWS_PROFILE of a sandbox
 * account, or a role the provider alone assumes, leaves them.
 */
export const SANDBOX_CALLER = { account: "210987654321", arn: "arn:aws:sts::210987654321:assumed-role/sandbox-admin/laptop", userId: "AROAEXAMPLESANDBOX:laptop" };
