import { answerExcerpt } from "../answerExcerpt";
import { perRun } from "../perRun";
import { refusal } from "../refusal";
import { awsReadFailure, withClient } from "./awsClient";
import { endpointVariablesNameIt } from "./endpointVariables";

/** Whose the AWS SDK's default credentials are: STS GetCallerIdentity's Account and Arn. */
export interface SdkIdentity {
    account: string;
    arn: string;
}

const identities = perRun<SdkIdentity>();

/**
 * Whose the AWS SDK's default credentials are (the environment's keys, AWS_PROFILE or AWS_DEFAULT_PROFILE, the machine's role), asked of STS
 * in `region` once a run. STS answers GetCallerIdentity for any identity ("No permissions are required to perform this
 * operation", STS API reference), so a failure here is no credentials at all, or no answer (awsReadFailure).
 */
export function sdkIdentity(region: string): Promise<SdkIdentity> {
    return identities(region, async () => {
        const { STSClient, GetCallerIdentityCommand } = await import("@aws-sdk/client-sts");
        let answer;
        try {
            answer = await withClient(STSClient, region, (client) => client.send(new GetCallerIdentityCommand({})));
        } catch (err) {
            const unread = `could not ask STS in ${region} whose the AWS SDK's default credentials are (GetCallerIdentity)`;
            throw awsReadFailure(unread, err as Error, { service: "STS", needs: "sts:GetCallerIdentity", region });
        }
        const { Account, Arn, UserId } = answer;
        // STS names the Account and Arn of every caller it answers (STS API reference, GetCallerIdentity: Response Elements).
        if (!Account || !Arn) {
            throw refusal(
                `STS in ${region} answered GetCallerIdentity without ${!Account ? "an Account" : "an Arn"} (${answerExcerpt({ Account, Arn, UserId })}), ` +
                    `so whose the AWS SDK's default credentials are is unknown: check that ${endpointVariablesNameIt("STS")}, then run this again`,
            );
        }
        return { account: Account, arn: Arn };
    });
}
