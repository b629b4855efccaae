// Where each dynamic resource's provider lives in the checkout, written once. The loader stored in state requires it
// from there (loader.ts), `providerVersion` hashes it (version.ts), and the mock runner keeps those modules loaded
// between runs (scripts/common/mockProgram.ts). Moving a provider changes the loader's version: existing resources are
// updated in place once, and state written before the move keeps loading the old path (components/providers/).

import type { ProviderModule } from "./loader";

export const IMPORTED_MODEL_PROVIDER_MODULE: ProviderModule = {
    entry: "components/dynamic/importedModel/provider",
    factory: "createImportedModelProvider",
};

export const IMPORT_SWEEPER_PROVIDER_MODULE: ProviderModule = {
    entry: "components/dynamic/importedModel/sweeper",
    factory: "createImportSweeperProvider",
};

export const BUCKET_POLICY_STATEMENTS_PROVIDER_MODULE: ProviderModule = {
    entry: "components/dynamic/bucketPolicyStatements/provider",
    factory: "createBucketPolicyStatementsProvider",
};

/** Every provider module the loader may load. */
export const PROVIDER_MODULES: readonly ProviderModule[] = [
    IMPORTED_MODEL_PROVIDER_MODULE,
    IMPORT_SWEEPER_PROVIDER_MODULE,
    BUCKET_POLICY_STATEMENTS_PROVIDER_MODULE,
];
