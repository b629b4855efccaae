// Reads the deployed documents back from AWS (bucket policy, execution role trust and policies, key
// policies), runs them through the same IAM simulator matrix as `npm run plan`, and compares them with the
// documents the program would write. The simulator's verdict decides ✔/✘; drift alone is a warning.

import {
    GetPolicyCommand,
    GetPolicyVersionCommand,
    GetRoleCommand,
    GetRolePolicyCommand,
    ListAttachedRolePoliciesCommand,
    ListRolePoliciesCommand,
} from "@aws-sdk/client-iam";
import { DescribeKeyCommand, GetKeyPolicyCommand, ListGrantsCommand } from "@aws-sdk/client-kms";
import { GetBucketPolicyCommand } from "@aws-sdk/client-s3";
import { listAll } from "../../components/awsSdk/pages";
import type { StackConfig } from "../../components/config/stackConfig";
import { deploymentOf, executionPolicyArn, executionRoleArn, PROJECT, stackNames, type StackNames } from "../../components/naming";
import {
    accessParams,
    bucketPolicy,
    DEVELOPMENT_KEY_ACTIONS,
    developmentKeyPolicy,
    executionPolicy,
    hostingKeyPolicy,
    trustPolicy,
    type AccessParams,
} from "../../components/policies/statements";
import { ownStatements, parsePolicy, policyDocument, prefixedStatements, type PolicyDocument, type PolicyStatement } from "../../components/policies/document";
import { evaluateAccess, grantAsKeyPolicy, type AccessResult, type DocumentName, type PolicySet } from "../access/matrix";
import type { StatementRef } from "../access/rows";
import type { AccountClients } from "./clients";
import { EMPTY_POLICY, compareDocuments, describeDrift, hasDrift, type Drift } from "./documents";
import { fail, pass, skip, warn, type CheckResult } from "./types";
import { describeError, errorName } from "../../components/awsSdk/errors";

/**
 * The grant this stack adds on the research team's key (modelDevelopment.kms.keyArn), read with kms:ListGrants and
 * turned into the key-policy form the simulator evaluates; the key's own policy is the research team's.
 */
async function readGrant(config: StackConfig, keyArn: string, roleArn: string, clients: AccountClients, results: CheckResult[]): Promise<Read> {
    const id = "deployed.developmentKeyGrant";
    const title = `Grant for ${roleArn} on the research key ${keyArn}`;
    let grants: Array<{ GranteePrincipal?: string; Operations?: string[]; Name?: string }>;
    try {
        grants = await listAll(async (Marker) => {
            const out = await clients.kms.send(new ListGrantsCommand({ KeyId: keyArn, ...(Marker ? { Marker } : {}) }));
            return { items: out.Grants, next: out.Truncated ? out.NextMarker : undefined };
        });
    } catch (e) {
        results.push(
            fail(
                id,
                title,
                `kms:ListGrants on ${keyArn} failed: ${describeError(e)}`,
                `Give ${clients.source} kms:ListGrants on the research key, then run again.`,
            ),
        );
        return { state: "unknown" };
    }
    const needed = DEVELOPMENT_KEY_ACTIONS.map((a) => a.replace(/^kms:/, ""));
    const grant = grants.find((g) => g.GranteePrincipal === roleArn && needed.every((op) => g.Operations?.includes(op)));
    if (!grant) {
        results.push(
            fail(
                id,
                title,
                `no grant on the key lets ${roleArn} ${needed.join(" and ")} (${grants.length} grant(s) on the key)`,
                `Run pulumi up to create it; the development deployer needs kms:CreateGrant on ${keyArn} (the research team grants that once).`,
            ),
        );
        return { state: "absent" };
    }
    results.push(pass(id, title, `grant ${grant.Name ?? ""} allows ${grant.Operations?.join(", ")}`));
    return { state: "read", doc: grantAsKeyPolicy({ granteePrincipal: roleArn, operations: grant.Operations ?? [] }) };
}

/** The execution policy's ARN, from the config (the names the program gives it). */
function policyArnOf(config: StackConfig, partition: string): string {
    return executionPolicyArn({ partition, hostingAccountId: config.modelHosting.accountId, executionPolicyName: config.modelHosting.executionPolicyName });
}

/** Outcome of reading one document: the document, confirmed absent, or unknown (could not read). */
type Read = { state: "read"; doc: PolicyDocument } | { state: "absent" } | { state: "unknown" };

