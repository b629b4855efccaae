// Which credentials a dynamic provider uses for a resource that already exists (read and delete, so also refresh and
// destroy): the stack's CURRENT config for that account, else the ones stored in the resource's state. Create and
// update get the current inputs from the program anyway; read and delete get only what the state holds, and a profile
// renamed or a role replaced since then would leave the resource impossible to refresh or delete.
//
// Pulumi's dynamic-provider host calls the provider's `configure` with the stack config before any other method
// (`@pulumi/pulumi/cmd/dynamic-provider`, v3.248: the engine sends the default `pulumi-nodejs` provider every key of
// the stack, namespace-qualified, each value a string; objects as JSON). Pure: no SDK, no I/O.

import { CONFIG_NAMESPACE } from "./namespace";
import type { AccountInputs } from "../awsSdk/types";

/** The stack config's account sections (the contract's keys). */
export type AccountSection = "modelHosting" | "modelDevelopment";
const SECTIONS: readonly AccountSection[] = ["modelHosting", "modelDevelopment"];

/**
 * The accounts of the current stack config; a section absent or unreadable is left out (the stored credentials apply).
 */
export type ConfiguredAccounts = Partial<Record<AccountSection, AccountInputs>>;

/** What `configure` receives (`dynamic.Config`): `get` of a namespace-qualified key. */
export interface ConfigReader {
    get(key: string): unknown;
}

function accountSection(raw: unknown): AccountInputs | undefined {
    let value = raw;
    if (typeof raw === "string") {
        try {
            value = JSON.parse(raw);
        } catch {
            return undefined;
        }
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
    const o = value as Record<string, unknown>;
    const text = (key: string): string | undefined =>
        typeof o[key] === "string" && o[key] !== "" ? (o[key] as string) : undefined;
    const accountId = text("accountId");
    if (accountId === undefined) return undefined;
    const [region, profile, assumeRoleArn] = [text("region"), text("profile"), text("assumeRoleArn")];
    return {
        accountId,
        region: region ?? "",
        ...(profile ? { profile } : {}),
        ...(assumeRoleArn ? { assumeRoleArn } : {}),
    };
}

/**
 * The value of a key, or undefined when the host has no config to read (it got no ConfigureRequest: its `get` throws).
 */
function readKey(config: ConfigReader, key: string): unknown {
    try {
        return config.get(key);
    } catch {
        return undefined;
    }
}

/** The account sections of the stack config `configure` received. */
export function configuredAccounts(config: ConfigReader): ConfiguredAccounts {
    const accounts: ConfiguredAccounts = {};
    for (const section of SECTIONS) {
        const account = accountSection(readKey(config, `${CONFIG_NAMESPACE}:${section}`));
        if (account) accounts[section] = account;
    }
    return accounts;
}

/**
 * `stored` with the credentials (`profile`, `assumeRoleArn`) of the current config's section for the same account:
 * `prefer` first (the section the resource is created from), then any other section of that account. A section of the
 * account is taken whole: without `profile` there, the default chain applies, whatever the state says. Only when no
 * section names the account (its id changed, or no config reached the provider) do the stored credentials stay.
 * `accountId` and `region` always stay the stored ones: they say where the resource lives (an ImportedModel of the
 * old region is deleted there, not looked for in the new one and missed).
 */
export function currentCredentials<T extends AccountInputs>(
    stored: T,
    accounts: ConfiguredAccounts | undefined,
    prefer: AccountSection,
): T {
    const order = [prefer, ...SECTIONS.filter((s) => s !== prefer)];
    const match = order.map((s) => accounts?.[s]).find((a) => a !== undefined && a.accountId === stored.accountId);
    if (!match) return stored;
    const picked: T = { ...stored };
    delete picked.profile;
    delete picked.assumeRoleArn;
    return {
        ...picked,
        ...(match.profile ? { profile: match.profile } : {}),
        ...(match.assumeRoleArn ? { assumeRoleArn: match.assumeRoleArn } : {}),
    };
}
