// The offline plan: runs the program under Pulumi's mocks with a stack file's config, lists the resources
// per account, extracts the exact policy documents it synthesizes, measures them against AWS's limits, and
// evaluates the access matrix over them.

import { ConfigError, parseStackConfig, STACK_FILE, type StackConfig } from "../../components/config/stackConfig";
import { COMPONENT_TYPE, PROJECT, resourceNames } from "../../components/naming";
import { parseOptionsFor } from "../../components/config/providerArgs";
import { accessParams, importerIdentityPolicy } from "../../components/policies/statements";
import { invokerIdentityPolicy, type InvokerTarget } from "../../components/policies/invoker";
import { policyDocument, type PolicyDocument, type PolicyStatement } from "../../components/policies/document";
import { evaluateAccess, grantAsKeyPolicy, type AccessResult, type PolicySet } from "../access/matrix";
import { runProgram, type RecordedResource } from "../common/mockProgram";
import {
    BUCKET_POLICY_STATEMENTS,
    documentReports,
    formatDocuments,
    POLICY_INPUTS,
    type DocumentReport,
} from "./documents";
import { quotaWarnings } from "./quotaWarnings";
import { configWarnings, crossStackWarnings, otherStacks, settingsWarnings } from "./stackWarnings";
import { formatSharedBucketPolicy, sharedBucketPolicy, type SharedBucketPolicy } from "./sharedBucketPolicy";
import { projectRoot, rawStackConfig, readStackConfig, stackNameOf } from "../common/stackFile";
import { problemOf, problemText, type Problem } from "./problems";
import { formatSummary, planSummary, type PlannedResource, type PlanSummary } from "./summary";
import {
    hideSecrets,
    mentionsStandIn,
    SHOWN_AS,
    standInSecrets,
    type SecretValue,
    type StandIns,
} from "../common/secrets";

interface AccountPlan {
    accountId: string;
    region: string;
    credentials: string;
    resources: PlannedResource[];
}

export interface Plan {
    stack: string;
    /** Every access as it should be and every document within AWS's limits. */
    ok: boolean;
    /** What `up` creates per account and does per model, and what outlives the stack: the plan's first section. */
    summary: PlanSummary;
    accounts: { modelDevelopment: AccountPlan; modelHosting: AccountPlan };
    /** Resources managed outside the two AWS providers (the component, the imported-model dynamic resources). */
    other: PlannedResource[];
    policies: Partial<Record<keyof PolicySet, PolicyDocument>>;
    /** Each policy document the program writes, measured the way AWS measures it. */
    documents: DocumentReport[];
    /** This stack's statements in the shared bucket policy. */
    sharedBucketPolicy: SharedBucketPolicy;
    accessMatrix: AccessResult[];
    /**
     * The identity policy the hosting deployer (the identity that runs `pulumi up` against the hosting account and so
     * calls CreateModelImportJob) needs; attach it to that identity. Not written by the program.
     */
    deployerPolicy: PolicyDocument;
    /**
     * The identity policy of an app that invokes the models (read the pointers, invoke, decrypt through Bedrock with a
     * hosting key). Before `up` the model ARNs are unknown: it names the hosting account's imported models of the
     * region; the stack output `invokerPolicy` names the stack's own.
     */
    invokerPolicy: PolicyDocument;
    /**
     * Why the plan exits 1: each document AWS would refuse and each access check not as it should be; empty when ok.
     * Their key is null: what to change is in the message (a document's size names the keys it grows with).
     */
    errors: Problem[];
    /**
     * Things that do not make the plan fail but may fail or hurt later (quotas, shared documents), printed as "WARNING:
     * [key] …".
     */
    warnings: Problem[];
    /** Where the config came from, and which values are secret (shown as [secret]). */
    config: { file: string; fromProject: string[]; secrets: string[] };
    /**
     * What the plan could not check because a value is secret, each a "NOTE: …" line; they do not make the plan fail.
     */
    notes: string[];
}

class PlanError extends Error {}

export interface PlanOptions {
    root?: string;
    /** Runs after the program's modules are unloaded and before it loads again (tests patch builders here). */
    beforeLoad?: () => void;
}