export interface DeployedState {
    results: CheckResult[];
    developmentKeyArn?: string;
    hostingKeyArn?: string;
}

interface Docs {
    bucketPolicy: Read;
    trustPolicy: Read;
    /** The execution policy as attached (absent when not attached). */
    executionPolicy: Read;
    /** Statements of every other policy the role has, merged into the identity side for the simulator. */
    otherIdentityStatements: PolicyStatement[];
    otherPoliciesKnown: boolean;
    developmentKeyPolicy?: Read;
    hostingKeyPolicy?: Read;
}

async function readBucketPolicy(config: StackConfig, dev: AccountClients, results: CheckResult[]): Promise<Read> {
    const bucket = config.modelDevelopment.artifactBucket.name;
    const id = "deployed.bucketPolicy";
    const title = `Bucket policy of s3://${bucket} (development account)`;
    let text: string;
    try {
        const out = await dev.s3.send(new GetBucketPolicyCommand({ Bucket: bucket }));
        text = out.Policy ?? "";
    } catch (e) {
        const code = errorName(e);
        if (code === "NoSuchBucketPolicy") {
            results.push(
                fail(
                    id,
                    title,
                    `the bucket has no policy (deleted out of band?), so the execution role cannot read it`,
                    `Run pulumi up to restore the bucket policy.`,
                ),
            );
            return { state: "absent" };
        }
        if (code === "NoSuchBucket") {
            results.push(
                fail(
                    id,
                    title,
                    `bucket ${bucket} does not exist`,
                    config.modelDevelopment.artifactBucket.create
                        ? `Run pulumi up to create it, then upload the model artifacts.`
                        : `Correct modelDevelopment.artifactBucket.name, or set artifactBucket.create: true and run pulumi up.`,
                ),
            );
            return { state: "absent" };
        }
        results.push(
            fail(
                id,
                title,
                `s3:GetBucketPolicy failed: ${describeError(e)}`,
                `Give ${dev.source} s3:GetBucketPolicy on the bucket (the deploying identity has it), then run again.`,
            ),
        );
        return { state: "unknown" };
    }
    const doc = parsed(text, false, id, title, results, "Run pulumi up to restore the bucket policy.");
    if (!doc) return { state: "unknown" };
    results.push(pass(id, title, `read, ${doc.Statement.length} statements`));
    return { state: "read", doc };
}

/** Parses a returned document, pushing a ✘ naming the resource when it is not a policy. */
function parsed(text: string, urlEncoded: boolean, id: string, title: string, results: CheckResult[], fix: string): PolicyDocument | undefined {
    try {
        return parsePolicy(text, urlEncoded);
    } catch (e) {
        results.push(fail(id, title, `the returned document is not a policy: ${e instanceof Error ? e.message : String(e)}`, fix));
        return undefined;
    }
}

async function readPolicyDocument(host: AccountClients, arn: string): Promise<PolicyDocument> {
    const policy = await host.iam.send(new GetPolicyCommand({ PolicyArn: arn }));
    const version = await host.iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: policy.Policy?.DefaultVersionId ?? "v1" }));
    return parsePolicy(version.PolicyVersion?.Document ?? "", true);
}

function prefixed(policyName: string, doc: PolicyDocument): PolicyStatement[] {
    // Sids of other policies are prefixed with their policy's name, so the simulator's reasons name the policy.
    return doc.Statement.map((s, i) => ({ ...s, Sid: `${policyName}/${s.Sid || `statement${i + 1}`}` }));
}

type RoleDocs = Pick<Docs, "trustPolicy" | "executionPolicy" | "otherIdentityStatements" | "otherPoliciesKnown">;

/** The execution role: its trust policy, then every policy attached to it or inline. */
async function readRole(config: StackConfig, host: AccountClients, partition: string, results: CheckResult[]): Promise<RoleDocs> {
    const roleName = config.modelHosting.executionRoleName;
    const roleArn = executionRoleArn({ partition, hostingAccountId: config.modelHosting.accountId, executionRoleName: roleName });
    const trust = await readTrust(config, host, roleArn, results);
    if (trust.role === "absent") {
        results.push(skip("deployed.executionPolicy", `Execution policy attached to ${roleArn}`, "the role does not exist"));
        return { trustPolicy: { state: "absent" }, executionPolicy: { state: "absent" }, otherIdentityStatements: [], otherPoliciesKnown: true };
    }
    if (trust.role !== "exists") {
        return { trustPolicy: { state: "unknown" }, executionPolicy: { state: "unknown" }, otherIdentityStatements: [], otherPoliciesKnown: false };
    }
    return { trustPolicy: trust.read, ...(await readRolePolicies(config, host, partition, results)) };
}

