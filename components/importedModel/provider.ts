// The dynamic provider behind `ImportedModel`.
//
// Serialization: the engine serializes the provider object (`serializeFunction(() => provider)`) and
// runs it in another process. Functions in this file and in the sibling modules are serialized by
// value; SDK packages are `require`d inside the functions that use them (a captured SDK client or
// destructured import would not survive); `import type` lines are erased at compile time.
import type {
    CreateModelImportJobCommandOutput,
    GetImportedModelCommandOutput,
    GetModelImportJobCommandOutput,
    ListTagsForResourceCommandOutput,
} from "@aws-sdk/client-bedrock";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { clientConfig, credentialSource } from "../awsAccount/credentials";
import * as awsErrors from "../awsAccount/errors";
import * as identity from "../awsAccount/identity";
import * as retry from "../awsAccount/retry";
import * as errors from "./errors";
import * as quotas from "../rules/quotas";
import * as naming from "./naming";
import type { ClientInputs, ImportJobStatus, ImportedModelClients, ImportedModelInputs, ImportedModelOutputs, ImportedModelProviderDeps } from "./types";
import * as validation from "./validation";

type BedrockSdk = typeof import("@aws-sdk/client-bedrock");

/** Multi-hour imports are normal (large models); one `up` waits this long before handing back. */
export const DEFAULT_TIMEOUT_MINUTES = 360;
/** First wait, and the unit every later wait/backoff is derived from. */
export const DEFAULT_POLL_INTERVAL_SECONDS = 5;
/** Status waits grow with the time already waited: lag after completion stays under 10 % of the job's duration. */
const WAIT_GROWTH = 0.1;
/** Upper bound on one status wait (also scaled down for tiny poll intervals). */
const MAX_WAIT_MS = 60_000;
/** Role-propagation retries: waits cap at this many poll intervals, the window lasts this many. */
const ROLE_WAIT_CAP_FACTOR = 2;
const ROLE_WINDOW_FACTOR = 60;
/** Consecutive throttling/5xx/network failures tolerated by a single API call outside the wait loop. */
const MAX_TRANSIENT_RETRIES = 8;
/** Attempts probed per import (a new attempt follows each `Failed` job). */
const MAX_ATTEMPTS = 99;
/** GetImportedModel may lag a `Completed` job briefly; tolerate that many not-found answers. */
const MODEL_VISIBILITY_RETRIES = 6;

export interface Timing {
    pollMs: number;
    capMs: number;
    roleCapMs: number;
    roleWindowMs: number;
    timeoutMinutes: number;
    deadline: number;
}

interface Context {
    inputs: ImportedModelInputs;
    clients: ImportedModelClients;
    now: () => number;
    sleep: (ms: number) => Promise<void>;
    random: () => number;
    timing: Timing;
    /** The caller's ARN from sts:GetCallerIdentity, once known (named in access-denied messages). */
    callerArn?: string;
}

export function timingFor(inputs: Pick<ImportedModelInputs, "pollIntervalSeconds" | "timeoutMinutes">, now: number): Timing {
    const pollMs = (inputs.pollIntervalSeconds ?? DEFAULT_POLL_INTERVAL_SECONDS) * 1000;
    const timeoutMinutes = inputs.timeoutMinutes ?? DEFAULT_TIMEOUT_MINUTES;
    return {
        pollMs,
        capMs: Math.max(pollMs, Math.min(MAX_WAIT_MS, 12 * pollMs)),
        roleCapMs: ROLE_WAIT_CAP_FACTOR * pollMs,
        roleWindowMs: ROLE_WINDOW_FACTOR * pollMs,
        timeoutMinutes,
        deadline: now + timeoutMinutes * 60_000,
    };
}

/**
 * Capped exponential backoff for status polls: each wait is 10 % of the time already waited, so
 * waits grow geometrically (×1.1 per poll), floored at the poll interval and capped at `capMs`.
 */
export function statusWaitMs(timing: Timing, waitedMs: number): number {
    return Math.min(timing.capMs, Math.max(timing.pollMs, WAIT_GROWTH * waitedMs));
}

/** Role propagation: 1×, 1.5×, 2× the poll interval, then steady, so a usable role is noticed quickly. */
export function roleWaitMs(timing: Timing, retry: number): number {
    return Math.min(timing.roleCapMs, timing.pollMs * Math.pow(1.5, retry));
}

/** Throttling/5xx: doubling from the poll interval, capped, with jitter in [50 %, 100 %]. */
export function transientWaitMs(timing: Timing, attempt: number, random: number): number {
    return retry.backoffMs(attempt, random, timing.pollMs, timing.capMs);
}

function bedrockSdk(): BedrockSdk {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require("@aws-sdk/client-bedrock");
}

/** The STS session name when the provider assumes `assumeRoleArn` (visible in the account's CloudTrail). */
const SESSION_NAME = "pulumi-bedrock-imported-model";

/**
 * Hosting-account clients built from the inputs (an explicit `aws.Provider` does not reach a
 * dynamic provider). No endpoint is set, so AWS_ENDPOINT_URL_BEDROCK / AWS_ENDPOINT_URL_STS apply.
 * maxAttempts 1: every retry is the provider's own, classified and bounded by the import deadline.
 */
export function defaultClients(inputs: ClientInputs): ImportedModelClients {
    const { BedrockClient } = bedrockSdk();
    // One configuration (and so one set of assumed-role credentials) for both clients.
    const config = clientConfig(inputs, SESSION_NAME);
    return { bedrock: new BedrockClient(config), sts: identity.stsClient(config) };
}