function decodeInputs(r: RecordedResource): Record<string, unknown> {
    const inputs = { ...r.inputs };
    const key = POLICY_INPUTS[r.type]?.input;
    if (key && typeof inputs[key] === "string") inputs[key] = JSON.parse(inputs[key] as string);
    // Dynamic resources carry their serialized provider (the loader); it is noise in a plan.
    delete inputs.__provider;
    return inputs;
}

function credentialsOf(c: { profile?: string; assumeRoleArn?: string }): string {
    const parts = [
        c.profile ? `profile ${c.profile}` : "default credential chain",
        ...(c.assumeRoleArn ? [`assume ${c.assumeRoleArn}`] : []),
    ];
    return parts.join(", ");
}

function policyOf(resources: RecordedResource[], type: string, name?: string): PolicyDocument | undefined {
    const r = resources.find((x) => x.type === type && (name === undefined || x.name === name));
    if (!r) return undefined;
    // The stack's part of the shared bucket policy, as a document for the simulator: others' statements are
    // unknown offline, and access for this stack must come from its own.
    if (type === BUCKET_POLICY_STATEMENTS) {
        const statements = r.inputs.statements;
        return Array.isArray(statements) ? policyDocument(statements as PolicyStatement[]) : undefined;
    }
    const raw = r.inputs[POLICY_INPUTS[type].input];
    return typeof raw === "string" ? (JSON.parse(raw) as PolicyDocument) : undefined;
}

/** The documents the program registered, read from the resources' inputs; throws when a required one is missing. */
export function policySetOf(resources: RecordedResource[]): PolicySet {
    const required = {
        bucketPolicy: policyOf(resources, BUCKET_POLICY_STATEMENTS),
        trustPolicy: policyOf(resources, "aws:iam/role:Role"),
        executionPolicy: policyOf(resources, "aws:iam/policy:Policy"),
    };
    for (const [name, doc] of Object.entries(required)) {
        if (!doc) throw new PlanError(`The program registered no ${name}; the plan cannot evaluate access.`);
    }
    const policies: PolicySet = required as PolicySet;
    // The keys by the names the component gives them (components/naming.ts).
    const names = resourceNames(resources.find((x) => x.type === COMPONENT_TYPE)?.name ?? "");
    const devKey = policyOf(resources, "aws:kms/key:Key", names.developmentKey);
    const hostKey = policyOf(resources, "aws:kms/key:Key", names.hostingKey);
    const grant = resources.find((x) => x.type === "aws:kms/grant:Grant");
    if (devKey) policies.developmentKeyPolicy = devKey;
    else if (grant) {
        policies.developmentKeyPolicy = grantAsKeyPolicy(
            grant.inputs as { granteePrincipal: string; operations: string[] },
        );
    }
    if (hostKey) policies.hostingKeyPolicy = hostKey;
    return policies;
}

const CONFIG_NAMESPACE_PREFIX = `${PROJECT}:`;

/** Whether a validator problem judges a stand-in rather than the user's value. */
function aboutSecret(problem: string, secrets: readonly SecretValue[]): boolean {
    return (
        mentionsStandIn(problem, secrets) ||
        secrets.some((s) => problem.startsWith(`[${s.key}] `) && !problem.includes("is not a known key"))
    );
}

/** The program's parser over the config with stand-ins: only problems of the user's own plain values are errors. */
function validated(sealed: StandIns, stack: string, file: string): StackConfig {
    if (sealed.needed.length > 0) {
        const keys = sealed.needed.join(", ");
        throw new PlanError(
            `${keys} ${sealed.needed.length === 1 ? "is" : "are"} secret (secure:) in ${file} as a whole or ` +
                `where the plan needs the plain value ` +
                `(a region, a switch, a number, a whole section or list decides which resources the stack ` +
                `creates), and only the Pulumi CLI can decrypt it. ` +
                `Keep those plain, and make only the sensitive values secret, one at a time: ` +
                `pulumi config set --secret --path '${CONFIG_NAMESPACE_PREFIX}<section>.<key>' <value> (e.g. ` +
                `modelHosting.profile).`,
        );
    }
    try {
        return parseStackConfig(rawStackConfig(sealed.map), parseOptionsFor(PROJECT, stack));
    } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        // The program's messages say Pulumi.<stack>.yaml; the plan knows which file it read.
        const own = e.problems
            .filter((p) => !aboutSecret(p, sealed.secrets))
            .map((p) => p.split(STACK_FILE).join(file));
        if (own.length > 0) throw new ConfigError(own, file);
        throw new PlanError(
            `cannot plan with the secret values of ${file}: the program's rules refuse the plan's stand-ins for ` +
                `them, so the plan needs their ` +
                `plain values (run pulumi preview instead): ${hideSecrets(e.problems, sealed.secrets).join("; ")}`,
        );
    }
}