/** The trust policy (iam:GetRole), and whether the role exists (unknown: GetRole failed). */
async function readTrust(
    config: StackConfig,
    host: AccountClients,
    roleArn: string,
    results: CheckResult[],
): Promise<{ role: "exists"; read: Read } | { role: "absent" | "unknown" }> {
    const roleName = config.modelHosting.executionRoleName;
    const title = `Trust policy of the execution role ${roleArn}`;
    try {
        const role = await host.iam.send(new GetRoleCommand({ RoleName: roleName }));
        // AssumeRolePolicyDocument is URL-encoded JSON, like every IAM policy document.
        const doc = parsed(
            role.Role?.AssumeRolePolicyDocument ?? "",
            true,
            "deployed.trustPolicy",
            title,
            results,
            "Run pulumi up to restore the trust policy.",
        );
        if (!doc) return { role: "exists", read: { state: "unknown" } };
        results.push(pass("deployed.trustPolicy", title, `read, ${doc.Statement.length} statements`));
        return { role: "exists", read: { state: "read", doc } };
    } catch (e) {
        if (errorName(e) === "NoSuchEntity") {
            results.push(
                fail(
                    "deployed.trustPolicy",
                    title,
                    `role ${roleName} does not exist in account ${config.modelHosting.accountId}`,
                    `Run pulumi up to create the execution role (or correct modelHosting.executionRoleName).`,
                ),
            );
            return { role: "absent" };
        }
        results.push(
            fail(
                "deployed.trustPolicy",
                title,
                `iam:GetRole failed: ${describeError(e)}`,
                `Give ${host.source} read access to IAM (iam:GetRole, iam:ListAttachedRolePolicies, iam:GetPolicy, iam:GetPolicyVersion, iam:ListRolePolicies, iam:GetRolePolicy), then run again.`,
            ),
        );
        return { role: "unknown" };
    }
}

/** The execution policy as attached, and the statements of every other policy the role has. */
async function readRolePolicies(config: StackConfig, host: AccountClients, partition: string, results: CheckResult[]): Promise<Omit<RoleDocs, "trustPolicy">> {
    const roleName = config.modelHosting.executionRoleName;
    const policyArn = policyArnOf(config, partition);
    const others = { statements: [] as PolicyStatement[], names: [] as string[] };
    let execution: Read = { state: "unknown" };
    try {
        const attached = await listAll(async (Marker) => {
            const out = await host.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName, ...(Marker ? { Marker } : {}) }));
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
            others.statements.push(...prefixed(p.PolicyName ?? p.PolicyArn ?? "attached", await readPolicyDocument(host, p.PolicyArn ?? "")));
            others.names.push(`attached ${p.PolicyArn}`);
        }
        const inline = await listAll(async (Marker) => {
            const out = await host.iam.send(new ListRolePoliciesCommand({ RoleName: roleName, ...(Marker ? { Marker } : {}) }));
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
                      `Give ${host.source} iam:ListAttachedRolePolicies, iam:GetPolicy, iam:GetPolicyVersion, iam:ListRolePolicies and iam:GetRolePolicy, then run again.`,
                  )
                : fail(
                      "deployed.otherRolePolicies",
                      `Other policies of ${roleName}`,
                      `reading them failed: ${describeError(e)}`,
                      `Give ${host.source} iam:ListRolePolicies, iam:GetRolePolicy, iam:GetPolicy and iam:GetPolicyVersion, then run again.`,
                  ),
        );
        return { executionPolicy: execution, otherIdentityStatements: [], otherPoliciesKnown: false };
    }
    results.push(
        others.names.length === 0
            ? pass("deployed.otherRolePolicies", `Other policies of ${roleName}`, "none: the execution policy is the role's only permission")
            : warn(
                  "deployed.otherRolePolicies",
                  `Other policies of ${roleName}`,
                  `the role also has ${others.names.join(", ")}; the simulated access below includes them`,
                  `Remove policies the program does not manage from ${roleName} (least privilege); the program manages only ${policyArn}.`,
              ),
    );
    return { executionPolicy: execution, otherIdentityStatements: others.statements, otherPoliciesKnown: true };
}

