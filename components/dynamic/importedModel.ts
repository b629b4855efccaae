import * as pulumi from "@pulumi/pulumi";
import { providerLoader } from "./loader";
import { IMPORTED_MODEL_PROVIDER_MODULE } from "./providerModules";
import { loaderVersion } from "./version";
import { createImportedModelProvider } from "./importedModel/provider";
import type { AccountArgs } from "../awsSdk/types";
import type { ImportJobStatus } from "./importedModel/types";

export { createImportedModelProvider, DEFAULT_POLL_INTERVAL_SECONDS, type ImportedModelProvider } from "./importedModel/provider";
export type { ImportJobStatus, ImportedModelInputs, ImportedModelOutputs } from "./importedModel/types";

/** The provider with real time and real SDK clients; credentials come from the resource's own inputs. */
export const importedModelProvider = createImportedModelProvider();

/** What the resource registers: a small loader of `importedModelProvider`'s module (see loader.ts). */
export const importedModelProviderLoader = providerLoader(IMPORTED_MODEL_PROVIDER_MODULE);

/** The loader's version, `providerVersion` (see version.ts): a new loader updates every ImportedModel in place once. */
export const IMPORTED_MODEL_PROVIDER_VERSION = loaderVersion(IMPORTED_MODEL_PROVIDER_MODULE);

/** Outputs stored as secrets: the smoke test's prompt (in `smokeTest`) and the start of the reply. */
const SMOKE_TEST_SECRET_OUTPUTS = ["smokeTestReply", "smokeTest"];

/** Arguments of `ImportedModel`. */
/** The account is the hosting account: the credentials must belong to it or nothing is done. */
export interface ImportedModelArgs extends AccountArgs {
    /** Imported model name, unique per account and region. Changing it replaces the model (new one first when the name differs). */
    modelName: pulumi.Input<string>;
    /** The config name `modelName` is versioned from; a model imported under it before versions existed keeps that name. */
    baseName?: pulumi.Input<string>;
    /** Execution role Bedrock assumes to read the artifacts. Changing it later is stored only. */
    roleArn: pulumi.Input<string>;
    /** `s3://bucket/prefix/` of the artifacts. Changing it re-imports (replace). */
    s3Uri: pulumi.Input<string>;
    /** Hosting CMK (key ARN, key id, alias name or alias ARN). Changing the key re-imports; respelling it does not. */
    kmsKeyArn?: pulumi.Input<string>;
    /** Tags on the imported model, applied in place. */
    tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** The stack, only for the access-failure message (`npm run verify-access -- --stack <stack>`); diff ignores it. */
    stackName?: pulumi.Input<string>;
    /** The model's stack config path (e.g. `models[1]`); check's messages name config keys with it. */
    configPath?: pulumi.Input<string>;
    /** `<project>/<stack>`: tagged bedrock-cmi:owner; a model another stack owns is never adopted, updated or deleted. */
    owner?: pulumi.Input<string>;
    /** The version of the loader stored in state (version.ts); set by the resource, override only in tests. */
    providerVersion?: pulumi.Input<string>;
    /** Invoke the model once after the import, before it goes live (absent: off). */
    smokeTest?: pulumi.Input<{ prompt?: pulumi.Input<string>; maxTokens?: pulumi.Input<number>; timeoutMinutes?: pulumi.Input<number> }>;
    /** How long one `up`/`destroy` waits for the import (default 360); past it the next `up` resumes. */
    timeoutMinutes?: pulumi.Input<number>;
    /** First wait in seconds (default 5, fractions allowed); later waits, retries and backoff scale from it. */
    pollIntervalSeconds?: pulumi.Input<number>;
}

/**
 * An Amazon Bedrock imported model, owned end to end: `up` imports and waits, `refresh` sees drift,
 * tag edits apply in place, a new artifact location or key re-imports, `destroy` deletes the model.
 * Shown as `pulumi-nodejs:dynamic/bedrock:ImportedModel`.
 */
export class ImportedModel extends pulumi.dynamic.Resource {
    public readonly accountId!: pulumi.Output<string>;
    public readonly region!: pulumi.Output<string>;
    public readonly modelName!: pulumi.Output<string>;
    public readonly roleArn!: pulumi.Output<string>;
    public readonly s3Uri!: pulumi.Output<string>;
    public readonly tags!: pulumi.Output<Record<string, string> | undefined>;
    /** The imported model's ARN (the identifier for inference). */
    public readonly modelArn!: pulumi.Output<string>;
    public readonly jobArn!: pulumi.Output<string>;
    public readonly jobName!: pulumi.Output<string>;
    public readonly jobStatus!: pulumi.Output<ImportJobStatus>;
    public readonly modelArchitecture!: pulumi.Output<string>;
    public readonly instructSupported!: pulumi.Output<boolean>;
    /** The key ARN as the service reports it (normalized from an alias or key id). */
    public readonly kmsKeyArn!: pulumi.Output<string | undefined>;
    public readonly creationTime!: pulumi.Output<string>;
    public readonly stackName!: pulumi.Output<string>;

    constructor(name: string, args: ImportedModelArgs, opts?: pulumi.CustomResourceOptions) {
        if (opts?.provider !== undefined) {
            // A dynamic resource runs with the inputs' credentials; an aws.Provider here would be a
            // provider of the wrong package and silently not apply.
            throw new Error(`[${name}] ImportedModel does not take a "provider" option: pass the hosting account's profile / assumeRoleArn as inputs instead.`);
        }
        super(
            importedModelProviderLoader,
            name,
            {
                ...args,
                // The prompt may be sensitive: a secret input is encrypted in state (inputs and outputs).
                smokeTest: args.smokeTest === undefined ? undefined : pulumi.secret(args.smokeTest),
                providerVersion: args.providerVersion ?? IMPORTED_MODEL_PROVIDER_VERSION,
                modelArn: undefined,
                jobArn: undefined,
                jobName: undefined,
                jobStatus: undefined,
                modelArchitecture: undefined,
                instructSupported: undefined,
                creationTime: undefined,
            },
            // The prompt and the start of the model's reply are encrypted in state: additionalSecretOutputs marks
            // top-level outputs as secrets (https://www.pulumi.com/docs/iac/concepts/resources/options/additionalsecretoutputs/).
            { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...SMOKE_TEST_SECRET_OUTPUTS] },
            "bedrock",
            "ImportedModel",
        );
    }
}
