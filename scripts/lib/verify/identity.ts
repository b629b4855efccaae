// "Who am I" in each account: sts:GetCallerIdentity with the account's configured credentials.

import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import type { AccountClients, AccountName, AccountTarget } from "./clients";
import { describeError, fail, pass, type CheckResult } from "./types";

export interface Identity {
    account: string;
    arn: string;
}

const CONFIG_KEY: Record<AccountName, string> = { development: "modelDevelopment", hosting: "modelHosting" };

/**
 * The IAM principal ARN of a caller, as IAM policies' aws:PrincipalArn sees it: an assumed-role session
 * (arn:aws:sts::<acct>:assumed-role/<role>/<session>) is the role arn:aws:iam::<acct>:role/<role>.
 * Roles with a path lose it in the session ARN, so this is the pathless form.
 */
export function principalArnOf(callerArn: string): string {
    const m = /^arn:([\w-]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(callerArn);
    return m ? `arn:${m[1]}:iam::${m[2]}:role/${m[3]}` : callerArn;
}

export async function checkIdentity(name: AccountName, target: AccountTarget, clients: AccountClients): Promise<{ result: CheckResult; identity?: Identity }> {
    const id = `identity.${name}`;
    const title = `Credentials for the model ${name} account (${target.accountId}) via ${clients.source}`;
    const key = CONFIG_KEY[name];
    let out;
    try {
        out = await clients.sts.send(new GetCallerIdentityCommand({}));
    } catch (e) {
        return {
            result: fail(
                id,
                title,
                `sts:GetCallerIdentity failed: ${describeError(e)}`,
                `Make ${clients.source} work for account ${target.accountId} (aws sso login / aws configure${target.profile ? ` --profile ${target.profile}` : ""}), or set ${key}.profile / ${key}.assumeRoleArn in Pulumi.<stack>.yaml.`,
            ),
        };
    }
    const identity = { account: out.Account ?? "", arn: out.Arn ?? "" };
    if (identity.account !== target.accountId) {
        return {
            result: fail(
                id,
                title,
                `the credentials belong to account ${identity.account || "?"} (${identity.arn}), not to the configured ${key}.accountId ${target.accountId}`,
                `Use credentials of account ${target.accountId}: set ${key}.profile to a profile of that account or ${key}.assumeRoleArn to a role in it (the same settings pulumi up uses), or correct ${key}.accountId.`,
            ),
            identity,
        };
    }
    return { result: pass(id, title, `${identity.arn}`), identity };
}
