// SDK clients per account, built from the same credentials configuration as the stack's providers:
// profile (fromIni), assumeRoleArn (fromTemporaryCredentials, layered on the profile when both are set),
// or the default chain. No explicit endpoint is ever set, so AWS_ENDPOINT_URL_<SERVICE> (and the shared
// config's endpoint_url) redirect every client, including the STS client inside fromTemporaryCredentials.

import { IAMClient } from "@aws-sdk/client-iam";
import { KMSClient } from "@aws-sdk/client-kms";
import { S3Client } from "@aws-sdk/client-s3";
import { STSClient } from "@aws-sdk/client-sts";
import { fromIni, fromNodeProviderChain, fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import type { AccountCredentials } from "../../../components/config";
import { sessionName, type AccountTarget } from "../../../components/providers";

export type AccountName = "development" | "hosting";

// Derived rather than imported from @aws-sdk/types, which is only a transitive dependency.
type AwsCredentialIdentityProvider = ReturnType<typeof fromNodeProviderChain>;

/** The same account target the stack's providers are built from. */
export type { AccountTarget };

/** The clients one set of credentials needs; tests may supply their own factory. */
export interface AccountClients {
    sts: STSClient;
    s3: S3Client;
    iam: IAMClient;
    kms: KMSClient;
    /** Where the credentials come from, for messages ("profile model-hosting", "default credential chain"). */
    source: string;
}

export interface ClientFactory {
    /** Clients with the account's configured credentials. */
    account(name: AccountName, target: AccountTarget): AccountClients;
    /** Clients acting as `roleArn`, assumed with the given account's configured credentials. */
    assumed(roleArn: string, via: AccountName, target: AccountTarget, session: string): AccountClients;
}

export interface SdkClientOptions {
    /** SDK attempts per call; 1-3 keeps a failing check fast. */
    maxAttempts?: number;
    /** Environment consulted for S3 path-style addressing (defaults to process.env). */
    env?: NodeJS.ProcessEnv;
}

function describeSource(target: AccountCredentials): string {
    const parts = [target.profile ? `profile "${target.profile}"` : "the default credential chain"];
    if (target.assumeRoleArn) parts.push(`assuming ${target.assumeRoleArn}`);
    return parts.join(", ");
}

/** The credential provider the stack's aws.Provider would use for this account. */
function accountCredentials(target: AccountTarget, stack: string, maxAttempts: number): AwsCredentialIdentityProvider {
    const base = target.profile ? fromIni({ profile: target.profile }) : fromNodeProviderChain();
    if (!target.assumeRoleArn) return base;
    return fromTemporaryCredentials({
        masterCredentials: base,
        params: { RoleArn: target.assumeRoleArn, RoleSessionName: sessionName(stack) },
        clientConfig: { region: target.region, maxAttempts },
    });
}

export function sdkClientFactory(stack: string, options: SdkClientOptions = {}): ClientFactory {
    const maxAttempts = options.maxAttempts ?? 3;
    const env = options.env ?? process.env;
    const build = (region: string, credentials: AwsCredentialIdentityProvider, source: string): AccountClients => {
        const common = { region, credentials, maxAttempts };
        return {
            sts: new STSClient(common),
            // A local endpoint (127.0.0.1, a proxy) has no per-bucket DNS names: address buckets by path there.
            s3: new S3Client({ ...common, ...(env["AWS_ENDPOINT_URL_S3"] || env["AWS_ENDPOINT_URL"] ? { forcePathStyle: true } : {}) }),
            // IAM is global; the SDK's endpoint rules map any region of the partition to the global endpoint.
            iam: new IAMClient(common),
            kms: new KMSClient(common),
            source,
        };
    };
    const cache = new Map<string, AwsCredentialIdentityProvider>();
    const credentialsOf = (name: AccountName, target: AccountTarget) => {
        let c = cache.get(name);
        if (!c) cache.set(name, (c = accountCredentials(target, stack, maxAttempts)));
        return c;
    };
    return {
        account: (name, target) => build(target.region, credentialsOf(name, target), describeSource(target)),
        assumed: (roleArn, via, target, session) =>
            build(
                target.region,
                fromTemporaryCredentials({
                    masterCredentials: credentialsOf(via, target),
                    params: { RoleArn: roleArn, RoleSessionName: session.replace(/[^\w+=,.@-]/g, "-").slice(0, 64) },
                    clientConfig: { region: target.region, maxAttempts },
                }),
                `${roleArn} assumed with ${describeSource(target)}`,
            ),
    };
}