/** The execution policy's default version when it is attached; otherwise whether it exists at all. */
async function readExecutionPolicy(config: StackConfig, host: AccountClients, policyArn: string, isAttached: boolean, results: CheckResult[]): Promise<Read> {
    const roleName = config.modelHosting.executionRoleName;
    const title = `Execution policy ${policyArn} attached to ${roleName}`;
    if (isAttached) {
        const doc = await readPolicyDocument(host, policyArn);
        results.push(pass("deployed.executionPolicy", title, `attached, default version read, ${doc.Statement.length} statements`));
        return { state: "read", doc };
    }
    let exists = true;
    try {
        await host.iam.send(new GetPolicyCommand({ PolicyArn: policyArn }));
    } catch (e) {
        if (errorName(e) === "NoSuchEntity") exists = false;
        else throw e;
    }
    results.push(
        fail(
            "deployed.executionPolicy",
            title,
            exists
                ? `the policy exists but is not attached to ${roleName} (detached out of band?)`
                : `the policy does not exist in account ${config.modelHosting.accountId}`,
            `Run pulumi up to ${exists ? "re-attach" : "create and attach"} it.`,
        ),
    );
    return { state: "absent" };
}

async function readKey(
    which: "development" | "hosting",
    alias: string,
    expectedAccount: string,
    clients: AccountClients,
    results: CheckResult[],
): Promise<{ read: Read; arn?: string }> {
    const id = `deployed.${which}Key`;
    const title = `${which === "development" ? "Development" : "Hosting"} key ${alias} (account ${expectedAccount})`;
    let arn: string;
    let healthy = true;
    try {
        // DescribeKey accepts an alias name and returns the target key's metadata, including its ARN.
        const out = await clients.kms.send(new DescribeKeyCommand({ KeyId: alias }));
        arn = out.KeyMetadata?.Arn ?? "";
        const state = out.KeyMetadata?.KeyState;
        if (state && state !== "Enabled") {
            results.push(
                fail(
                    id,
                    title,
                    `key ${arn} is ${state}: nothing can ${which === "development" ? "decrypt the artifacts" : "encrypt the imported model"} with it`,
                    state === "PendingDeletion"
                        ? `Cancel the deletion (aws kms cancel-key-deletion --key-id ${arn}) and enable the key, then run pulumi up.`
                        : `Enable the key (aws kms enable-key --key-id ${arn}).`,
                ),
            );
            healthy = false;
        }
    } catch (e) {
        if (errorName(e) === "NotFoundException") {
            results.push(
                fail(
                    id,
                    title,
                    `alias ${alias} does not exist in account ${expectedAccount}`,
                    `Run pulumi up to create the key and its alias (kms.enabled is true in the stack config).`,
                ),
            );
            return { read: { state: "absent" } };
        }
        results.push(
            fail(
                id,
                title,
                `kms:DescribeKey failed: ${describeError(e)}`,
                `Give ${clients.source} kms:DescribeKey and kms:GetKeyPolicy on the key, then run again.`,
            ),
        );
        return { read: { state: "unknown" } };
    }
    try {
        const out = await clients.kms.send(new GetKeyPolicyCommand({ KeyId: arn, PolicyName: "default" }));
        const doc = parsed(out.Policy ?? "", false, id, title, results, "Run pulumi up to restore the key policy.");
        if (!doc) return { read: { state: "unknown" }, arn };
        if (healthy) results.push(pass(id, title, `${arn}, key policy read, ${doc.Statement.length} statements`));
        return { read: { state: "read", doc }, arn };
    } catch (e) {
        results.push(
            fail(
                id,
                title,
                `kms:GetKeyPolicy on ${arn} failed: ${describeError(e)}`,
                `Give ${clients.source} kms:GetKeyPolicy on ${arn} (the key policy's root statement allows it to IAM principals of the account), then run again.`,
            ),
        );
        return { read: { state: "unknown" }, arn };
    }
}

const LABELS: Record<DocumentName, string> = {
    bucketPolicy: "bucket policy",
    trustPolicy: "execution role trust policy",
    executionPolicy: "execution role's policies",
    developmentKeyPolicy: "development key policy",
    hostingKeyPolicy: "hosting key policy",
};

