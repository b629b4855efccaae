import * as pulumi from "@pulumi/pulumi";
import { providerLoader } from "./loader";
import { IMPORT_SWEEPER_PROVIDER_MODULE } from "./providerModules";
import { loaderVersion } from "./version";
import { jobNamePrefix } from "./importedModel/naming";
import { identityOf } from "./importedModel/state";
import type { ImportedModelInputs } from "./importedModel/types";
import type { AccountArgs } from "../awsSdk/types";

export { createImportSweeperProvider, type ImportSweeperInputs } from "./importedModel/sweeper";

/** What the resource registers: a small loader of the sweeper provider's module (see loader.ts). */
const importSweeperProviderLoader = providerLoader(IMPORT_SWEEPER_PROVIDER_MODULE);

/** The loader's version, `providerVersion` (see version.ts): a new loader updates the sweeper in place once. */
export const IMPORT_SWEEPER_PROVIDER_VERSION = loaderVersion(IMPORT_SWEEPER_PROVIDER_MODULE);

/** The job-name prefix of one ImportedModel's imports (what defines the import, as its provider names the jobs). */
export function importJobPrefix(inputs: ImportedModelInputs): string {
    return jobNamePrefix(identityOf(inputs));
}

/** Arguments of `ImportSweeper`: the hosting account, the owner and the job-name prefixes of the stack's imports. */
export interface ImportSweeperArgs extends AccountArgs {
    owner: pulumi.Input<string>;
    jobPrefixes: pulumi.Input<pulumi.Input<string>[]>;
    /** How long destroy waits for a running import (default 360 min). */
    timeoutMinutes?: pulumi.Input<number>;
    pollIntervalSeconds?: pulumi.Input<number>;
}

/**
 * The stack's last word in the hosting account on `destroy`: created before and deleted after every ImportedModel (they
 * depend on it), it finds an import that an interrupted `up` left running with no state entry, waits for it and deletes
 * its model. Shown as `pulumi-nodejs:dynamic/bedrock:ImportSweeper`; it creates nothing in AWS.
 */
export class ImportSweeper extends pulumi.dynamic.Resource {
    constructor(name: string, args: ImportSweeperArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            importSweeperProviderLoader,
            name,
            { ...args, providerVersion: IMPORT_SWEEPER_PROVIDER_VERSION },
            opts,
            "bedrock",
            "ImportSweeper",
        );
    }
}
