// Credentials, the account check, retries and error classification for the bucket-policy provider.
//
// Stand-in for the shared module components/awsAccount/ that is being extracted from the ImportedModel provider
// (branch wt-a); it was not there yet when this was written. Everything account-related lives in this one file,
// with the names that module uses, so swapping means changing the imports of s3.ts and provider.ts only.
// Serialized by value into the dynamic provider: SDK packages are required inside the functions.

import * as errors from "../importedModel/errors";
import type { AccountInputs, CommandSender } from "./types";

type StsSdk = typeof import("@aws-sdk/client-sts");
type CredentialProviders = typeof import("@aws-sdk/credential-providers");
type CredentialProvider = ReturnType<CredentialProviders["fromIni"]>;

// SDK error classification is shared with the ImportedModel provider: one copy of each rule.
export const errorName = errors.errorName;
export const errorMessage = errors.errorMessage;
export const httpStatus = errors.httpStatus;
export const isTransient = errors.isTransient;
export const resourceInitError = errors.resourceInitError;
export type ResourceInitError = errors.ResourceInitError;

/** How the credentials are obtained, for messages: `profile "x" + role arn:…`. */
export function credentialSource(inputs: AccountInputs): string {
    const parts: string[] = [];
    if (inputs.profile) parts.push(`profile "${inputs.profile}"`);
    if (inputs.assumeRoleArn) parts.push(`role ${inputs.assumeRoleArn}`);
    return parts.length > 0 ? parts.join(" + ") : "the default credential chain";
}

/**
 * Credentials from the inputs (an explicit aws.Provider does not reach a dynamic provider): the profile, the role
 * assumed on top of it (or of the default chain), or undefined for the default chain itself.
 */
export function credentialsFor(inputs: AccountInputs, sessionName: string): CredentialProvider | undefined {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const providers: CredentialProviders = require("@aws-sdk/credential-providers");
    const base = inputs.profile ? providers.fromIni({ profile: inputs.profile }) : undefined;
    if (!inputs.assumeRoleArn) return base;
    return providers.fromTemporaryCredentials({
        params: { RoleArn: inputs.assumeRoleArn, RoleSessionName: sessionName },
        ...(base ? { masterCredentials: base } : {}),
        clientConfig: { region: inputs.region },
    });
}

/**
 * Client configuration for one account. No endpoint is set, so AWS_ENDPOINT_URL_<SERVICE> applies. maxAttempts 1:
 * every retry is the provider's own (classified, bounded, with the injectable clock), never hidden in the SDK.
 */
export function clientConfig(inputs: AccountInputs, sessionName: string): { region: string; maxAttempts: number; credentials?: CredentialProvider } {
    const credentials = credentialsFor(inputs, sessionName);
    return { region: inputs.region, maxAttempts: 1, ...(credentials ? { credentials } : {}) };
}

export function stsClient(inputs: AccountInputs, sessionName: string): CommandSender {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { STSClient }: StsSdk = require("@aws-sdk/client-sts");
    return new STSClient(clientConfig(inputs, sessionName));
}

export interface RetryOptions {
    sleep: (ms: number) => Promise<void>;
    /** In [0, 1). */
    random: () => number;
    /** Retries after the first attempt. */
    maxRetries: number;
    baseMs: number;
    capMs: number;
}

/** Exponential backoff from `baseMs`, capped at `capMs`, with jitter in [50 %, 100 %] of the step. */
export function backoffMs(retry: number, random: number, baseMs: number, capMs: number): number {
    return Math.min(capMs, baseMs * Math.pow(2, retry)) * (0.5 + 0.5 * random);
}

/** One API call, retried on throttling, 5xx and connection failures only, a bounded number of times. */
export async function callWithRetry<T>(options: RetryOptions, call: () => Promise<T>): Promise<T> {
    for (let retry = 0; ; retry++) {
        try {
            return await call();
        } catch (err) {
            if (!isTransient(err) || retry >= options.maxRetries) throw err;
            await options.sleep(backoffMs(retry, options.random(), options.baseMs, options.capMs));
        }
    }
}

/**
 * Refuses to act with credentials of another account. Runs before any call that reads or writes the account's
 * resources: with a wrong account, S3 would answer AccessDenied at best and, for a bucket name that exists
 * elsewhere, act on someone else's bucket at worst.
 */
export async function assertAccount(sts: CommandSender, inputs: AccountInputs, what: string, retry: RetryOptions): Promise<void> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { GetCallerIdentityCommand }: StsSdk = require("@aws-sdk/client-sts");
    let identity: { Account?: string; Arn?: string };
    try {
        identity = (await callWithRetry(retry, () => sts.send(new GetCallerIdentityCommand({})))) as { Account?: string; Arn?: string };
    } catch (err) {
        throw new Error(
            `[accountId] could not confirm the ${what} ${inputs.accountId}: sts:GetCallerIdentity with ${credentialSource(inputs)} in ${inputs.region} failed ` +
                `(${errorName(err)}: ${errorMessage(err)}). Check the profile / assumeRoleArn inputs and that those credentials are valid; nothing was changed.`,
            { cause: err },
        );
    }
    if (identity.Account !== inputs.accountId) {
        throw new Error(
            `[accountId] the credentials from ${credentialSource(inputs)} belong to account ${identity.Account} (${identity.Arn}), not the ${what} ` +
                `${inputs.accountId}; nothing was read or changed. Set profile and/or assumeRoleArn to credentials of ${inputs.accountId}.`,
        );
    }
}