function documentResource(name: DocumentName, config: StackConfig, p: AccessParams): string {
    switch (name) {
        case "bucketPolicy":
            return `s3://${p.bucketName}`;
        case "trustPolicy":
            return executionRoleArn(p);
        case "executionPolicy":
            return policyArnOf(config, p.partition);
        case "developmentKeyPolicy":
            return p.developmentKeyArn ?? "development key";
        case "hostingKeyPolicy":
            return p.hostingKeyArn ?? "hosting key";
    }
}

const DOCUMENT_NAMES: readonly DocumentName[] = ["bucketPolicy", "trustPolicy", "executionPolicy", "developmentKeyPolicy", "hostingKeyPolicy"];

/** Which documents a failing matrix row points at (its lookAt entries, its resource policy, the simulator's reasons). */
function implicated(r: AccessResult): Set<DocumentName> {
    const names = new Set<DocumentName>();
    for (const l of r.lookAt) names.add(l.document);
    for (const n of DOCUMENT_NAMES) if (r.reasons.some((t) => t.startsWith(n))) names.add(n);
    if (r.resourcePolicy) names.add(r.resourcePolicy);
    return names;
}

interface Causes {
    drifted: ReadonlySet<DocumentName>;
    absent: ReadonlySet<DocumentName>;
    /** The role has policies besides the execution policy. */
    otherPolicies: boolean;
}

function accessResult(r: AccessResult, config: StackConfig, p: AccessParams, causes: Causes): CheckResult {
    const id = `access.${r.id}`;
    const title = `${r.expect === "allowed" ? "must be allowed" : "must be denied"}: ${r.description}`;
    if (r.limitation) {
        return warn(
            id,
            title,
            `${r.action} by ${r.principal} is Allowed: ${r.unenforceable ?? ""}`,
            "Nothing in this program's documents can refuse it; review the account's other IAM policies.",
        );
    }
    if (r.ok) return pass(id, title);
    const refs: StatementRef[] = r.lookAt.length ? r.lookAt : [...implicated(r)].map((document) => ({ document }));
    const look = refs.map(
        (l) => `${LABELS[l.document]} of ${documentResource(l.document, config, p)}${l.sid ? ` (statement ${l.sid})` : l.note ? ` (${l.note})` : ""}`,
    );
    const detail = [
        `${r.action} by ${r.principal} on ${r.resource} is ${r.error ?? r.decision} in the deployed documents`,
        ...(r.reasons.length ? [`decided by ${r.reasons.join("; ")}`] : []),
    ].join("; ");
    const docs = [...implicated(r)];
    const why = docs.some((n) => causes.drifted.has(n))
        ? "The deployed document differs from what the program deploys (edited out of band, or overwritten by someone else): run pulumi refresh to see the drift, then pulumi up to restore it."
        : docs.some((n) => causes.absent.has(n))
          ? "A document is missing (see above): run pulumi up to restore it."
          : causes.otherPolicies && r.identity === "execution"
            ? "A policy the program does not manage decides this (see deployed.otherRolePolicies): remove it from the role."
            : "The deployed documents match the program's, so the program itself produces this (npm run plan shows it too): report it as a bug.";
    return fail(id, title, detail, `Look at ${look.join(", ") || "the documents above"}. ${why}`);
}

