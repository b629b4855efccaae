// The provider of `ImportSweeper`: one per stack, in the hosting account, with nothing of its own in AWS. Every
// ImportedModel depends on it, so Pulumi creates it first and deletes it last. That makes its delete the one place a
// `destroy` can still find an import that no state entry holds: an `up` killed while it waited leaves a running job
// whose entry `pulumi refresh --clear-pending-creates` drops (or a pending create `destroy` never deletes), and the job
// still produces a billed model afterwards. Job names are deterministic (`<prefix>-<attempt>`, naming.ts), and the
// sweeper records each import's prefix before that import's job can start, so its delete finds the job, waits for it
// (up to timeoutMinutes) and deletes the model it produced, when this stack owns it (tag bedrock-cmi:owner).
import { DeleteImportedModelCommand } from "@aws-sdk/client-bedrock";
import * as awsErrors from "../../awsSdk/errors";
import { configuredAccounts, currentCredentials, type ConfiguredAccounts } from "../../config/currentAccount";
import { accountOf, stringInputs } from "../../awsSdk/inputs";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { sameValue } from "../../awsSdk/values";
import type { AccountInputs, CompleteProvider } from "../../awsSdk/types";
import * as naming from "./naming";
import { assertAccount, call, getJob, getModel, listTags } from "./bedrockApi";
import { defaultClients } from "./clients";
import type { Context } from "./context";
import { waitForJob } from "./importJob";
import { consoleProgress } from "./progress";
import { MAX_ATTEMPTS, timingFor } from "./timing";
import type { ImportedModelProviderDeps } from "./types";
import { timeoutMinutesProblems } from "../../config/modelSettings";
import type { InputFailure } from "./validation";

/** Job-name prefixes kept: the stack's current imports plus earlier ones not yet swept, newest first. */
const MAX_PREFIXES = 100;

export interface ImportSweeperInputs extends AccountInputs {
    /** `<project>/<stack>`: only models carrying this bedrock-cmi:owner tag are deleted. */
    owner: string;
    /** The job-name prefix (naming.jobNamePrefix) of each of the stack's imports. */
    jobPrefixes: string[];
    /** How long destroy waits for a running import (the longest of the models'). */
    timeoutMinutes?: number;
    pollIntervalSeconds?: number;
    /** Version of the provider's code (an in-place update stores the current code). */
    providerVersion?: string;
}

/**
 * State: the inputs, with the prefixes of earlier imports kept until destroy (an import killed mid-way has no entry).
 */
type ImportSweeperOutputs = ImportSweeperInputs;

export type ImportSweeperProvider = CompleteProvider<ImportSweeperInputs, ImportSweeperOutputs>;

function checkInputs(news: Record<string, unknown>): InputFailure[] {
    const failures: InputFailure[] = [];
    const fail = (property: string, reason: string) => failures.push({ property, reason });
    const str = stringInputs(news, fail);
    str("accountId", true);
    str("region", true);
    str("owner", true);
    const prefixes = news.jobPrefixes;
    if (!Array.isArray(prefixes) || prefixes.some((p) => typeof p !== "string" || p === "")) {
        fail("jobPrefixes", "must be a list of job-name prefixes");
    }
    for (const reason of timeoutMinutesProblems(news.timeoutMinutes)) fail("timeoutMinutes", reason);
    return failures;
}

/** The prefixes to keep: the current ones first, then earlier ones, without repeats, at most MAX_PREFIXES. */
function keptPrefixes(current: readonly string[], earlier: readonly string[] = []): string[] {
    return [...new Set([...current, ...earlier])].slice(0, MAX_PREFIXES);
}

