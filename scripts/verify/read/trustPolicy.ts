// The execution role's trust policy (hosting account), as deployed; it also tells whether the role exists.

import { GetRoleCommand } from "@aws-sdk/client-iam";
import type { StackConfig } from "../../../components/config/stackConfig";
import { errorName } from "../../../components/awsSdk/errors";
import type { AccountClients } from "../clients";
import type { CheckResult } from "../types";
import { DocumentCheck, unreadable, type Read } from "./reader";

/** The trust policy (iam:GetRole), and whether the role exists (unknown: GetRole failed). */
export async function readTrust(
    config: StackConfig,
    host: AccountClients,
    roleArn: string,
    results: CheckResult[],
): Promise<{ role: "exists"; read: Read } | { role: "absent" | "unknown" }> {
    const roleName = config.modelHosting.executionRoleName;
    const check = new DocumentCheck("deployed.trustPolicy", `Trust policy of the execution role ${roleArn}`, results);
    const out = await check.attempt(
        () => host.iam.send(new GetRoleCommand({ RoleName: roleName })),
        (e) =>
            errorName(e) === "NoSuchEntity"
                ? {
                      state: "absent",
                      detail: `role ${roleName} does not exist in account ${config.modelHosting.accountId}`,
                      fix: `Run pulumi up to create the execution role (or correct modelHosting.executionRoleName).`,
                  }
                : unreadable(
                      "iam:GetRole",
                      e,
                      `Give ${host.source} read access to IAM (iam:GetRole, iam:ListAttachedRolePolicies, ` +
                          `iam:GetPolicy, iam:GetPolicyVersion, iam:ListRolePolicies, iam:GetRolePolicy), then run ` +
                          `again.`,
                  ),
    );
    if (!("value" in out)) return { role: out.state };
    // AssumeRolePolicyDocument is URL-encoded JSON, like every IAM policy document.
    const doc = check.parse(
        out.value.Role?.AssumeRolePolicyDocument ?? "",
        true,
        "Run pulumi up to restore the trust policy.",
    );
    if (!doc) return { role: "exists", read: { state: "unknown" } };
    check.pass(`read, ${doc.Statement.length} statements`);
    return { role: "exists", read: { state: "read", doc } };
}