/** Every deployed document the stack writes, read with each account's clients; skipped where those failed. */
async function readDeployed(
    config: StackConfig,
    names: StackNames,
    dev: AccountClients | undefined,
    host: AccountClients | undefined,
    results: CheckResult[],
): Promise<{ docs: Docs; developmentKeyArn?: string; hostingKeyArn?: string }> {
    const partition = accessParams(config).partition;
    const aliases = names.keyAliases;
    const unreadable = (account: string) => `skipped: the ${account} account's credentials failed the identity check`;
    const docs: Docs = {
        bucketPolicy: { state: "unknown" },
        trustPolicy: { state: "unknown" },
        executionPolicy: { state: "unknown" },
        otherIdentityStatements: [],
        otherPoliciesKnown: false,
    };
    let developmentKeyArn: string | undefined;
    let hostingKeyArn: string | undefined;

    if (dev) {
        docs.bucketPolicy = await readBucketPolicy(config, dev, results);
        if (config.modelDevelopment.kms.enabled) {
            const key = await readKey("development", aliases.development, config.modelDevelopment.accountId, dev, results);
            docs.developmentKeyPolicy = key.read;
            developmentKeyArn = key.arn;
        } else if (config.modelDevelopment.kms.keyArn) {
            developmentKeyArn = config.modelDevelopment.kms.keyArn;
            docs.developmentKeyPolicy = await readGrant(config, developmentKeyArn, executionRoleArn(accessParams(config)), dev, results);
        }
    } else {
        results.push(skip("deployed.bucketPolicy", `Bucket policy of s3://${config.modelDevelopment.artifactBucket.name}`, unreadable("development")));
        if (config.modelDevelopment.kms.enabled)
            results.push(skip("deployed.developmentKey", `Development key ${aliases.development}`, unreadable("development")));
        else if (config.modelDevelopment.kms.keyArn)
            results.push(
                skip(
                    "deployed.developmentKeyGrant",
                    `Grant for the execution role on the research key ${config.modelDevelopment.kms.keyArn}`,
                    unreadable("development"),
                ),
            );
    }
    if (host) {
        Object.assign(docs, await readRole(config, host, partition, results));
        if (config.modelHosting.kms.enabled) {
            const key = await readKey("hosting", aliases.hosting, config.modelHosting.accountId, host, results);
            docs.hostingKeyPolicy = key.read;
            hostingKeyArn = key.arn;
        }
    } else {
        results.push(skip("deployed.trustPolicy", `Trust policy of the execution role ${config.modelHosting.executionRoleName}`, unreadable("hosting")));
        results.push(skip("deployed.executionPolicy", `Execution policy ${config.modelHosting.executionPolicyName}`, unreadable("hosting")));
        if (config.modelHosting.kms.enabled) results.push(skip("deployed.hostingKey", `Hosting key ${aliases.hosting}`, unreadable("hosting")));
    }
    return { docs, ...(developmentKeyArn ? { developmentKeyArn } : {}), ...(hostingKeyArn ? { hostingKeyArn } : {}) };
}

/** Each document that was read, against what the program writes. The shared bucket policy: this stack's statements only. */
function documentDrifts(
    config: StackConfig,
    names: StackNames,
    p: AccessParams,
    reads: ReadonlyArray<[DocumentName, Read | undefined]>,
): Map<DocumentName, Drift> {
    const expected: Record<DocumentName, PolicyDocument | undefined> = {
        bucketPolicy: policyDocument(prefixedStatements(bucketPolicy(p).Statement, names.sidPrefix)),
        trustPolicy: trustPolicy(p),
        executionPolicy: executionPolicy(p),
        // A grant on the research key is checked on its own (deployed.developmentKeyGrant); its key policy is not ours.
        developmentKeyPolicy: config.modelDevelopment.kms.enabled && p.developmentKeyArn ? developmentKeyPolicy(p) : undefined,
        hostingKeyPolicy: p.hostingKeyArn ? hostingKeyPolicy(p) : undefined,
    };
    const drifts = new Map<DocumentName, Drift>();
    for (const [name, read] of reads) {
        const want = expected[name];
        if (read?.state === "read" && want)
            drifts.set(name, compareDocuments(name === "bucketPolicy" ? { ...read.doc, Statement: ownStatements(read.doc, names.sidPrefix) } : read.doc, want));
    }
    return drifts;
}

/** Drift is informational unless a failing simulated check points at the drifted document. */
function driftResults(drifts: Map<DocumentName, Drift>, failingDocs: ReadonlySet<DocumentName>, config: StackConfig, p: AccessParams): CheckResult[] {
    return [...drifts].map(([name, drift]) => {
        const id = `drift.${name}`;
        const title = `The deployed ${LABELS[name]} of ${documentResource(name, config, p)} matches the program`;
        if (!hasDrift(drift)) return pass(id, title);
        return failingDocs.has(name)
            ? fail(
                  id,
                  title,
                  describeDrift(drift),
                  `Run pulumi up to restore the document (pulumi refresh first shows the change); if someone else manages this ${LABELS[name]}, merge the program's statements into theirs.`,
              )
            : warn(
                  id,
                  title,
                  `${describeDrift(drift)}; the simulated access is unchanged`,
                  `Run pulumi up to restore it, or pulumi refresh to accept the edit into the state.`,
              );
    });
}