export async function buildPlan(stackArg: string, opts: PlanOptions = {}): Promise<Plan> {
    const root = opts.root ?? projectRoot();
    const read = readStackConfig(stackArg, root);
    // org/stack and org/project/stack name the same file and the same pulumi.getStack() as their last part.
    const stack = stackNameOf(stackArg);
    // Secret values cannot be decrypted offline: the program runs with a stand-in of the right shape for each.
    const sealed = standInSecrets(read.map, stack);
    // Validate first with the program's own parser: the same message `pulumi preview` would print.
    const config: StackConfig = validated(sealed, stack, read.file);
    const run = await runProgram(sealed.map, stack, opts.beforeLoad);
    if (run.error)
        throw new PlanError(`The program failed under mocks: ${hideSecrets(run.error.message, sealed.secrets)}`);

    const byProvider = (provider: string) =>
        run.resources
            .filter((r) => r.providerName === provider)
            .map((r) => ({ type: r.type, name: r.name, inputs: decodeInputs(r) }));
    const policies = policySetOf(run.resources);

    const params = accessParams(config, {
        developmentKeyArn: run.outputs.developmentKeyArn as string | undefined,
        hostingKeyArn: run.outputs.hostingKeyArn as string | undefined,
    });
    // The pointers as the program registers them; the invoker rows judge the app's policy with the others.
    const invokerTarget: InvokerTarget = {
        pointerParameterNames: ((run.outputs.models ?? []) as { pointerParameterName: string }[]).map(
            (m) => m.pointerParameterName,
        ),
    };
    const invokerPolicy = invokerIdentityPolicy(params, invokerTarget);
    const accessMatrix = await evaluateAccess(params, policies, {
        invoker: { policy: invokerPolicy, target: invokerTarget },
    });
    const documents = documentReports(run.resources, config);
    // Reading the other stack files of the folder is part of the plan: they may deploy to the same hosting account.
    const warnings = [
        ...quotaWarnings(config),
        ...configWarnings(config),
        ...settingsWarnings(read.map, read.file, config),
        ...crossStackWarnings(stack, read.file, config, otherStacks(stack, root)),
    ];
    const resources = {
        modelDevelopment: byProvider("model-development"),
        modelHosting: byProvider("model-hosting"),
        other: run.resources
            .filter((r) => !r.providerName && r.type !== "pulumi:providers:aws")
            .map((r) => ({ type: r.type, name: r.name, inputs: decodeInputs(r) })),
    };
    const shared = sharedBucketPolicy(policies.bucketPolicy, config);
    const plan: Plan = {
        stack,
        ok: accessMatrix.every((r) => r.ok) && documents.every((d) => d.ok),
        summary: planSummary(stack, config, resources, shared.ownSids),
        accounts: {
            modelDevelopment: {
                accountId: config.modelDevelopment.accountId,
                region: config.modelDevelopment.region,
                credentials: credentialsOf(config.modelDevelopment),
                resources: resources.modelDevelopment,
            },
            modelHosting: {
                accountId: config.modelHosting.accountId,
                region: config.modelHosting.region,
                credentials: credentialsOf(config.modelHosting),
                resources: resources.modelHosting,
            },
        },
        other: resources.other,
        policies,
        documents,
        sharedBucketPolicy: shared,
        accessMatrix,
        deployerPolicy: importerIdentityPolicy(params),
        invokerPolicy,
        errors: [
            ...documents.flatMap((d) =>
                d.problems.map((message) => ({ key: null, message: `AWS would refuse a document: ${message}` })),
            ),
            ...accessMatrix
                .filter((r) => !r.ok)
                .map((r) => ({
                    key: null,
                    message:
                        `access is not as it should be: [must be ${r.expect}] ${r.description}: ` +
                        `${r.error ?? r.decision}`,
                })),
        ],
        // A warning that compares a stand-in with a plain value says nothing about the user's value.
        warnings: warnings.filter((w) => !mentionsStandIn(w, sealed.secrets)).map(problemOf),
        config: { file: read.file, fromProject: read.fromProject, secrets: sealed.secrets.map((s) => s.key) },
        notes: [
            ...sealed.secrets
                .filter((s) => !s.checked)
                .map(
                    (s) =>
                        `NOTE: [${s.key}] cannot check (secret): its rules need the plain value, which only the ` +
                        `Pulumi CLI can decrypt; the plan ` +
                        `used a stand-in of the right shape, shown as ${SHOWN_AS}. pulumi preview checks the ` +
                        `value itself.`,
                ),
            ...warnings
                .filter((w) => mentionsStandIn(w, sealed.secrets))
                .map((w) => `NOTE: cannot check (secret): ${w.replace(/^WARNING: /, "")}`),
        ],
    };
    return hideSecrets(plan, sealed.secrets);
}