function sleepBounded(ctx: Context, ms: number, deadline: number): Promise<void> {
    return ctx.sleep(Math.max(0, Math.min(ms, deadline - ctx.now())));
}

/** Retries of one API call: throttling/5xx/network errors, with backoff, never past the deadline. */
function callRetry(ctx: Context, maxRetries = MAX_TRANSIENT_RETRIES): retry.RetryOptions {
    const { timing } = ctx;
    return {
        sleep: (ms) => sleepBounded(ctx, ms, timing.deadline),
        random: () => ctx.random(),
        maxRetries,
        baseMs: timing.pollMs,
        capMs: timing.capMs,
        expired: () => ctx.now() >= timing.deadline,
    };
}

/** One API call, retried on throttling/5xx/network errors with backoff (never past the deadline). */
async function call<T>(ctx: Context, client: "bedrock" | "sts", command: object, maxRetries = MAX_TRANSIENT_RETRIES): Promise<T> {
    return (await retry.callWithRetry(callRetry(ctx, maxRetries), () => ctx.clients[client].send(command))) as T;
}

async function getJob(ctx: Context, jobName: string): Promise<GetModelImportJobCommandOutput | undefined> {
    const { GetModelImportJobCommand } = bedrockSdk();
    try {
        return await call<GetModelImportJobCommandOutput>(ctx, "bedrock", new GetModelImportJobCommand({ jobIdentifier: jobName }));
    } catch (err) {
        if (awsErrors.isNotFound(err)) {
            return undefined;
        }
        throw err;
    }
}

async function getModel(ctx: Context, modelIdentifier: string): Promise<GetImportedModelCommandOutput | undefined> {
    const { GetImportedModelCommand } = bedrockSdk();
    try {
        return await call<GetImportedModelCommandOutput>(ctx, "bedrock", new GetImportedModelCommand({ modelIdentifier }));
    } catch (err) {
        if (awsErrors.isNotFound(err)) {
            return undefined;
        }
        throw err;
    }
}

async function listTags(ctx: Context, resourceARN: string): Promise<Record<string, string>> {
    const { ListTagsForResourceCommand } = bedrockSdk();
    const out = await call<ListTagsForResourceCommandOutput>(ctx, "bedrock", new ListTagsForResourceCommand({ resourceARN }));
    const tags: Record<string, string> = {};
    for (const tag of out.tags ?? []) {
        if (tag.key !== undefined) {
            tags[tag.key] = tag.value ?? "";
        }
    }
    return tags;
}

/** The tags the model and job carry: the user's, plus the owner tag. */
function desiredTags(inputs: ImportedModelInputs): Record<string, string> {
    return { ...(inputs.tags ?? {}), ...(inputs.owner ? { [naming.OWNER_TAG_KEY]: inputs.owner } : {}) };
}

/** A live tag map as the user sees it (the owner tag is the provider's own, not an input). */
function userTags(live: Record<string, string>): Record<string, string> {
    const out = { ...live };
    delete out[naming.OWNER_TAG_KEY];
    return out;
}

/**
 * Refuses to touch a model another stack owns. `inState`: the model is recorded in this resource's state, so a
 * model without the tag is ours from before owners existed (it gets the tag on this update).
 */
async function assertOwned(ctx: Context, modelArn: string, modelName: string, inState: boolean): Promise<void> {
    const owner = (await listTags(ctx, modelArn))[naming.OWNER_TAG_KEY];
    const { inputs } = ctx;
    if (owner !== undefined && owner !== inputs.owner && inputs.owner !== undefined) {
        throw new Error(
            `[${modelName}] imported model ${modelArn} belongs to stack ${owner} (tag ${naming.OWNER_TAG_KEY}), not to ${inputs.owner}; nothing was changed. ` +
                `Two stacks must not share a model: give this stack's model another models[].name, or deploy it to another hosting account.`,
        );
    }
    if (owner === undefined && !inState) {
        throw new Error(
            `[${modelName}] an imported model named "${modelName}" (${modelArn}) already exists in account ${inputs.accountId} and carries no ` +
                `${naming.OWNER_TAG_KEY} tag, so no stack is known to own it; nothing was changed. Choose another models[].name, or, to take it over ` +
                `deliberately: aws bedrock tag-resource --resource-arn ${modelArn} --tags key=${naming.OWNER_TAG_KEY},value=${inputs.owner ?? "<project>/<stack>"} ` +
                `--region ${inputs.region}, then pulumi up (this stack then deletes it on destroy).`,
        );
    }
}

/** Makes the live tags equal to `desired` with the fewest calls; returns the resulting map. */
async function reconcileTags(ctx: Context, resourceARN: string, desired: Record<string, string> | undefined): Promise<Record<string, string>> {
    const { TagResourceCommand, UntagResourceCommand } = bedrockSdk();
    const want = desired ?? {};
    const live = await listTags(ctx, resourceARN);
    const removed = Object.keys(live).filter((key) => !(key in want));
    const changed = Object.entries(want).filter(([key, value]) => live[key] !== value);
    if (removed.length > 0) {
        await call(ctx, "bedrock", new UntagResourceCommand({ resourceARN, tagKeys: removed }));
    }
    if (changed.length > 0) {
        await call(ctx, "bedrock", new TagResourceCommand({ resourceARN, tags: changed.map(([key, value]) => ({ key, value })) }));
    }
    return userTags(want);
}

