// SDK clients per account, built from the same credentials configuration as the stack's providers:
// profile (fromIni), assumeRoleArn (fromTemporaryCredentials, layered on the profile when both are set),
// or the default chain. No explicit endpoint is ever set, so AWS_ENDPOINT_URL_<SERVICE> (and the shared
// config's endpoint_url) redirect every client, including the STS client inside fromTemporaryCredentials.

import { IAMClient } from "@aws-sdk/client-iam";
import { KMSClient } from "@aws-sdk/client-kms";
import { S3Client } from "@aws-sdk/client-s3";
import { STSClient } from "@aws-sdk/client-sts";
import {
    assumedRoleCredentials,
    credentialSource,
    credentialsFor,
    s3PathStyle,
} from "../../components/awsSdk/credentials";
import type { AccountInputs } from "../../components/awsSdk/types";
import { PROJECT, stackNames } from "../../components/naming";
import { sessionNameFor } from "../../components/rules";

export type AccountName = "development" | "hosting";

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
    account(name: AccountName, target: AccountInputs): AccountClients;
    /** Clients acting as `roleArn`, assumed with the given account's configured credentials. */
    assumed(roleArn: string, via: AccountName, target: AccountInputs, session: string): AccountClients;
}

export interface SdkClientOptions {
    /** SDK attempts per call; 1-3 keeps a failing check fast. */
    maxAttempts?: number;
    /** Environment consulted for S3 path-style addressing (defaults to process.env). */
    env?: NodeJS.ProcessEnv;
}

export function sdkClientFactory(stack: string, options: SdkClientOptions = {}): ClientFactory {
    const maxAttempts = options.maxAttempts ?? 3;
    const env = options.env ?? process.env;
    type Credentials = ReturnType<typeof credentialsFor>;
    const build = (region: string, credentials: Credentials, source: string): AccountClients => {
        const common = { region, maxAttempts, ...(credentials ? { credentials } : {}) };
        return {
            sts: new STSClient(common),
            s3: new S3Client({ ...common, ...(s3PathStyle(env) ? { forcePathStyle: true } : {}) }),
            // IAM is global; the SDK's endpoint rules map any region of the partition to the global endpoint.
            iam: new IAMClient(common),
            kms: new KMSClient(common),
            source,
        };
    };
    const cache = new Map<AccountName, Credentials>();
    const credentialsOf = (name: AccountName, target: AccountInputs) => {
        if (!cache.has(name))
            cache.set(name, credentialsFor(target, stackNames(PROJECT, stack).sessionName, maxAttempts));
        return cache.get(name);
    };
    return {
        account: (name, target) => build(target.region, credentialsOf(name, target), credentialSource(target)),
        assumed: (roleArn, via, target, session) =>
            build(
                target.region,
                assumedRoleCredentials(
                    roleArn,
                    sessionNameFor(session),
                    target.region,
                    credentialsOf(via, target),
                    maxAttempts,
                ),
                `${roleArn} assumed with ${credentialSource(target)}`,
            ),
    };
}