const TITLES: Record<keyof PolicySet, string> = {
    bucketPolicy: "Bucket policy (development account)",
    trustPolicy: "Execution role trust policy (hosting account)",
    executionPolicy: "Execution policy attached to the role (hosting account)",
    developmentKeyPolicy: "Development key policy (development account)",
    hostingKeyPolicy: "Hosting key policy (hosting account)",
};

const RESEARCH_GRANT_TITLE =
    "Grant on the research team's key (development account): what the stack's grant allows its execution role, " +
    "shown as a " +
    "key-policy statement; the stack adds the grant and does not edit that key's policy";

/** A warning as the plan prints it, on stdout and (with --json) on stderr. */
export function warningLine(w: Problem): string {
    return `WARNING: ${problemText(w)}`;
}

function resourceLine(r: PlannedResource): string {
    const pick = ["bucket", "sidPrefix", "name", "region", "modelName", "s3Uri"]
        .filter((k) => typeof r.inputs[k] === "string")
        .map((k) => `${k}=${r.inputs[k] as string}`);
    return `  + ${r.type}  ${r.name}${pick.length ? `  (${pick.join(", ")})` : ""}`;
}

function accountHeading(title: string, a: AccountPlan): string {
    return `${title} ${a.accountId} (${a.region}; ${a.credentials})`;
}

/** Every resource by type and Pulumi name, per account and per provider. */
function resourceSection(plan: Plan): string[] {
    const out: string[] = ["Resources (type and Pulumi name)", ""];
    const account = (title: string, a: AccountPlan) => {
        out.push(accountHeading(title, a));
        for (const r of a.resources) out.push(resourceLine(r));
        out.push("");
    };
    account("Model development account", plan.accounts.modelDevelopment);
    account("Model hosting account", plan.accounts.modelHosting);
    const dynamic = plan.other.filter((r) => !r.type.startsWith("bedrock-cmi:") && r.type !== BUCKET_POLICY_STATEMENTS);
    const statements = plan.other.filter((r) => r.type === BUCKET_POLICY_STATEMENTS);
    if (statements.length) {
        out.push(
            `Model development account ${plan.accounts.modelDevelopment.accountId}, through the bucket-policy ` +
                `provider (its own SDK clients, same credentials; ` +
                `only this stack's statements, everyone else's stay as they are)`,
        );
        for (const r of statements) out.push(resourceLine(r));
        out.push("");
    }
    if (dynamic.length) {
        out.push(
            `Model hosting account ${plan.accounts.modelHosting.accountId}, through the imported-model provider ` +
                `(its own SDK clients, same credentials)`,
        );
        for (const r of dynamic) out.push(resourceLine(r));
        out.push("");
    }
    return out;
}