export function createImportSweeperProvider(deps: ImportedModelProviderDeps = {}): ImportSweeperProvider {
    const now = deps.now ?? (() => Date.now());
    const makeClients = deps.clients ?? defaultClients;
    const contextFor = (state: ImportSweeperInputs): Context => ({
        // The import calls read only the account and timing from the inputs.
        inputs: { ...accountOf(state), owner: state.owner, modelName: "import sweeper", roleArn: "", s3Uri: "" },
        clients: makeClients(accountOf(state)),
        now,
        sleep: deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))),
        random: deps.random ?? (() => Math.random()),
        timing: timingFor(state, now()),
        progress: deps.progress ?? consoleProgress,
    });
    // The stack's current config, from `configure`: destroy reaches the hosting account with its current credentials.
    const configured: { accounts?: ConfiguredAccounts } = {};
    const KEYS = [
        "accountId",
        "region",
        "profile",
        "assumeRoleArn",
        "owner",
        "timeoutMinutes",
        "pollIntervalSeconds",
        "providerVersion",
    ] as const;
    return {
        async configure(req: dynamic.ConfigureRequest) {
            configured.accounts = configuredAccounts(req.config);
        },
        async check(_olds, news) {
            return { inputs: news, failures: checkInputs(news as unknown as Record<string, unknown>) };
        },
        async diff(_id, olds, news) {
            const o = olds as unknown as Record<string, unknown>;
            const n = news as unknown as Record<string, unknown>;
            const changed = KEYS.some((key) => !sameValue(o[key], n[key]));
            // Earlier prefixes stay in state on purpose: only a new one is a change.
            const newPrefix =
                !Array.isArray(news.jobPrefixes) || news.jobPrefixes.some((p) => !(olds.jobPrefixes ?? []).includes(p));
            // Never a replace: a replacement would delete (sweep) while the stack's models live.
            return { changes: changed || newPrefix, replaces: [], deleteBeforeReplace: false };
        },
        async create(inputs) {
            return {
                id: `import-sweeper-${inputs.accountId}-${inputs.region}`,
                outs: { ...inputs, jobPrefixes: keptPrefixes(inputs.jobPrefixes) },
            };
        },
        async read(id, props) {
            return { id, props };
        },
        async update(_id, olds, news) {
            return { outs: { ...news, jobPrefixes: keptPrefixes(news.jobPrefixes, olds.jobPrefixes) } };
        },
        async delete(_id, props) {
            const ctx = contextFor(currentCredentials(props, configured.accounts, "modelHosting"));
            await assertAccount(ctx);
            for (const prefix of props.jobPrefixes ?? []) await sweepImport(ctx, prefix);
        },
    };
}

/**
 * Every attempt of one import: waits for a running job, then deletes the model of a completed one if this stack owns
 * it.
 */
async function sweepImport(ctx: Context, prefix: string): Promise<void> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        const jobName = `${prefix}-${attempt}`;
        let job = await getJob(ctx, jobName);
        if (!job) return;
        if (job.status === "InProgress") {
            // An up that did not finish started it: no state entry waits for it.
            job = await waitForJob(
                ctx,
                { jobName, purpose: "destroy", jobArn: job.jobArn, creationTime: job.creationTime },
                ctx.timing.deadline,
                () =>
                    new Error(
                        `[${jobName}] import job is still running after ${ctx.timing.timeoutMinutes} min; its ` +
                            `model will exist once it completes. ` +
                            `Run "pulumi destroy" again to keep waiting and delete it.`,
                    ),
            );
        }
        if (job.status === "Completed" && job.importedModelArn) await deleteOrphan(ctx, jobName, job.importedModelArn);
    }
}

/** Deletes a model no state entry holds any longer, when this stack owns it; gone already is fine. */
async function deleteOrphan(ctx: Context, jobName: string, modelArn: string): Promise<void> {
    if (!(await getModel(ctx, modelArn))) return;
    const owner = (await listTags(ctx, modelArn))[naming.OWNER_TAG_KEY];
    if (!naming.sameOwner(owner, ctx.inputs.owner)) {
        ctx.progress(
            `[${jobName}] destroy: ${modelArn} is left in place: it belongs to ` +
                `${owner ?? "no stack (no owner tag)"}, not ${ctx.inputs.owner}.`,
        );
        return;
    }
    try {
        await call(ctx, "bedrock", new DeleteImportedModelCommand({ modelIdentifier: modelArn }));
        ctx.progress(`[${jobName}] destroy: deleted ${modelArn}, imported by a job no state entry held.`);
    } catch (err) {
        if (awsErrors.isNotFound(err)) return;
        throw new Error(
            `[${jobName}] deleting imported model ${modelArn} failed: ${awsErrors.describeError(err)}. Run ` +
                `"pulumi destroy" again.`,
            {
                cause: err,
            },
        );
    }
}
