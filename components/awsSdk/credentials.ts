// The one credential chain, for both dynamic providers and the scripts: the account's profile, the role assumed on
// top of it (or of the default chain), or the default chain itself; the same the stack's aws.Providers use.

import { fromIni, fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import type { AccountCredentials, AccountInputs } from "./types";

type CredentialProvider = ReturnType<typeof fromIni>;

/** What every SDK client of one account is built with. */
export interface ClientConfig {
    region: string;
    maxAttempts: number;
    credentials?: CredentialProvider;
}

/** How the credentials are obtained, for messages: `profile "x", assuming arn:…`. */
export function credentialSource(inputs: AccountCredentials): string {
    const parts = [inputs.profile ? `profile "${inputs.profile}"` : "the default credential chain"];
    if (inputs.assumeRoleArn) parts.push(`assuming ${inputs.assumeRoleArn}`);
    return parts.join(", ");
}

/**
 * `roleArn` assumed with `base` (undefined: the default chain). The STS client inside gets no endpoint either, so
 * AWS_ENDPOINT_URL_STS applies to it too.
 */
export function assumedRoleCredentials(
    roleArn: string,
    sessionName: string,
    region: string,
    base: CredentialProvider | undefined,
    maxAttempts?: number,
): CredentialProvider {
    return fromTemporaryCredentials({
        params: { RoleArn: roleArn, RoleSessionName: sessionName },
        ...(base ? { masterCredentials: base } : {}),
        clientConfig: { region, ...(maxAttempts !== undefined ? { maxAttempts } : {}) },
    });
}

/** The account's credentials; undefined for the default chain, which every SDK client applies by itself. */
export function credentialsFor(
    inputs: AccountInputs,
    sessionName: string,
    maxAttempts?: number,
): CredentialProvider | undefined {
    const base = inputs.profile ? fromIni({ profile: inputs.profile }) : undefined;
    return inputs.assumeRoleArn
        ? assumedRoleCredentials(inputs.assumeRoleArn, sessionName, inputs.region, base, maxAttempts)
        : base;
}

/**
 * Client configuration for one account. No endpoint is set, so AWS_ENDPOINT_URL_<SERVICE> applies. maxAttempts 1 for
 * the providers: every retry is the provider's own (classified, bounded, with the injectable clock), never hidden in
 * the SDK.
 */
export function clientConfig(inputs: AccountInputs, sessionName: string): ClientConfig {
    const credentials = credentialsFor(inputs, sessionName);
    return { region: inputs.region, maxAttempts: 1, ...(credentials ? { credentials } : {}) };
}

/** A local endpoint (a test stub, a proxy) has no per-bucket DNS names: S3 clients address buckets by path there. */
export function s3PathStyle(env: NodeJS.ProcessEnv = process.env): boolean {
    return Boolean(env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL);
}