/** The documents the program writes (and the app's identity policy), as JSON. */
function documentSection(plan: Plan): string[] {
    const out: string[] = ["Policy documents", ""];
    // With the research team's key, the stack adds a grant on it and never edits its key policy: say so.
    const dev = plan.accounts.modelDevelopment.resources;
    const researchGrant =
        dev.some((r) => r.type === "aws:kms/grant:Grant") && !dev.some((r) => r.type === "aws:kms/key:Key");
    for (const [name, doc] of Object.entries(plan.policies) as Array<[keyof PolicySet, PolicyDocument]>) {
        const title = name === "developmentKeyPolicy" && researchGrant ? RESEARCH_GRANT_TITLE : TITLES[name];
        out.push(`── ${title} ──`, JSON.stringify(doc, null, 2), "");
    }
    out.push(
        "── Identity policy an app that invokes the models needs (attach it to the app's role in the hosting " +
            "account; after up, " +
            "the stack output invokerPolicy names the stack's imported models instead of imported-model/*) ──",
        JSON.stringify(plan.invokerPolicy, null, 2),
        "",
    );
    return out;
}

/** The verdict in one line, for the summary. */
function verdict(plan: Plan): string {
    const failed = plan.accessMatrix.filter((r) => !r.ok).length;
    const refused = plan.documents.filter((d) => !d.ok).length;
    const warnings = `${plan.warnings.length} warning${plan.warnings.length === 1 ? "" : "s"}${plan.warnings.length ? " (at the end)" : ""}`;
    return plan.ok
        ? `Result: exit 0. All ${plan.accessMatrix.length} access checks as they should be, all ` +
              `${plan.documents.length} documents within AWS's limits; ${warnings}.`
        : `Result: exit 1. ${failed} of ${plan.accessMatrix.length} access checks NOT as they should be, ${refused} ` +
              `of ${plan.documents.length} documents AWS would refuse; ${warnings}.`;
}

export interface FormatOptions {
    /** Leave the policy documents, the resource list and the passing access checks out (--summary). */
    summary?: boolean;
}

/**
 * The plan as text, in the order a reviewer reads it: the summary, the identity policy the deployer attaches, then
 * (unless `summary`) the resources and the documents, the document sizes, the access matrix, and the warnings last.
 */
export function formatPlan(plan: Plan, matrix: (results: AccessResult[]) => string, opts: FormatOptions = {}): string {
    const out: string[] = [
        `Plan for stack "${plan.stack}" (offline: the program ran under Pulumi mocks; no AWS call was made)`,
    ];
    const fromProject = plan.config.fromProject.map((k) => k.replace(CONFIG_NAMESPACE_PREFIX, ""));
    out.push(
        `Config: ${plan.config.file}${fromProject.length ? `, with ${fromProject.join(", ")} from Pulumi.yaml (project config)` : ""}`,
    );
    if (plan.config.secrets.length)
        out.push(`Secret values (secure:), shown as ${SHOWN_AS}: ${plan.config.secrets.join(", ")}`);
    out.push(...plan.notes, "");
    const headings = {
        modelDevelopment: accountHeading("Model development account", plan.accounts.modelDevelopment),
        modelHosting: accountHeading("Model hosting account", plan.accounts.modelHosting),
    };
    out.push(...formatSummary(plan.summary, headings), `  ${verdict(plan)}`, "");
    out.push(
        "── Identity policy the hosting deployer needs (attach it to the identity that runs pulumi up for the " +
            "hosting account; the program does not write it) ──",
        JSON.stringify(plan.deployerPolicy, null, 2),
        "",
    );
    if (!opts.summary) out.push(...resourceSection(plan), ...documentSection(plan));
    out.push(...formatDocuments(plan.documents), "");
    if (!opts.summary) out.push(...formatSharedBucketPolicy(plan.sharedBucketPolicy), "");
    // The short form keeps the checks that are not as they should be (or cannot be) and the matrix's last line, its
    // count.
    const table = matrix(plan.accessMatrix).split("\n");
    const shown = opts.summary
        ? [
              ...matrix(plan.accessMatrix.filter((r) => !r.ok || r.limitation))
                  .split("\n")
                  .slice(0, -1),
              table[table.length - 1],
          ]
        : table;
    out.push("Access matrix (IAM policy simulator over all documents together)", ...shown);
    // Last, so they are what a reader sees when the plan scrolls by.
    if (plan.warnings.length) out.push("", ...plan.warnings.map(warningLine));
    return out.join("\n");
}
