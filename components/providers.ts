// Arguments of the explicit per-account AWS providers. Pure, so the tests can check them on their own.

import type * as aws from "@pulumi/aws";
import type { AccountCredentials } from "./config";

export interface AccountTarget extends AccountCredentials {
    accountId: string;
    region: string;
}

/** Tags every taggable AWS resource gets through the providers' defaultTags (and the imported models directly). */
export function defaultTags(project: string, stack: string): Record<string, string> {
    return { ManagedBy: "pulumi", PulumiProject: project, PulumiStack: stack };
}

/** STS session names are at most 64 characters of [\w+=,.@-]; stack names can be longer. */
export function sessionName(stack: string): string {
    return `bedrock-cmi-${stack}`.replace(/[^\w+=,.@-]/g, "-").slice(0, 64);
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
