// Which account the credentials belong to, checked before a provider reads or writes anything.

import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { clientConfig, credentialSource, type ClientConfig } from "./credentials";
import { describeError } from "./errors";
import { callWithRetry, type RetryOptions } from "./retry";
import type { AccountInputs, CommandSender } from "./types";

/** An STS client with the account's configuration (built once by the caller, or from the inputs). */
export function stsClient(config: ClientConfig): CommandSender {
    return new STSClient(config);
}

/** An STS client for the account in `inputs`. */
export function stsClientFor(inputs: AccountInputs, sessionName: string): CommandSender {
    return stsClient(clientConfig(inputs, sessionName));
}

/** How messages name the account and what the provider leaves undone when its credentials are not confirmed. */
export interface AccountRole {
    /** E.g. "hosting account". */
    what: string;
    /** What was not done when the credentials belong to another account, e.g. "nothing was done in Bedrock". */
    notDone: string;
    /** The same when the identity could not be read at all; the sentence ends without it when absent. */
    notDoneUnconfirmed?: string;
}

/**
 * Refuses to act with credentials of another account. Runs before any call that reads or writes the account's
 * resources: with a wrong account, a service would answer AccessDenied or "not found" at best and, for a globally
 * named resource (an S3 bucket), act on someone else's at worst. Returns the caller's ARN (for messages).
 */
export async function assertAccount(
    sts: CommandSender,
    inputs: AccountInputs,
    role: AccountRole,
    retry: RetryOptions,
): Promise<string | undefined> {
    let identity: { Account?: string; Arn?: string };
    try {
        identity = (await callWithRetry(retry, () => sts.send(new GetCallerIdentityCommand({})))) as {
            Account?: string;
            Arn?: string;
        };
    } catch (err) {
        throw new Error(
            `[accountId] could not confirm the ${role.what} ${inputs.accountId}: sts:GetCallerIdentity with ` +
                `${credentialSource(inputs)} in ${inputs.region} failed ` +
                `(${describeError(err)}). Check the profile / assumeRoleArn inputs and that those credentials ` +
                `are valid` +
                `${role.notDoneUnconfirmed ? `; ${role.notDoneUnconfirmed}` : ""}. ` +
                // The engine configures the providers of refresh and destroy with the stack config the last up
                // recorded.
                `After changing them in the stack config, run "pulumi up" before "pulumi refresh" or ` +
                `"pulumi destroy", or run those with --run-program.`,
            { cause: err },
        );
    }
    if (identity.Account !== inputs.accountId) {
        throw new Error(
            `[accountId] the credentials from ${credentialSource(inputs)} belong to account ${identity.Account} (${identity.Arn}), ` +
                `not the ${role.what} ` +
                `${inputs.accountId}; ${role.notDone}. Set profile and/or assumeRoleArn to credentials of ` +
                `${inputs.accountId}.`,
        );
    }
    return identity.Arn;
}
