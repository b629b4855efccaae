// Credentials and SDK client configuration for one account, shared by the dynamic providers.
// Serialized by value into each provider: SDK packages are required inside the functions.

import type { AccountInputs } from "./types";

type CredentialProviders = typeof import("@aws-sdk/credential-providers");
type CredentialProvider = ReturnType<CredentialProviders["fromIni"]>;

/** What every SDK client of one account is built with. */
export interface ClientConfig {
    region: string;
    maxAttempts: number;
    credentials?: CredentialProvider;
}

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
function credentialsFor(inputs: AccountInputs, sessionName: string): CredentialProvider | undefined {
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
export function clientConfig(inputs: AccountInputs, sessionName: string): ClientConfig {
    const credentials = credentialsFor(inputs, sessionName);
    return { region: inputs.region, maxAttempts: 1, ...(credentials ? { credentials } : {}) };
}
