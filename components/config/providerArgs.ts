// Arguments of the explicit per-account AWS providers, and what the config validator must know of the program.
// Pure, so the tests can check them on their own.

import type * as aws from "@pulumi/aws";
import type { AccountInputs } from "../awsSdk/types";
import type { ParseOptions } from "./stackConfig";
import { MAX_CONFIG_MODEL_NAME, stackNames, type StackNames } from "../naming";

/** What the config validator must know of the program: the tags it adds to every imported model. */
export function parseOptionsFor(project: string, stack: string): ParseOptions {
    const names = stackNames(project, stack);
    return {
        addedModelTags: names.addedModelTags,
        // The program's own tags (ManagedBy, PulumiProject, PulumiStack and the owner tag) say who manages the model;
        // a user tag of the same key would silently replace them on the imported model.
        reservedTagKeys: Object.keys(names.addedModelTags),
        // The program appends "-<version>" to each model name (versionedModelName, components/naming.ts).
        maxModelNameLength: MAX_CONFIG_MODEL_NAME,
    };
}

export function providerArgs(
    account: AccountInputs,
    names: Pick<StackNames, "defaultTags" | "sessionName">,
): aws.ProviderArgs {
    return {
        region: account.region,
        ...(account.profile ? { profile: account.profile } : {}),
        ...(account.assumeRoleArn
            ? { assumeRoles: [{ roleArn: account.assumeRoleArn, sessionName: names.sessionName }] }
            : {}),
        // A credential for the wrong account fails the provider before anything is created there.
        allowedAccountIds: [account.accountId],
        defaultTags: { tags: names.defaultTags },
    };
}
