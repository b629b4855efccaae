// Arguments of the explicit per-account AWS providers. Pure, so the tests can check them on their own.

import type * as aws from "@pulumi/aws";
import type { AccountCredentials, ParseOptions } from "./config";
import { OWNER_TAG_KEY } from "./importedModel/naming";
import { MAX_CONFIG_MODEL_NAME } from "./modelVersion";
import { kmsGrantNameFor, sessionNameFor } from "./rules";

export interface AccountTarget extends AccountCredentials {
    accountId: string;
    region: string;
}

/** Tags every taggable AWS resource gets through the providers' defaultTags (and the imported models directly). */
export function defaultTags(project: string, stack: string): Record<string, string> {
    return { ManagedBy: "pulumi", PulumiProject: project, PulumiStack: stack };
}

/** What the config validator must know of the program: the tags it adds to every imported model. */
export function parseOptionsFor(project: string, stack: string): ParseOptions {
    return {
        addedModelTags: { ...defaultTags(project, stack), [OWNER_TAG_KEY]: ownerOf(project, stack) },
        // The program's own tags (ManagedBy, PulumiProject, PulumiStack and the owner tag) say who manages the model;
        // a user tag of the same key would silently replace them on the imported model.
        reservedTagKeys: [...Object.keys(defaultTags(project, stack)), OWNER_TAG_KEY],
        // The program appends "-<version>" to each model name (modelVersion.ts).
        maxModelNameLength: MAX_CONFIG_MODEL_NAME,
    };
}

/** The owner of a stack's imported models: `<project>/<stack>` (tag bedrock-cmi:owner, part of the job-name hash). */
export function ownerOf(project: string, stack: string): string {
    return `${project}/${stack}`;
}

/** The STS session name of the stack's deployer sessions (stack names can be longer than STS allows). */
export function sessionName(stack: string): string {
    return sessionNameFor(`bedrock-cmi-${stack}`);
}

export function providerArgs(account: AccountTarget, tags: Record<string, string>, stack: string): aws.ProviderArgs {
    return {
        region: account.region,
        ...(account.profile ? { profile: account.profile } : {}),
        ...(account.assumeRoleArn ? { assumeRoles: [{ roleArn: account.assumeRoleArn, sessionName: sessionName(stack) }] } : {}),
        // A credential for the wrong account fails the provider before anything is created there.
        allowedAccountIds: [account.accountId],
        defaultTags: { tags },
    };
}

/** The component's name in a stack (index.ts); the bucket-policy Sid prefix and the key aliases derive from it. */
export function componentNameFor(stack: string): string {
    return `bedrock-cmi-${stack}`;
}

/** The name of the grant a stack adds on the research key for its execution role. */
export function researchKeyGrantName(componentName: string): string {
    return kmsGrantNameFor(`${componentName}-execution-role`);
}
