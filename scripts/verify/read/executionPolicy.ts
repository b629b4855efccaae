// The execution role's permissions (hosting account), as deployed: the execution policy the program attaches, and
// every other policy attached to the role or inline in it, whose statements the simulator adds to the identity side.

import {
    GetPolicyCommand,
    GetPolicyVersionCommand,
    GetRolePolicyCommand,
    ListAttachedRolePoliciesCommand,
    ListRolePoliciesCommand,
} from "@aws-sdk/client-iam";
import type { StackConfig } from "../../../components/config/stackConfig";
import { describeError, errorName } from "../../../components/awsSdk/errors";
import { listAll } from "../../../components/awsSdk/pages";
import { executionPolicyArn, executionRoleArn } from "../../../components/naming";
import { parsePolicy, type PolicyDocument, type PolicyStatement } from "../../../components/policies/document";
import type { AccountClients } from "../clients";
import { fail, pass, skip, warn, type CheckResult } from "../types";
import { DocumentCheck, type Read } from "./reader";
import { readTrust } from "./trustPolicy";

/** What the role's documents are: its trust policy, the execution policy, and the statements of its other policies. */
export interface RoleDocs {
    trustPolicy: Read;
    /** The execution policy as attached (absent when not attached). */
    executionPolicy: Read;
    /** Statements of every other policy the role has, merged into the identity side for the simulator. */
    otherIdentityStatements: PolicyStatement[];
    otherPoliciesKnown: boolean;
}

/** The execution policy's ARN, from the config (the names the program gives it). */
export function policyArnOf(config: StackConfig, partition: string): string {
    return executionPolicyArn({
        partition,
        hostingAccountId: config.modelHosting.accountId,
        executionPolicyName: config.modelHosting.executionPolicyName,
    });
}

/** The execution role: its trust policy, then every policy attached to it or inline. */
export async function readRole(
    config: StackConfig,
    host: AccountClients,
    partition: string,
    results: CheckResult[],
): Promise<RoleDocs> {
    const roleName = config.modelHosting.executionRoleName;
    const roleArn = executionRoleArn({
        partition,
        hostingAccountId: config.modelHosting.accountId,
        executionRoleName: roleName,
    });
    const trust = await readTrust(config, host, roleArn, results);
    if (trust.role === "absent") {
        results.push(
            skip("deployed.executionPolicy", `Execution policy attached to ${roleArn}`, "the role does not exist"),
        );
        return {
            trustPolicy: { state: "absent" },
            executionPolicy: { state: "absent" },
            otherIdentityStatements: [],
            otherPoliciesKnown: true,
        };
    }
    if (trust.role !== "exists") {
        return {
            trustPolicy: { state: "unknown" },
            executionPolicy: { state: "unknown" },
            otherIdentityStatements: [],
            otherPoliciesKnown: false,
        };
    }
    return { trustPolicy: trust.read, ...(await readRolePolicies(config, host, partition, results)) };
}

async function readPolicyDocument(host: AccountClients, arn: string): Promise<PolicyDocument> {
    const policy = await host.iam.send(new GetPolicyCommand({ PolicyArn: arn }));
    const version = await host.iam.send(
        new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: policy.Policy?.DefaultVersionId ?? "v1" }),
    );
    return parsePolicy(version.PolicyVersion?.Document ?? "", true);
}

function prefixed(policyName: string, doc: PolicyDocument): PolicyStatement[] {
    // Sids of other policies are prefixed with their policy's name, so the simulator's reasons name the policy.
    return doc.Statement.map((s, i) => ({ ...s, Sid: `${policyName}/${s.Sid || `statement${i + 1}`}` }));
}