/** How messages name the hosting account, and what a refusal leaves undone. */
const ACCOUNT_ROLE: identity.AccountRole = { what: "hosting account", notDone: "nothing was done in Bedrock" };

/** Refuses to act with credentials of another account; runs before any Bedrock call. */
async function assertAccount(ctx: Context): Promise<void> {
    ctx.callerArn = await identity.assertAccount(ctx.clients.sts, ctx.inputs, ACCOUNT_ROLE, callRetry(ctx));
}

async function listAll<T>(
    ctx: Context,
    page: (nextToken: string | undefined) => object,
    items: (out: Record<string, unknown>) => T[] | undefined,
): Promise<T[]> {
    const all: T[] = [];
    let nextToken: string | undefined;
    // Bounded: an account holds a handful of imported models and one running import.
    for (let pages = 0; pages < 100; pages++) {
        const out = await call<Record<string, unknown>>(ctx, "bedrock", page(nextToken));
        all.push(...(items(out) ?? []));
        nextToken = typeof out.nextToken === "string" && out.nextToken !== "" ? out.nextToken : undefined;
        if (!nextToken) break;
    }
    return all;
}

/** Import jobs running in the account now (ListModelImportJobs, statusEquals InProgress). */
async function runningImportJobs(ctx: Context): Promise<string[]> {
    const { ListModelImportJobsCommand } = bedrockSdk();
    return listAll(
        ctx,
        (nextToken) => new ListModelImportJobsCommand({ statusEquals: "InProgress", maxResults: 100, ...(nextToken ? { nextToken } : {}) }),
        (out) => (out.modelImportJobSummaries as Array<{ jobName?: string }> | undefined)?.map((j) => j.jobName ?? "?"),
    );
}

/** Names of the imported models in the account (ListImportedModels). */
async function importedModelNames(ctx: Context): Promise<string[]> {
    const { ListImportedModelsCommand } = bedrockSdk();
    return listAll(
        ctx,
        (nextToken) => new ListImportedModelsCommand({ maxResults: 100, ...(nextToken ? { nextToken } : {}) }),
        (out) => (out.modelSummaries as Array<{ modelName?: string }> | undefined)?.map((m) => m.modelName ?? "?"),
    );
}

function toIso(value: unknown): string | undefined {
    if (value instanceof Date) {
        return value.toISOString();
    }
    if (typeof value === "string" && value !== "") {
        return value;
    }
    if (typeof value === "number") {
        return new Date(value * 1000).toISOString();
    }
    return undefined;
}

/** Drops undefined fields: protobuf Struct conversion in the provider host rejects them. */
function compact<T extends object>(value: T): T {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
        if (v !== undefined && v !== null) {
            out[key] = v;
        }
    }
    return out as T;
}

/** The inputs as they were when the state was written (`kmsKeyArn` back to the user's spelling). */
function inputsOfState(state: ImportedModelOutputs): ImportedModelInputs {
    return {
        accountId: state.accountId,
        region: state.region,
        profile: state.profile,
        assumeRoleArn: state.assumeRoleArn,
        modelName: state.modelName,
        roleArn: state.roleArn,
        s3Uri: state.s3Uri,
        kmsKeyArn: state.kmsKeyInput ?? state.kmsKeyArn,
        tags: state.tags,
        timeoutMinutes: state.timeoutMinutes,
        pollIntervalSeconds: state.pollIntervalSeconds,
        stackName: state.stackName,
        configPath: state.configPath,
        owner: state.owner,
        providerVersion: state.providerVersion,
    };
}

interface Progress {
    jobName: string;
    attempt: number;
    jobArn?: string;
    job?: GetModelImportJobCommandOutput;
    model?: GetImportedModelCommandOutput;
    tags?: Record<string, string>;
}

function outputsFrom(inputs: ImportedModelInputs, p: Progress): ImportedModelOutputs {
    const status: ImportJobStatus = p.model ? "Completed" : ((p.job?.status as ImportJobStatus | undefined) ?? "InProgress");
    return compact<ImportedModelOutputs>({
        accountId: inputs.accountId,
        region: inputs.region,
        profile: inputs.profile,
        assumeRoleArn: inputs.assumeRoleArn,
        modelName: inputs.modelName,
        roleArn: inputs.roleArn,
        s3Uri: inputs.s3Uri,
        // The service always reports the key ARN; keeping it (and the user's spelling separately)
        // is what lets diff ignore alias-vs-ARN spelling.
        kmsKeyArn: p.model?.modelKmsKeyArn ?? p.job?.importedModelKmsKeyArn ?? inputs.kmsKeyArn,
        kmsKeyInput: inputs.kmsKeyArn,
        tags: p.tags ?? inputs.tags,
        timeoutMinutes: inputs.timeoutMinutes,
        pollIntervalSeconds: inputs.pollIntervalSeconds,
        stackName: inputs.stackName,
        configPath: inputs.configPath,
        owner: inputs.owner,
        providerVersion: inputs.providerVersion,
        jobName: p.jobName,
        jobArn: p.jobArn ?? p.job?.jobArn ?? p.model?.jobArn,
        attempt: p.attempt,
        jobStatus: status,
        modelArn: p.model?.modelArn,
        modelArchitecture: p.model?.modelArchitecture,
        instructSupported: p.model?.instructSupported,
        creationTime: toIso(p.model?.creationTime ?? p.job?.creationTime),
    });
}