/** Deployed-document checks, the simulated access matrix over them, and drift against the program's documents. */
export async function checkDeployed(
    config: StackConfig,
    stack: string,
    dev: AccountClients | undefined,
    host: AccountClients | undefined,
): Promise<DeployedState> {
    const results: CheckResult[] = [];
    // A backend without organizations (file, S3): the program's names then carry no organization either.
    const names = stackNames(PROJECT, stack, deploymentOf(config));
    const { docs, developmentKeyArn, hostingKeyArn } = await readDeployed(config, names, dev, host, results);

    const p = accessParams(config, { ...(developmentKeyArn ? { developmentKeyArn } : {}), ...(hostingKeyArn ? { hostingKeyArn } : {}) });
    const reads: Array<[DocumentName, Read | undefined]> = [
        ["bucketPolicy", docs.bucketPolicy],
        ["trustPolicy", docs.trustPolicy],
        ["executionPolicy", docs.executionPolicy],
        ["developmentKeyPolicy", docs.developmentKeyPolicy],
        ["hostingKeyPolicy", docs.hostingKeyPolicy],
    ];
    // Documents that could not be read (credentials, permissions) or were never asked for (the account's identity check
    // failed): rows depending on them are not judged.
    const inSet = (n: DocumentName) => (n === "developmentKeyPolicy" ? !!p.developmentKeyArn : n === "hostingKeyPolicy" ? !!p.hostingKeyArn : true);
    const unknown = new Set<DocumentName>(reads.filter(([n, r]) => r?.state === "unknown" || (r === undefined && inSet(n))).map(([n]) => n));
    if (!docs.otherPoliciesKnown) unknown.add("executionPolicy");
    // A document that does not exist denies everything: a must-deny row over it proves nothing, so it is not shown as ✔.
    const absent = new Set<DocumentName>(reads.filter(([, r]) => r?.state === "absent").map(([n]) => n));
    const docOf = (r: Read | undefined): PolicyDocument => (r?.state === "read" ? r.doc : EMPTY_POLICY);
    const execution = docOf(docs.executionPolicy);
    const set: PolicySet = {
        bucketPolicy: docOf(docs.bucketPolicy),
        trustPolicy: docOf(docs.trustPolicy),
        // The simulator's identity side is the union of everything attached to the role.
        executionPolicy: { ...execution, Statement: [...execution.Statement, ...docs.otherIdentityStatements] },
        ...(p.developmentKeyArn ? { developmentKeyPolicy: docOf(docs.developmentKeyPolicy) } : {}),
        ...(p.hostingKeyArn ? { hostingKeyPolicy: docOf(docs.hostingKeyPolicy) } : {}),
    };
    const dependsOn = (r: AccessResult, names: ReadonlySet<DocumentName>) =>
        (r.resourcePolicy !== undefined && names.has(r.resourcePolicy)) || (r.identity === "execution" && names.has("executionPolicy"));
    const judged = (r: AccessResult) => !dependsOn(r, unknown) && !(r.expect === "denied" && dependsOn(r, absent));
    const all = await evaluateAccess(p, set);
    const matrix = all.filter(judged);
    const drifts = documentDrifts(config, names, p, reads);
    const causes: Causes = {
        drifted: new Set([...drifts].filter(([, d]) => hasDrift(d)).map(([n]) => n)),
        absent: new Set(reads.filter(([, r]) => r?.state === "absent").map(([n]) => n)),
        otherPolicies: docs.otherIdentityStatements.length > 0,
    };
    results.push(...matrix.map((r) => accessResult(r, config, p, causes)));
    if (matrix.length < all.length) {
        const notRead = all.filter((r) => dependsOn(r, unknown)).length;
        const overAbsent = all.length - matrix.length - notRead;
        const reasons = [
            ...(notRead ? [`${notRead} not run: could not read the ${[...unknown].map((n) => LABELS[n]).join(", ")} (see above)`] : []),
            ...(overAbsent
                ? [
                      `${overAbsent} must-deny checks not judged: the ${[...absent].map((n) => LABELS[n]).join(", ")} does not exist (see above), ` +
                          `and a missing document denies everything, which proves nothing`,
                  ]
                : []),
        ];
        results.push(
            skip("access", "Simulated access over the deployed documents", `${all.length - matrix.length} of ${all.length} checks: ${reasons.join("; ")}`),
        );
    }
    const failingDocs = new Set<DocumentName>();
    for (const r of matrix.filter((r) => !r.ok)) for (const n of implicated(r)) failingDocs.add(n);
    results.push(...driftResults(drifts, failingDocs, config, p));
    return { results, ...(developmentKeyArn ? { developmentKeyArn } : {}), ...(hostingKeyArn ? { hostingKeyArn } : {}) };
}
