// Reading and checking the account inputs every dynamic provider of this program takes (accountId, region, profile,
// assumeRoleArn), for `check`. Pure.

import {
    ACCOUNT_ID,
    accountIdProblems,
    isAwsRegion,
    partitionOf,
    principalArnProblems,
    type Partition,
} from "../rules";
import { show } from "../util/show";
import type { AccountInputs } from "./types";

/**
 * During `pulumi preview` an input computed from a resource not created yet reaches the provider as this sentinel;
 * it is not a value to validate.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isUnknown(value: unknown): boolean {
    return value === UNKNOWN;
}

/** The account of anything that carries one (a config section, a resource's inputs), without the unset fields. */
export function accountOf(a: AccountInputs): AccountInputs {
    return {
        accountId: a.accountId,
        region: a.region,
        ...(a.profile ? { profile: a.profile } : {}),
        ...(a.assumeRoleArn ? { assumeRoleArn: a.assumeRoleArn } : {}),
    };
}

/** A reader of string inputs that reports missing or non-string values through `fail`; unknowns read as undefined. */
export function stringInputs(
    news: Record<string, unknown>,
    fail: (property: string, reason: string) => void,
): (property: string, required: boolean) => string | undefined {
    return (property, required) => {
        const value = news[property];
        if (isUnknown(value)) return undefined;
        if (value === undefined || value === null || value === "") {
            if (required) fail(property, "is required");
            return undefined;
        }
        if (typeof value !== "string") {
            fail(property, `must be a string, got ${show(value)}`);
            return undefined;
        }
        return value;
    };
}

/**
 * Checks accountId, region (with the caller's region rule), profile and assumeRoleArn; returns the account id and
 * the partition the other ARNs must share.
 */
export function checkAccountInputs(
    str: (property: string, required: boolean) => string | undefined,
    failAll: (property: string, reasons: readonly string[]) => void,
    regionRule: (region: string) => string[],
    accountLabel: string,
): { accountId?: string; region?: string; partition: Partition; account: { account?: string } } {
    const accountId = str("accountId", true);
    if (accountId !== undefined) failAll("accountId", accountIdProblems(accountId));
    const region = str("region", true);
    if (region !== undefined) failAll("region", regionRule(region));
    const partition = region !== undefined && isAwsRegion(region) ? partitionOf(region) : "aws";
    const account = accountId !== undefined && ACCOUNT_ID.test(accountId) ? { account: accountId } : {};
    str("profile", false);
    const assumeRoleArn = str("assumeRoleArn", false);
    if (assumeRoleArn !== undefined) {
        failAll(
            "assumeRoleArn",
            principalArnProblems(assumeRoleArn, {
                partition,
                kinds: ["role"],
                what: `an IAM role ARN of ${accountLabel}`,
                ...account,
            }),
        );
    }
    return {
        ...(accountId !== undefined ? { accountId } : {}),
        ...(region !== undefined ? { region } : {}),
        partition,
        account,
    };
}
