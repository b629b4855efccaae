// "Who am I" in each account: sts:GetCallerIdentity with the account's configured credentials.

import { GetRoleCommand, type IAMClient } from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { describeError, isConnectionFailure } from "../../components/awsSdk/errors";
import type { AccountInputs } from "../../components/awsSdk/types";
import { CONFIG_NAMESPACE } from "../../components/config/namespace";
import type { AccountClients, AccountName } from "./clients";
import { fail, pass, type CheckResult } from "./types";

export interface Identity {
    account: string;
    arn: string;
}

const CONFIG_KEY: Record<AccountName, string> = { development: "modelDevelopment", hosting: "modelHosting" };

// Policies compare aws:PrincipalArn, which for a role session is the ARN of the role, not of the session
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn).
// A role ARN carries the role's path; a session ARN, arn:aws:sts::<acct>:assumed-role/<role-name>/<session>
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html), does not. IAM Identity Center roles
// always have one: arn:aws:iam::<acct>:role/aws-reserved/sso.amazonaws.com/[<region>/]AWSReservedSSO_<set>_<suffix>
// (https://docs.aws.amazon.com/singlesignon/latest/userguide/referencingpermissionsets.html). So a session is matched
// against configured role ARNs by account and role name, and a path is never guessed.

export interface RoleSession {
    partition: string;
    account: string;
    roleName: string;
    sessionName: string;
}

/** The parts of an assumed-role session ARN; undefined for any other caller (user, root, federated user). */
export function roleSessionOf(callerArn: string): RoleSession | undefined {
    const m = /^arn:([\w-]+):sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/.exec(callerArn);
    return m ? { partition: m[1], account: m[2], roleName: m[3], sessionName: m[4] } : undefined;
}

export interface RoleArnParts {
    partition: string;
    account: string;
    /** "/" or "/path/…/" */
    path: string;
    name: string;
}

export function parseRoleArn(arn: string): RoleArnParts | undefined {
    const m = /^arn:([\w-]+):iam::(\d{12}):role(\/(?:[^/]+\/)*)([^/]+)$/.exec(arn);
    return m ? { partition: m[1], account: m[2], path: m[3], name: m[4] } : undefined;
}

/**
 * The pathless guess at a caller's aws:PrincipalArn: a session becomes arn:…:iam::<acct>:role/<role-name>. Right only
 * for roles without a path; use matchConfiguredPrincipal or resolvePrincipalArn wherever the result is compared.
 */
export function principalArnOf(callerArn: string): string {
    const s = roleSessionOf(callerArn);
    return s ? `arn:${s.partition}:iam::${s.account}:role/${s.roleName}` : callerArn;
}

/**
 * The configured principal ARN (e.g. an allowAssumeFrom entry) that the caller is, with its path, or undefined.
 * Role names are unique within an account whatever their path, and case-insensitively
 * (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html), so account + name identify the role.
 */
export function matchConfiguredPrincipal(callerArn: string, configured: readonly string[]): string | undefined {
    if (configured.includes(callerArn)) return callerArn;
    const session = roleSessionOf(callerArn);
    if (!session) return undefined;
    return configured.find((c) => {
        const role = parseRoleArn(c);
        return (
            role !== undefined &&
            role.partition === session.partition &&
            role.account === session.account &&
            role.name.toLowerCase() === session.roleName.toLowerCase()
        );
    });
}

export interface ResolvedPrincipal {
    /** The caller's aws:PrincipalArn: for a session, its role's ARN with the path when it could be read. */
    arn: string;
    /** False when iam:GetRole was refused or failed: `arn` is then the pathless guess and may be wrong. */
    pathKnown: boolean;
    /** Why the path is unknown. */
    error?: string;
}

/** Resolves a session's role ARN, path included, with iam:GetRole (read-only) in the caller's own account. */
export async function resolvePrincipalArn(callerArn: string, iam: IAMClient): Promise<ResolvedPrincipal> {
    const session = roleSessionOf(callerArn);
    if (!session) return { arn: callerArn, pathKnown: true };
    try {
        const out = await iam.send(new GetRoleCommand({ RoleName: session.roleName }));
        if (out.Role?.Arn) return { arn: out.Role.Arn, pathKnown: true };
        return { arn: principalArnOf(callerArn), pathKnown: false, error: "iam:GetRole returned no ARN" };
    } catch (e) {
        return { arn: principalArnOf(callerArn), pathKnown: false, error: `iam:GetRole failed: ${describeError(e)}` };
    }
}

/** A principal ARN for a message, with a warning when its path could not be read. */
export function describePrincipal(r: ResolvedPrincipal): string {
    return r.pathKnown
        ? r.arn
        : `${r.arn} (${r.error ?? "its path is unknown"}; if the role has a path, such as ` +
              `aws-reserved/sso.amazonaws.com/ for IAM Identity Center, insert it after "role/")`;
}

export async function checkIdentity(
    name: AccountName,
    target: AccountInputs,
    clients: AccountClients,
): Promise<{ result: CheckResult; identity?: Identity }> {
    const id = `identity.${name}`;
    const title = `Credentials for the model ${name} account (${target.accountId}) via ${clients.source}`;
    const key = CONFIG_KEY[name];
    let out;
    try {
        out = await clients.sts.send(new GetCallerIdentityCommand({}));
    } catch (e) {
        if (isConnectionFailure(e)) {
            const endpoint =
                process.env["AWS_ENDPOINT_URL_STS"] ??
                process.env["AWS_ENDPOINT_URL"] ??
                `https://sts.${target.region}.amazonaws.com`;
            return {
                result: fail(
                    id,
                    title,
                    `could not reach the STS endpoint ${endpoint}: ${describeError(e)}. This is a network or ` +
                        `endpoint problem; the credentials were not judged`,
                    `Check the network connection, any proxy (HTTPS_PROXY) and the endpoint settings ` +
                        `(AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_STS, endpoint_url in ~/.aws/config), then run again.`,
                ),
            };
        }
        return {
            result: fail(
                id,
                title,
                `sts:GetCallerIdentity failed: ${describeError(e)}`,
                `Make ${clients.source} work for account ${target.accountId} (aws sso login / aws configure${target.profile ? ` --profile ${target.profile}` : ""}), ` +
                    `or set ${key}.profile / ${key}.assumeRoleArn in the stack's config: pulumi config set ` +
                    `--path '${CONFIG_NAMESPACE}:${key}.profile' ` +
                    `<profile>.`,
            ),
        };
    }
    const identity = { account: out.Account ?? "", arn: out.Arn ?? "" };
    if (identity.account !== target.accountId) {
        return {
            result: fail(
                id,
                title,
                `the credentials belong to account ${identity.account || "?"} (${identity.arn}), not to the ` +
                    `configured ${key}.accountId ${target.accountId}`,
                `Use credentials of account ${target.accountId}: set ${key}.profile to a profile of that account ` +
                    `or ${key}.assumeRoleArn to a role in it (the same settings pulumi up uses), or correct ` +
                    `${key}.accountId.`,
            ),
            identity,
        };
    }
    return { result: pass(id, title, `${identity.arn}`), identity };
}