function identityOf(inputs: ImportedModelInputs): naming.ImportIdentity {
    return {
        accountId: inputs.accountId,
        region: inputs.region,
        modelName: inputs.modelName,
        s3Uri: inputs.s3Uri,
        kmsKeyArn: inputs.kmsKeyArn || undefined,
        ...(inputs.owner ? { owner: inputs.owner } : {}),
    };
}

function bucketAndPrefix(s3Uri: string): { bucket: string; prefix: string } {
    const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(s3Uri);
    return m ? { bucket: m[1], prefix: m[2] } : { bucket: s3Uri, prefix: "" };
}

/** The message for a `Failed` job: the service's words, then (for access failures) what to check. */
function failureText(inputs: ImportedModelInputs, job: GetModelImportJobCommandOutput, jobName: string, attempt: number): string {
    const reason = job.failureMessage ?? "no failureMessage was reported";
    const lines = [`[${inputs.modelName}] Bedrock import job ${jobName} (${job.jobArn ?? "no ARN"}) failed: ${reason}`];
    if (errors.isArtifactAccessFailure(reason)) {
        const { bucket, prefix } = bucketAndPrefix(inputs.s3Uri);
        // The role ARN carries the partition (aws, aws-cn, aws-us-gov) every other ARN here shares.
        const partition = inputs.roleArn.split(":")[1] || "aws";
        const hostingRoot = `arn:${partition}:iam::${inputs.accountId}:root`;
        lines.push(
            `Bedrock reads ${inputs.s3Uri} as the execution role ${inputs.roleArn}. Check:`,
            `  - bucket policy of ${bucket}: s3:ListBucket on arn:${partition}:s3:::${bucket} and s3:GetObject on arn:${partition}:s3:::${bucket}/${prefix}* ` +
                `for principal ${hostingRoot} with condition aws:PrincipalArn = ${inputs.roleArn};`,
            `  - the execution role's policy: the same two actions on the same ARNs (condition aws:ResourceAccount = the bucket owner's account);`,
            `  - if the artifacts are SSE-KMS encrypted: that key's policy and the execution policy allow ${inputs.roleArn} kms:Decrypt and kms:DescribeKey;`,
        );
        if (inputs.kmsKeyArn) {
            lines.push(
                `  - key ${job.importedModelKmsKeyArn ?? inputs.kmsKeyArn} (encrypts the imported model): its key policy and the execution policy allow ` +
                    `${inputs.roleArn} kms:Encrypt, kms:Decrypt, kms:ReEncrypt*, kms:GenerateDataKey*, kms:DescribeKey and kms:CreateGrant;`,
            );
        }
        lines.push(`  - the role's trust policy lets bedrock.amazonaws.com assume it (aws:SourceAccount = ${inputs.accountId}).`);
        if (inputs.stackName) {
            lines.push(`Verify the access as the role with: npm run verify-access -- --stack ${inputs.stackName} --model ${inputs.modelName}`);
        }
    }
    lines.push(
        `Job records cannot be reused: after fixing the cause, run "pulumi up" again and a new attempt (job ${naming.jobNameFor(identityOf(inputs), attempt + 1)}) starts.`,
    );
    return lines.join("\n");
}

function importedModelsQuotaError(inputs: ImportedModelInputs, models: string[], cause: unknown): Error {
    return new Error(
        `[${inputs.modelName}] account ${inputs.accountId} has no room for another imported model in ${inputs.region}: no import is running, so this is ` +
            `the imported-models quota (code ${quotas.IMPORTED_MODELS_QUOTA_CODE}, ${quotas.IMPORTED_MODELS_DEFAULT_QUOTA} by default, adjustable), not the one-import-at-a-time limit. ` +
            `Models in the account (${models.length}): ${models.join(", ") || "none listed"}. No job was started. Either delete one ` +
            `(aws bedrock delete-imported-model --model-identifier <name> --region ${inputs.region}) or raise the quota ` +
            `(${quotas.raiseImportedModelsQuotaCommand(inputs.region, Math.max(models.length + 1, quotas.IMPORTED_MODELS_DEFAULT_QUOTA + 1))}). ` +
            `Bedrock said: ${awsErrors.errorMessage(cause)}`,
        { cause },
    );
}

function accessDeniedText(inputs: ImportedModelInputs, callerArn: string | undefined, jobName: string, err: unknown): string {
    const message = awsErrors.errorMessage(err);
    const action = errors.deniedAction(message);
    const who = callerArn ?? credentialSource(inputs);
    const what = action
        ? `${action} was denied`
        : "an action was denied (Bedrock did not name it; usually iam:PassRole on the execution role, bedrock:CreateModelImportJob, or kms:CreateGrant on the hosting key)";
    return (
        `[${inputs.modelName}] CreateModelImportJob ${jobName} was refused for ${who}: ${what}. No job was started, and retrying cannot help. ` +
        `Grant that identity iam:PassRole on ${inputs.roleArn} (condition iam:PassedToService = bedrock.amazonaws.com), bedrock:CreateModelImportJob` +
        (inputs.kmsKeyArn ? `, and kms:CreateGrant, kms:DescribeKey, kms:GenerateDataKey and kms:Decrypt on ${inputs.kmsKeyArn} through Bedrock` : "") +
        ` (README: "The deploying identity"). Bedrock said: ${message}`
    );
}

interface FailedJobError extends Error {
    failedProgress: Progress;
}

