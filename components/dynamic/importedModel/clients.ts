// The hosting account's SDK clients, built from the inputs through the shared awsSdk module.

import { BedrockClient } from "@aws-sdk/client-bedrock";
import { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { ServiceQuotasClient } from "@aws-sdk/client-service-quotas";
import * as identity from "../../awsSdk/identity";
import { clientConfig } from "../../awsSdk/credentials";
import type { AccountInputs } from "../../awsSdk/types";
import type { ImportedModelClients } from "./types";

/** The STS session name when the provider assumes `assumeRoleArn` (visible in the account's CloudTrail). */
const SESSION_NAME = "pulumi-bedrock-imported-model";

/**
 * Hosting-account clients built from the inputs (an explicit `aws.Provider` does not reach a
 * dynamic provider). No endpoint is set, so AWS_ENDPOINT_URL_BEDROCK / AWS_ENDPOINT_URL_STS apply.
 * maxAttempts 1: every retry is the provider's own, classified and bounded by the import deadline.
 */
export function defaultClients(inputs: AccountInputs): ImportedModelClients {
    // One configuration (and so one set of assumed-role credentials) for both clients.
    const config = clientConfig(inputs, SESSION_NAME);
    return {
        bedrock: new BedrockClient(config),
        sts: identity.stsClient(config),
        // The runtime client keeps the SDK's default (HTTP/2) handler; AWS_ENDPOINT_URL_BEDROCK_RUNTIME applies.
        runtime: new BedrockRuntimeClient(config),
        quotas: new ServiceQuotasClient(config),
    };
}
