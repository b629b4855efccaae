import * as pulumi from "@pulumi/pulumi";
import { providerLoader } from "./loader";
import { IMPORTED_MODEL_PROVIDER_MODULE } from "./providerModules";
import { loaderVersion } from "./version";
import { createImportedModelProvider } from "./importedModel/provider";
import type { ArgsOf } from "./fields";
import {
    EXPOSED_OUTPUT_KEYS,
    SECRET_INPUT_KEYS,
    SECRET_KEYS,
    type ImportedModelArgValues,
    type ImportedModelOutputProperties,
} from "./importedModel/fields";

export {
    createImportedModelProvider,
    DEFAULT_POLL_INTERVAL_SECONDS,
    type ImportedModelProvider,
} from "./importedModel/provider";
export type { ImportedModelInputs, ImportedModelOutputs } from "./importedModel/types";

/** The provider with real time and real SDK clients; credentials come from the resource's own inputs. */
export const importedModelProvider = createImportedModelProvider();

/** What the resource registers: a small loader of `importedModelProvider`'s module (see loader.ts). */
export const importedModelProviderLoader = providerLoader(IMPORTED_MODEL_PROVIDER_MODULE);

/** The loader's version, `providerVersion` (see version.ts): a new loader updates every ImportedModel in place once. */
export const IMPORTED_MODEL_PROVIDER_VERSION = loaderVersion(IMPORTED_MODEL_PROVIDER_MODULE);

/**
 * The arguments of `ImportedModel`: the inputs the program sets (importedModel/fields.ts), each may be an output of
 * another resource. @public (the constructor's argument type, for code that builds the resource)
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the members come from the field table
export interface ImportedModelArgs extends ArgsOf<ImportedModelArgValues> {}

/** The resource's output properties, declared by the field tables (importedModel/fields.ts). */
// Pulumi creates the output properties at run time: the interface only tells the compiler they are there.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface ImportedModel extends ImportedModelOutputProperties {}

/**
 * An Amazon Bedrock imported model, owned end to end: `up` imports and waits, `refresh` sees drift,
 * tag edits apply in place, a new artifact location or key re-imports, `destroy` deletes the model.
 * The account is the hosting account: the credentials in the arguments must belong to it or nothing is done.
 * Shown as `pulumi-nodejs:dynamic/bedrock:ImportedModel`.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- see the interface above
export class ImportedModel extends pulumi.dynamic.Resource {
    constructor(name: string, args: ImportedModelArgs, opts?: pulumi.CustomResourceOptions) {
        if (opts?.provider !== undefined) {
            // A dynamic resource runs with the inputs' credentials; an aws.Provider here would be a
            // provider of the wrong package and silently not apply.
            throw new Error(
                `[${name}] ImportedModel does not take a "provider" option: pass the hosting account's profile / ` +
                    `assumeRoleArn as inputs instead.`,
            );
        }
        const given = args as Record<string, pulumi.Input<unknown> | undefined>;
        const secretInputs = Object.fromEntries(
            SECRET_INPUT_KEYS.filter((key) => given[key] !== undefined).map((key) => [key, pulumi.secret(given[key])]),
        );
        super(
            importedModelProviderLoader,
            name,
            {
                ...args,
                // A secret input is encrypted in state, as an input and as an output.
                ...secretInputs,
                providerVersion: args.providerVersion ?? IMPORTED_MODEL_PROVIDER_VERSION,
                // Registered as undefined: the resource gets an output property for each, which the provider fills.
                ...Object.fromEntries(EXPOSED_OUTPUT_KEYS.map((key) => [key, undefined])),
            },
            // additionalSecretOutputs marks top-level outputs as secrets
            // (https://www.pulumi.com/docs/iac/concepts/resources/options/additionalsecretoutputs/).
            { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...SECRET_KEYS] },
            "bedrock",
            "ImportedModel",
        );
    }
}