function failedJobError(inputs: ImportedModelInputs, progress: Progress, job: GetModelImportJobCommandOutput): FailedJobError {
    const err = new Error(failureText(inputs, job, progress.jobName, progress.attempt)) as FailedJobError;
    err.failedProgress = { ...progress, job };
    return err;
}

function isFailedJobError(err: unknown): err is FailedJobError {
    return err instanceof Error && (err as Partial<FailedJobError>).failedProgress !== undefined;
}

/**
 * Polls the job until it is `Completed` or `Failed`. The first wait is the poll interval; later
 * waits follow `statusWaitMs`. Throttling and 5xx answers count as a missed poll. At the deadline
 * `onDeadline` decides what to throw.
 */
async function waitForJob(
    ctx: Context,
    jobName: string,
    deadline: number,
    onDeadline: (last: GetModelImportJobCommandOutput | undefined) => Error,
): Promise<GetModelImportJobCommandOutput> {
    const { GetModelImportJobCommand } = bedrockSdk();
    const started = ctx.now();
    let last: GetModelImportJobCommandOutput | undefined;
    let notFound = 0;
    for (;;) {
        await sleepBounded(ctx, statusWaitMs(ctx.timing, ctx.now() - started), deadline);
        try {
            last = (await ctx.clients.bedrock.send(new GetModelImportJobCommand({ jobIdentifier: jobName }))) as GetModelImportJobCommandOutput;
            if (last.status === "Completed" || last.status === "Failed") {
                return last;
            }
        } catch (err) {
            // A job created a moment ago may not be readable yet (eventual consistency).
            const tolerated = awsErrors.isTransient(err) || (awsErrors.isNotFound(err) && ++notFound <= MODEL_VISIBILITY_RETRIES);
            if (!tolerated) {
                throw err;
            }
        }
        if (ctx.now() >= deadline) {
            throw onDeadline(last);
        }
    }
}

/** Reads the model of a just-completed job; the model can trail the job's status briefly. */
async function modelAfterCompletion(ctx: Context, modelArn: string): Promise<GetImportedModelCommandOutput> {
    for (let retry = 0; ; retry++) {
        const model = await getModel(ctx, modelArn);
        if (model) {
            return model;
        }
        if (retry >= MODEL_VISIBILITY_RETRIES) {
            throw new Error(`the import job completed but its model ${modelArn} cannot be read`);
        }
        await sleepBounded(ctx, roleWaitMs(ctx.timing, retry), ctx.timing.deadline + ctx.timing.pollMs * MODEL_VISIBILITY_RETRIES);
    }
}

/**
 * Starts CreateModelImportJob, retrying what is transient for this call:
 * - role propagation (a fresh execution role) within `roleWindowMs`;
 * - ServiceQuotaExceededException (one import per account at a time) until the deadline;
 * - throttling/5xx/network until the deadline (same idempotency token, so a lost response is harmless);
 * - ConflictException: the job name exists already (a concurrent or lost create): adopt it.
 */
async function startJob(ctx: Context, jobName: string, attempt: number): Promise<Progress> {
    const { CreateModelImportJobCommand } = bedrockSdk();
    const { inputs, timing } = ctx;
    const tags = Object.entries(desiredTags(inputs)).map(([key, value]) => ({ key, value }));
    const command = new CreateModelImportJobCommand({
        jobName,
        importedModelName: inputs.modelName,
        roleArn: inputs.roleArn,
        modelDataSource: { s3DataSource: { s3Uri: inputs.s3Uri } },
        clientRequestToken: naming.clientRequestTokenFor(jobName),
        ...(inputs.kmsKeyArn ? { importedModelKmsKeyId: inputs.kmsKeyArn } : {}),
        ...(tags.length > 0 ? { importedModelTags: tags, jobTags: tags } : {}),
    });
    const started = ctx.now();
    let roleRetries = 0;
    let transientRetries = 0;
    let quotaSince: number | undefined;
    let quotaRechecked = false;
    for (;;) {
        try {
            const out = (await ctx.clients.bedrock.send(command)) as CreateModelImportJobCommandOutput;
            return { jobName, attempt, jobArn: out.jobArn };
        } catch (err) {
            const now = ctx.now();
            if (awsErrors.isConflict(err)) {
                const job = await getJob(ctx, jobName);
                if (job) {
                    return { jobName, attempt, jobArn: job.jobArn, job };
                }
                throw new Error(`[${inputs.modelName}] CreateModelImportJob ${jobName} conflicted with another request: ${awsErrors.errorMessage(err)}`, {
                    cause: err,
                });
            }
            if (errors.isQuotaExceeded(err)) {
                // Two quotas answer this way (https://docs.aws.amazon.com/bedrock/latest/userguide/quotas.html):
                // one concurrent import job per account (waiting helps) and imported models per account (waiting never helps).
                if ((await runningImportJobs(ctx)).length === 0) {
                    // The running job may have finished between our create and the listing: one more create tells.
                    if (!quotaRechecked) {
                        quotaRechecked = true;
                        continue;
                    }
                    throw importedModelsQuotaError(inputs, await importedModelNames(ctx), err);
                }
                quotaSince ??= now;
                if (now >= timing.deadline) {
                    throw new Error(
                        `[${inputs.modelName}] Bedrock allows one model import at a time per account, and account ${inputs.accountId} stayed busy for ` +
                            `${timing.timeoutMinutes} min (ServiceQuotaExceededException: ${awsErrors.errorMessage(err)}). No job was started; run "pulumi up" again later.`,
                        { cause: err },
                    );
                }
                await sleepBounded(ctx, statusWaitMs(timing, now - quotaSince), timing.deadline);
                continue;
            }
            if (awsErrors.isAccessDenied(err)) {
                // The caller lacks a permission (iam:PassRole, bedrock:CreateModelImportJob, kms:* on the hosting key):
                // retrying cannot grant it.
                throw new Error(accessDeniedText(inputs, ctx.callerArn, jobName, err), { cause: err });
            }
            if (errors.isRolePropagation(err)) {
                if (now - started < timing.roleWindowMs && now < timing.deadline) {
                    await sleepBounded(ctx, roleWaitMs(timing, roleRetries++), Math.min(timing.deadline, started + timing.roleWindowMs));
                    continue;
                }
                throw new Error(
                    `[roleArn] Bedrock still rejects the execution role ${inputs.roleArn} after ${Math.round((now - started) / 1000)} s ` +
                        `(${awsErrors.errorName(err)}: ${awsErrors.errorMessage(err)}). A new role becomes usable within a minute; if this persists, check that ` +
                        `its trust policy allows bedrock.amazonaws.com (aws:SourceAccount = ${inputs.accountId}) and that the deploying credentials may ` +
                        `call bedrock:CreateModelImportJob and iam:PassRole on it. No job was started.`,
                    { cause: err },
                );
            }
            if (awsErrors.isTransient(err) && now < timing.deadline) {
                await sleepBounded(ctx, transientWaitMs(timing, transientRetries++, ctx.random()), timing.deadline);
                continue;
            }
            throw new Error(
                `[${inputs.modelName}] CreateModelImportJob ${jobName} failed: ${awsErrors.errorName(err)}: ${awsErrors.errorMessage(err)}. ` +
                    (errors.isAboutTags(err)
                        ? `Check the model's tags (${Object.keys(inputs.tags ?? {}).length} on this model; Bedrock allows 50, keys and values of letters, digits, spaces and . _ : / = + @ -).`
                        : `Check modelName, s3Uri (${inputs.s3Uri}), roleArn and kmsKeyArn.`),
                { cause: err },
            );
        }
    }
}

