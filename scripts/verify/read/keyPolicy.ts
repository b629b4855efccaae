// A key the stack creates (development or hosting), as deployed: found by its alias, its state, and its key policy.

import { DescribeKeyCommand, GetKeyPolicyCommand } from "@aws-sdk/client-kms";
import { errorName } from "../../../components/awsSdk/errors";
import type { AccountClients } from "../clients";
import type { CheckResult } from "../types";
import { DocumentCheck, unreadable, type Read } from "./reader";

export async function readKey(
    which: "development" | "hosting",
    alias: string,
    expectedAccount: string,
    clients: AccountClients,
    results: CheckResult[],
): Promise<{ read: Read; arn?: string }> {
    const check = new DocumentCheck(
        `deployed.${which}Key`,
        `${which === "development" ? "Development" : "Hosting"} key ${alias} (account ${expectedAccount})`,
        results,
    );
    // DescribeKey accepts an alias name and returns the target key's metadata, including its ARN.
    const described = await check.attempt(
        () => clients.kms.send(new DescribeKeyCommand({ KeyId: alias })),
        (e) =>
            errorName(e) === "NotFoundException"
                ? {
                      state: "absent",
                      detail: `alias ${alias} does not exist in account ${expectedAccount}`,
                      fix: `Run pulumi up to create the key and its alias (kms.enabled is true in the stack config).`,
                  }
                : unreadable(
                      "kms:DescribeKey",
                      e,
                      `Give ${clients.source} kms:DescribeKey and kms:GetKeyPolicy on the key, then run again.`,
                  ),
    );
    if (!("value" in described)) return { read: { state: described.state } };
    const arn = described.value.KeyMetadata?.Arn ?? "";
    const state = described.value.KeyMetadata?.KeyState;
    const healthy = !state || state === "Enabled";
    if (!healthy) {
        check.fail(
            `key ${arn} is ${state}: nothing can ` +
                `${which === "development" ? "decrypt the artifacts" : "encrypt the imported model"} with it`,
            state === "PendingDeletion"
                ? `Cancel the deletion (aws kms cancel-key-deletion --key-id ${arn}) and enable the key, then run ` +
                      `pulumi up.`
                : `Enable the key (aws kms enable-key --key-id ${arn}).`,
        );
    }
    const policy = await check.attempt(
        () => clients.kms.send(new GetKeyPolicyCommand({ KeyId: arn, PolicyName: "default" })),
        (e) =>
            unreadable(
                `kms:GetKeyPolicy on ${arn}`,
                e,
                `Give ${clients.source} kms:GetKeyPolicy on ${arn} (the key policy's root statement allows it to ` +
                    `IAM principals of the account), then run again.`,
            ),
    );
    if (!("value" in policy)) return { read: { state: "unknown" }, arn };
    const doc = check.parse(policy.value.Policy ?? "", false, "Run pulumi up to restore the key policy.");
    if (!doc) return { read: { state: "unknown" }, arn };
    if (healthy) check.pass(`${arn}, key policy read, ${doc.Statement.length} statements`);
    return { read: { state: "read", doc }, arn };
}