/** The execution policy as attached, and the statements of every other policy the role has. */
async function readRolePolicies(
    config: StackConfig,
    host: AccountClients,
    partition: string,
    results: CheckResult[],
): Promise<Omit<RoleDocs, "trustPolicy">> {
    const roleName = config.modelHosting.executionRoleName;
    const policyArn = policyArnOf(config, partition);
    const others = { statements: [] as PolicyStatement[], names: [] as string[] };
    let execution: Read = { state: "unknown" };
    // One read for all of them: a failure after the execution policy was read concerns only the other policies.
    try {
        const attached = await listAll(async (Marker) => {
            const out = await host.iam.send(
                new ListAttachedRolePoliciesCommand({ RoleName: roleName, ...(Marker ? { Marker } : {}) }),
            );
            return { items: out.AttachedPolicies, next: out.IsTruncated ? out.Marker : undefined };
        });
        execution = await readExecutionPolicy(
            config,
            host,
            policyArn,
            attached.some((p) => p.PolicyArn === policyArn),
            results,
        );
        for (const p of attached.filter((p) => p.PolicyArn && p.PolicyArn !== policyArn)) {
            others.statements.push(
                ...prefixed(
                    p.PolicyName ?? p.PolicyArn ?? "attached",
                    await readPolicyDocument(host, p.PolicyArn ?? ""),
                ),
            );
            others.names.push(`attached ${p.PolicyArn}`);
        }
        const inline = await listAll(async (Marker) => {
            const out = await host.iam.send(
                new ListRolePoliciesCommand({ RoleName: roleName, ...(Marker ? { Marker } : {}) }),
            );
            return { items: out.PolicyNames, next: out.IsTruncated ? out.Marker : undefined };
        });
        for (const name of inline) {
            const out = await host.iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: name }));
            others.statements.push(...prefixed(name, parsePolicy(out.PolicyDocument ?? "", true)));
            others.names.push(`inline ${name}`);
        }
    } catch (e) {
        results.push(
            execution.state === "unknown"
                ? fail(
                      "deployed.executionPolicy",
                      `Execution policy ${policyArn} attached to ${roleName}`,
                      `reading the role's policies failed: ${describeError(e)}`,
                      `Give ${host.source} iam:ListAttachedRolePolicies, iam:GetPolicy, iam:GetPolicyVersion, ` +
                          `iam:ListRolePolicies and iam:GetRolePolicy, then run again.`,
                  )
                : fail(
                      "deployed.otherRolePolicies",
                      `Other policies of ${roleName}`,
                      `reading them failed: ${describeError(e)}`,
                      `Give ${host.source} iam:ListRolePolicies, iam:GetRolePolicy, iam:GetPolicy and ` +
                          `iam:GetPolicyVersion, then run again.`,
                  ),
        );
        return { executionPolicy: execution, otherIdentityStatements: [], otherPoliciesKnown: false };
    }
    results.push(
        others.names.length === 0
            ? pass(
                  "deployed.otherRolePolicies",
                  `Other policies of ${roleName}`,
                  "none: the execution policy is the role's only permission",
              )
            : warn(
                  "deployed.otherRolePolicies",
                  `Other policies of ${roleName}`,
                  `the role also has ${others.names.join(", ")}; the simulated access below includes them`,
                  `Remove policies the program does not manage from ${roleName} (least privilege); the program ` +
                      `manages only ${policyArn}.`,
              ),
    );
    return { executionPolicy: execution, otherIdentityStatements: others.statements, otherPoliciesKnown: true };
}

/** The execution policy's default version when it is attached; otherwise whether it exists at all. */
async function readExecutionPolicy(
    config: StackConfig,
    host: AccountClients,
    policyArn: string,
    isAttached: boolean,
    results: CheckResult[],
): Promise<Read> {
    const roleName = config.modelHosting.executionRoleName;
    const check = new DocumentCheck(
        "deployed.executionPolicy",
        `Execution policy ${policyArn} attached to ${roleName}`,
        results,
    );
    if (isAttached) {
        const doc = await readPolicyDocument(host, policyArn);
        check.pass(`attached, default version read, ${doc.Statement.length} statements`);
        return { state: "read", doc };
    }
    // Any error but NoSuchEntity is the caller's: it reports the role's policies as unreadable.
    const exists = await check.attempt(
        () => host.iam.send(new GetPolicyCommand({ PolicyArn: policyArn })),
        (e) =>
            errorName(e) === "NoSuchEntity"
                ? {
                      state: "absent",
                      detail: `the policy does not exist in account ${config.modelHosting.accountId}`,
                      fix: `Run pulumi up to create and attach it.`,
                  }
                : undefined,
    );
    if ("value" in exists)
        check.fail(
            `the policy exists but is not attached to ${roleName} (detached out of band?)`,
            `Run pulumi up to re-attach it.`,
        );
    return { state: "absent" };
}