/**
 * Finds this import's current attempt or starts one. Attempt n's job name is deterministic:
 * - not found: start attempt n (nothing to adopt);
 * - InProgress, or Completed with its model present: adopt it (an earlier run was interrupted);
 * - Failed, or Completed but its model deleted since: look at attempt n + 1.
 */
async function findOrStartJob(ctx: Context): Promise<Progress> {
    const { inputs } = ctx;
    const identity = identityOf(inputs);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        const jobName = naming.jobNameFor(identity, attempt);
        const job = await getJob(ctx, jobName);
        if (job === undefined) {
            const existing = await getModel(ctx, inputs.modelName);
            if (existing) {
                if (inputs.owner !== undefined) {
                    // Never adopt by name what another stack (or nobody known) owns: its destroy would delete a model in use.
                    await assertOwned(ctx, existing.modelArn ?? inputs.modelName, inputs.modelName, false);
                } else if (naming.attemptOf(identity, existing.jobName) === undefined) {
                    throw new Error(
                        `[modelName] an imported model named "${inputs.modelName}" already exists in account ${inputs.accountId} (${inputs.region}) ` +
                            `(${existing.modelArn}, imported by job ${existing.jobName ?? "unknown"}) and was not created by this import. ` +
                            `Choose another modelName, or delete that model (aws bedrock delete-imported-model --model-identifier ${inputs.modelName} --region ${inputs.region}) if it is unused.`,
                    );
                }
                // Ours (owner tag), but its job record cannot be read under this attempt's name: adopt the model as it is.
                return {
                    jobName: existing.jobName ?? jobName,
                    attempt: naming.attemptOf(identity, existing.jobName) ?? attempt,
                    jobArn: existing.jobArn,
                    model: existing,
                };
            }
            return startJob(ctx, jobName, attempt);
        }
        if (job.status === "Failed") {
            continue;
        }
        if (job.status === "Completed") {
            const model = job.importedModelArn ? await getModel(ctx, job.importedModelArn) : undefined;
            if (model === undefined) {
                continue;
            }
            return { jobName, attempt, jobArn: job.jobArn, job, model };
        }
        return { jobName, attempt, jobArn: job.jobArn, job };
    }
    throw new Error(`[${inputs.modelName}] ${MAX_ATTEMPTS} import attempts of these inputs exist already; change modelName or s3Uri to start over.`);
}

/**
 * Create/resume: find or start the job, wait for it, read the model, apply tags. Once a job
 * exists every error carries `id` and `properties` so the engine keeps the job in state.
 * A `Failed` job throws a FailedJobError (no id): there is nothing to keep.
 */
