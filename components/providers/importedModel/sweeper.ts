// Compatibility path. Stacks last deployed before the dynamic resources moved to components/dynamic/ hold, in state,
// a loader (components/dynamic/loader.ts) that looks for its provider here. `refresh` and `destroy` run that stored
// loader until the next `up` stores the current one (its `providerVersion` differs), so this path must keep
// answering. Nothing in the program imports it; tests/providers/legacyLoaderEntries.test.ts checks it.
export { createImportSweeperProvider } from "../../dynamic/importedModel/sweeper";