async function importAndWait(ctx: Context): Promise<ImportedModelOutputs> {
    const { inputs, timing } = ctx;
    const progress = await findOrStartJob(ctx);
    let latest: Progress = progress;
    try {
        let model = progress.model;
        if (!model) {
            let job = progress.job;
            if (!job || job.status === "InProgress") {
                job = await waitForJob(ctx, progress.jobName, timing.deadline, (last) => {
                    latest = { ...progress, job: last ?? progress.job };
                    const message =
                        `[${inputs.modelName}] import job ${progress.jobName} (${progress.jobArn ?? "ARN not known yet"}) is still InProgress after ` +
                        `${timing.timeoutMinutes} min (timeoutMinutes). The job keeps running and is recorded in the stack: run "pulumi up" again to ` +
                        `resume waiting (no second job is started), or raise timeoutMinutes.`;
                    return awsErrors.resourceInitError(message, inputs.modelName, outputsFrom(inputs, latest));
                });
            }
            latest = { ...progress, job };
            if (job.status === "Failed") {
                throw failedJobError(inputs, progress, job);
            }
            if (!job.importedModelArn) {
                throw new Error(`import job ${progress.jobName} completed without an importedModelArn`);
            }
            model = await modelAfterCompletion(ctx, job.importedModelArn);
        }
        latest = { ...latest, model };
        const tags = await reconcileTags(ctx, model.modelArn ?? inputs.modelName, desiredTags(inputs));
        return outputsFrom(inputs, { ...latest, tags });
    } catch (err) {
        if (isFailedJobError(err) || awsErrors.isResourceInitError(err)) {
            throw err;
        }
        const message =
            `[${inputs.modelName}] import job ${latest.jobName} exists, but ${awsErrors.errorName(err)}: ${awsErrors.errorMessage(err)}. ` +
            `The job is recorded in the stack; run "pulumi up" again to resume.`;
        throw awsErrors.resourceInitError(message, inputs.modelName, outputsFrom(inputs, latest));
    }
}

function sameValue(a: unknown, b: unknown): boolean {
    const norm = (v: unknown) => (v === undefined || v === null || v === "" ? undefined : v);
    return norm(a) === norm(b);
}

function sameTags(a: unknown, b: unknown): boolean {
    const ta = (a ?? {}) as Record<string, unknown>;
    const tb = (b ?? {}) as Record<string, unknown>;
    if (validation.isUnknown(a) || validation.isUnknown(b)) {
        return false;
    }
    const ka = Object.keys(ta).sort();
    const kb = Object.keys(tb).sort();
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && ta[k] === tb[k] && !validation.isUnknown(tb[k]));
}

const REPLACE_KEYS = ["accountId", "region", "modelName", "s3Uri"] as const;
// owner: a stack renamed, or state from before owners existed (the update adds the tag). providerVersion: the
// engine keeps running the provider code stored in state until an update stores the current code.
const UPDATE_KEYS = ["roleArn", "profile", "assumeRoleArn", "timeoutMinutes", "pollIntervalSeconds", "owner", "providerVersion"] as const;

/** The dynamic provider with every method present and results typed for callers (tests, bench). */
export interface ImportedModelProvider extends dynamic.ResourceProvider<ImportedModelInputs, ImportedModelOutputs> {
    check(olds: ImportedModelInputs, news: ImportedModelInputs): Promise<dynamic.CheckResult<ImportedModelInputs>>;
    diff(id: string, olds: ImportedModelOutputs, news: ImportedModelInputs): Promise<dynamic.DiffResult>;
    create(inputs: ImportedModelInputs): Promise<{ id: string; outs: ImportedModelOutputs }>;
    read(id: string, props?: ImportedModelOutputs): Promise<dynamic.ReadResult<ImportedModelOutputs>>;
    update(id: string, olds: ImportedModelOutputs, news: ImportedModelInputs): Promise<{ outs: ImportedModelOutputs }>;
    delete(id: string, props: ImportedModelOutputs): Promise<void>;
}

/** Builds the provider; tests and the benchmark inject a virtual clock and fake clients. */
export function createImportedModelProvider(deps: ImportedModelProviderDeps = {}): ImportedModelProvider {
    const now = deps.now ?? (() => Date.now());
    const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    const random = deps.random ?? (() => Math.random());
    const makeClients = deps.clients ?? defaultClients;

    // Not named `context`/`describe`: the closure serializer leaves identifiers that exist on the
    // global object (mocha defines both) uncaptured.
    const contextFor = (inputs: ImportedModelInputs): Context => ({
        inputs,
        clients: makeClients({
            accountId: inputs.accountId,
            region: inputs.region,
            profile: inputs.profile,
            assumeRoleArn: inputs.assumeRoleArn,
        }),
        now,
        sleep,
        random,
        timing: timingFor(inputs, now()),
    });

    return {
        async check(_olds: ImportedModelInputs, news: ImportedModelInputs) {
            const failures = validation.validateInputs(news as unknown as Record<string, unknown>);
            return { inputs: news, failures };
        },

        async diff(_id: string, olds: ImportedModelOutputs, news: ImportedModelInputs) {
            const o = olds as unknown as Record<string, unknown>;
            const n = news as unknown as Record<string, unknown>;
            const replaces: string[] = REPLACE_KEYS.filter((key) => validation.isUnknown(n[key]) || !sameValue(o[key], n[key]));
            if (validation.isUnknown(news.kmsKeyArn) || !naming.sameKmsKey(news.kmsKeyArn, olds)) {
                replaces.push("kmsKeyArn");
            }
            const updates: string[] = UPDATE_KEYS.filter((key) => validation.isUnknown(n[key]) || !sameValue(o[key], n[key]));
            if (!sameTags(olds.tags, news.tags)) {
                updates.push("tags");
            }
            // A job still pending (or failed) in state: `update` resumes it, so report a change.
            const pending = olds.jobStatus !== "Completed" || !olds.modelArn;
            return {
                changes: replaces.length > 0 || updates.length > 0 || pending,
                replaces,
                // Imported-model names are unique per account and region: the old one must go first.
                deleteBeforeReplace: replaces.length > 0,
            };
        },

        async create(inputs: ImportedModelInputs) {
            const ctx = contextFor(inputs);
            await assertAccount(ctx);
            const outs = await importAndWait(ctx);
            return { id: inputs.modelName, outs };
        },

        async read(id: string, props?: ImportedModelOutputs) {
            if (!props || !props.accountId || !props.modelName) {
                throw new Error(`[${id}] ImportedModel cannot be read without its stored inputs (pulumi import is not supported for it).`);
            }
            const inputs = inputsOfState(props);
            const ctx = contextFor(inputs);
            // A wrong account would answer "not found" and make refresh drop a live model from state.
            await assertAccount(ctx);
            const identity = identityOf(inputs);
            const base: Progress = { jobName: props.jobName, attempt: props.attempt, jobArn: props.jobArn };
            const withModel = async (model: GetImportedModelCommandOutput, job?: GetModelImportJobCommandOutput) => {
                const tags = userTags(await listTags(ctx, model.modelArn ?? inputs.modelName));
                const outs = outputsFrom(inputs, { ...base, jobArn: model.jobArn ?? base.jobArn, job, model, tags });
                if (Object.keys(tags).length === 0) {
                    delete outs.tags;
                }
                return { id, props: outs };
            };
            if (props.modelArn) {
                const model = await getModel(ctx, props.modelArn);
                return model ? withModel(model) : {};
            }
            const job = props.jobName ? await getJob(ctx, props.jobName) : undefined;
            if (!job) {
                const model = await getModel(ctx, inputs.modelName);
                if (!model || naming.attemptOf(identity, model.jobName) === undefined) return {};
                const owner = (await listTags(ctx, model.modelArn ?? inputs.modelName))[naming.OWNER_TAG_KEY];
                // Found by name only: it is this resource's only when its owner tag says so.
                return owner === undefined || owner === inputs.owner ? withModel(model) : {};
            }
            if (job.status === "Failed") {
                // Nothing billable exists; the next `up` starts a new attempt.
                return {};
            }
            if (job.status === "Completed") {
                const model = job.importedModelArn ? await getModel(ctx, job.importedModelArn) : undefined;
                return model ? withModel(model, job) : {};
            }
            return { id, props: outputsFrom(inputs, { ...base, job }) };
        },

        async update(id: string, olds: ImportedModelOutputs, news: ImportedModelInputs) {
            const ctx = contextFor(news);
            await assertAccount(ctx);
            const model = olds.jobStatus === "Completed" && olds.modelArn ? await getModel(ctx, olds.modelArn) : undefined;
            if (!model) {
                // Pending, failed, or deleted outside Pulumi: resume (or restart) the import.
                try {
                    return { outs: await importAndWait(ctx) };
                } catch (err) {
                    if (isFailedJobError(err)) {
                        // Record the failed attempt so state matches reality; the next `up` starts a new one.
                        throw awsErrors.resourceInitError(err.message, id, outputsFrom(news, err.failedProgress));
                    }
                    throw err;
                }
            }
            await assertOwned(ctx, olds.modelArn ?? id, news.modelName, true);
            try {
                const tags = await reconcileTags(ctx, olds.modelArn ?? id, desiredTags(news));
                return {
                    outs: outputsFrom(news, {
                        jobName: olds.jobName,
                        attempt: olds.attempt,
                        jobArn: olds.jobArn,
                        model,
                        tags,
                    }),
                };
            } catch (err) {
                throw new Error(`[tags] updating the tags of ${olds.modelArn} failed: ${awsErrors.errorName(err)}: ${awsErrors.errorMessage(err)}`, {
                    cause: err,
                });
            }
        },

        async delete(_id: string, props: ImportedModelOutputs) {
            const { DeleteImportedModelCommand } = bedrockSdk();
            const inputs = inputsOfState(props);
            const ctx = contextFor(inputs);
            await assertAccount(ctx);
            let modelArn = props.modelArn;
            if (!modelArn && props.jobName) {
                let job = await getJob(ctx, props.jobName);
                if (job?.status === "InProgress") {
                    // The model would appear after destroy and be billed: wait (bounded) and delete it.
                    job = await waitForJob(
                        ctx,
                        props.jobName,
                        ctx.timing.deadline,
                        () =>
                            new Error(
                                `[${inputs.modelName}] import job ${props.jobName} is still running after ${ctx.timing.timeoutMinutes} min; ` +
                                    `its model will exist once it completes. Run "pulumi destroy" again to keep waiting and delete it.`,
                            ),
                    );
                }
                if (job?.status === "Completed") {
                    modelArn = job.importedModelArn;
                }
            }
            let inState = modelArn !== undefined;
            if (!modelArn) {
                const model = await getModel(ctx, inputs.modelName);
                if (model && naming.attemptOf(identityOf(inputs), model.jobName) !== undefined) {
                    modelArn = model.modelArn;
                    inState = false;
                }
            }
            if (!modelArn) {
                return;
            }
            try {
                await assertOwned(ctx, modelArn, inputs.modelName, inState);
            } catch (err) {
                if (awsErrors.isNotFound(err)) return;
                throw err;
            }
            try {
                await call(ctx, "bedrock", new DeleteImportedModelCommand({ modelIdentifier: modelArn }));
            } catch (err) {
                if (awsErrors.isNotFound(err)) {
                    return;
                }
                throw new Error(
                    `[${inputs.modelName}] deleting imported model ${modelArn} failed: ${awsErrors.errorName(err)}: ${awsErrors.errorMessage(err)}`,
                    {
                        cause: err,
                    },
                );
            }
        },
    };
}
