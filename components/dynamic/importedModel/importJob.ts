// The import itself: find or start this import's job, wait for it, read its model, apply tags. Every wait
// goes through the injectable clock and ends at the deadline.

import {
    CreateModelImportJobCommand,
    type CreateModelImportJobCommandOutput,
    type GetImportedModelCommandOutput,
    GetModelImportJobCommand,
    type GetModelImportJobCommandOutput,
} from "@aws-sdk/client-bedrock";
import * as awsErrors from "../../awsSdk/errors";
import * as errors from "./errors";
import * as naming from "./naming";
import type { ImportedModelOutputs } from "./types";
import {
    assertOwned,
    claimModel,
    desiredTags,
    getJob,
    getModel,
    importedModelNames,
    modelTags,
    reconcileTags,
    runningImportJobs,
} from "./bedrockApi";
import type { Context } from "./context";
import { ensureRoom } from "./room";
import { accessDeniedText, failedJobError, importedModelsQuotaError, isFailedJobError } from "./messages";
import { identityOf, outputsFrom, type Progress } from "./state";
import { boundedWait, jobIntro, jobOutcome, operationWait, type JobWatch, type WaitProgress } from "./progress";
import {
    MAX_ATTEMPTS,
    MODEL_VISIBILITY_RETRIES,
    ROLE_WINDOW_SETTING,
    roleWaitMs,
    sleepBounded,
    statusWaitMs,
    transientWaitMs,
} from "./timing";

/**
 * Polls the job until it is `Completed` or `Failed`. The first wait is the poll interval; later
 * waits follow `statusWaitMs`. Throttling and 5xx answers count as a missed poll. At the deadline
 * `onDeadline` decides what to throw. `watch` names the job and says why it is waited on (progress lines).
 */
export async function waitForJob(
    ctx: Context,
    watch: JobWatch,
    deadline: number,
    onDeadline: (last: GetModelImportJobCommandOutput | undefined) => Error,
): Promise<GetModelImportJobCommandOutput> {
    const { jobName } = watch;
    const started = ctx.now();
    const report = operationWait(ctx, `import job ${jobName}`);
    report.note(jobIntro(ctx, watch));
    let last: GetModelImportJobCommandOutput | undefined;
    let notFound = 0;
    for (;;) {
        await sleepBounded(ctx, statusWaitMs(ctx.timing, ctx.now() - started), deadline);
        try {
            last = (await ctx.clients.bedrock.send(
                new GetModelImportJobCommand({ jobIdentifier: jobName }),
            )) as GetModelImportJobCommandOutput;
            if (last.status === "Completed" || last.status === "Failed") {
                report.end(jobOutcome(last), true);
                return last;
            }
            report.poll(last.status ?? "status not reported");
        } catch (err) {
            // A job created a moment ago may not be readable yet (eventual consistency).
            const tolerated =
                awsErrors.isTransient(err) || (awsErrors.isNotFound(err) && ++notFound <= MODEL_VISIBILITY_RETRIES);
            if (!tolerated) {
                throw err;
            }
        }
        if (ctx.now() >= deadline) {
            report.end(
                `still ${last?.status ?? "not readable"} at the deadline: giving up (the job keeps running in Bedrock)`,
                true,
            );
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
        await sleepBounded(
            ctx,
            roleWaitMs(ctx.timing, retry),
            ctx.timing.deadline + ctx.timing.pollMs * MODEL_VISIBILITY_RETRIES,
        );
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
    const { inputs, timing } = ctx;
    const tags = Object.entries(desiredTags(inputs)).map(([key, value]) => ({ key, value }));
    // The job's own tags win over the model's on the same key; the owner tag is the provider's.
    const jobTags = Object.entries(desiredTags({ ...inputs, tags: { ...inputs.tags, ...inputs.jobTags } })).map(
        ([key, value]) => ({ key, value }),
    );
    const command = new CreateModelImportJobCommand({
        jobName,
        importedModelName: inputs.modelName,
        roleArn: inputs.roleArn,
        modelDataSource: { s3DataSource: { s3Uri: inputs.s3Uri } },
        clientRequestToken: naming.clientRequestTokenFor(jobName),
        ...(inputs.kmsKeyArn ? { importedModelKmsKeyId: inputs.kmsKeyArn } : {}),
        ...(tags.length > 0 ? { importedModelTags: tags } : {}),
        ...(jobTags.length > 0 ? { jobTags } : {}),
    });
    const started = ctx.now();
    let roleRetries = 0;
    let transientRetries = 0;
    let quotaSince: number | undefined;
    let quotaRechecked = false;
    // Progress of the two waits before a job exists: a busy account, a role Bedrock cannot use yet.
    let quotaWait: WaitProgress | undefined;
    let roleWait: WaitProgress | undefined;
    for (;;) {
        try {
            const out = (await ctx.clients.bedrock.send(command)) as CreateModelImportJobCommandOutput;
            quotaWait?.end("the account is free, import started");
            roleWait?.end("Bedrock accepts the execution role, import started");
            return { jobName, attempt, jobArn: out.jobArn };
        } catch (err) {
            const now = ctx.now();
            if (awsErrors.isConflict(err)) {
                const job = await getJob(ctx, jobName);
                if (job) {
                    return { jobName, attempt, jobArn: job.jobArn, job };
                }
                throw new Error(
                    `[${inputs.modelName}] CreateModelImportJob ${jobName} conflicted with another request: ` +
                        `${awsErrors.errorMessage(err)}`,
                    {
                        cause: err,
                    },
                );
            }
            if (errors.isQuotaExceeded(err)) {
                // Two quotas answer this way
                // (https://docs.aws.amazon.com/general/latest/gr/bedrock.html#limits_bedrock): one concurrent import
                // job per account (waiting helps) and imported models per account (waiting never helps).
                const running = await runningImportJobs(ctx);
                if (running.length === 0) {
                    // The running job may have finished between our create and the listing: one more create tells.
                    if (!quotaRechecked) {
                        quotaRechecked = true;
                        continue;
                    }
                    throw importedModelsQuotaError(inputs, await importedModelNames(ctx), err);
                }
                quotaSince ??= now;
                quotaWait ??= operationWait(ctx, `import job ${jobName}`);
                quotaWait.poll(
                    `not started: account ${inputs.accountId} is busy with import job ${running.join(", ")} ` +
                        `(Bedrock runs one import per account at a time)`,
                );
                if (now >= timing.deadline) {
                    throw new Error(
                        `[${inputs.modelName}] Bedrock allows one model import at a time per account, and ` +
                            `account ${inputs.accountId} stayed busy for ` +
                            `${timing.timeoutMinutes} min (ServiceQuotaExceededException: ` +
                            `${awsErrors.errorMessage(err)}). No job was started; run "pulumi up" again later.`,
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
                    const roleDeadline = Math.min(timing.deadline, started + timing.roleWindowMs);
                    roleWait ??= boundedWait(ctx, `import job ${jobName}`, started, roleDeadline, ROLE_WINDOW_SETTING);
                    roleWait.poll(
                        `not started: Bedrock cannot use the execution role ${inputs.roleArn} yet (a new IAM ` +
                            `role takes a moment to propagate)`,
                    );
                    await sleepBounded(ctx, roleWaitMs(timing, roleRetries++), roleDeadline);
                    continue;
                }
                throw new Error(
                    `[roleArn] Bedrock still rejects the execution role ${inputs.roleArn} after ` +
                        `${Math.round((now - started) / 1000)} s ` +
                        `(${awsErrors.describeError(err)}). A new role becomes usable within a minute; if this ` +
                        `persists, check that ` +
                        `its trust policy allows bedrock.amazonaws.com (aws:SourceAccount = ${inputs.accountId}) ` +
                        `and that the deploying credentials may ` +
                        `call bedrock:CreateModelImportJob and iam:PassRole on it. No job was started.`,
                    { cause: err },
                );
            }
            if (awsErrors.isTransient(err) && now < timing.deadline) {
                await sleepBounded(ctx, transientWaitMs(timing, transientRetries++, ctx.random()), timing.deadline);
                continue;
            }
            throw new Error(
                `[${inputs.modelName}] CreateModelImportJob ${jobName} failed: ${awsErrors.describeError(err)}. ` +
                    (errors.isAboutTags(err)
                        ? `Check the model's tags (${Object.keys(inputs.tags ?? {}).length} on this model; Bedrock ` +
                          `allows 50, keys and values of letters, digits, spaces and . _ : / = + @ -).`
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
                    // Never adopt by name what another stack (or nobody known) owns: its destroy would delete a model
                    // in use.
                    await assertOwned(ctx, existing.modelArn ?? inputs.modelName, inputs.modelName, false);
                } else if (naming.attemptOf(identity, existing.jobName) === undefined) {
                    throw new Error(
                        `[modelName] an imported model named "${inputs.modelName}" already exists in account ` +
                            `${inputs.accountId} (${inputs.region}) ` +
                            `(${existing.modelArn}, imported by job ${existing.jobName ?? "unknown"}) and was ` +
                            `not created by this import. ` +
                            `Choose another modelName, or delete that model (aws bedrock delete-imported-model ` +
                            `--model-identifier ${inputs.modelName} --region ${inputs.region}) if it is unused.`,
                    );
                }
                // Ours (owner tag), but its job record cannot be read under this attempt's name: adopt the model as it
                // is.
                await claimModel(ctx, existing.modelArn ?? inputs.modelName);
                return {
                    jobName: existing.jobName ?? jobName,
                    attempt: naming.attemptOf(identity, existing.jobName) ?? attempt,
                    jobArn: existing.jobArn,
                    model: existing,
                };
            }
            // Fail before any job exists when the account has no slot for this model (rules/quotas.ts).
            await ensureRoom(ctx);
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
            // Adopted: another state entry may hold it (a rollback to the inputs of a replaced entry pending deletion).
            await claimModel(ctx, model.modelArn ?? job.importedModelArn ?? inputs.modelName);
            return { jobName, attempt, jobArn: job.jobArn, job, model };
        }
        return { jobName, attempt, jobArn: job.jobArn, job };
    }
    throw new Error(
        `[${inputs.modelName}] ${MAX_ATTEMPTS} import attempts of these inputs exist already; change modelName ` +
            `or s3Uri to start over.`,
    );
}

/** The job `up` waits for: started now, or found running (then its creation time says since when). */
function importWatch(progress: Progress): JobWatch {
    return {
        jobName: progress.jobName,
        purpose: "import",
        jobArn: progress.jobArn,
        startedNow: !progress.job,
        creationTime: progress.job?.creationTime,
    };
}

/**
 * Create/resume: find or start the job, wait for it, read the model, apply tags. Once a job
 * exists every error carries `id` and `properties` so the engine keeps the job in state.
 * A `Failed` job throws a FailedJobError (no id): there is nothing to keep.
 */
export async function importAndWait(ctx: Context): Promise<ImportedModelOutputs> {
    const { inputs, timing } = ctx;
    const progress = await findOrStartJob(ctx);
    let latest: Progress = progress;
    try {
        let model = progress.model;
        if (!model) {
            let job = progress.job;
            if (!job || job.status === "InProgress") {
                job = await waitForJob(ctx, importWatch(progress), timing.deadline, (last) => {
                    latest = { ...progress, job: last ?? progress.job };
                    const message =
                        `[${inputs.modelName}] import job ${progress.jobName} (${progress.jobArn ?? "ARN not known yet"}) ` +
                        `is still InProgress after ` +
                        `${timing.timeoutMinutes} min (timeoutMinutes). The job keeps running and is recorded in ` +
                        `the stack: run "pulumi up" again to ` +
                        `resume waiting (no second job is started), or raise ${inputs.configPath ?? "models[i]"}.timeoutMinutes ` +
                        `in the stack config.`;
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
        const tags = await reconcileTags(ctx, model.modelArn ?? inputs.modelName, modelTags(inputs));
        return outputsFrom(inputs, { ...latest, tags });
    } catch (err) {
        if (isFailedJobError(err) || awsErrors.isResourceInitError(err)) {
            throw err;
        }
        const message =
            `[${inputs.modelName}] import job ${latest.jobName} exists, but ${awsErrors.describeError(err)}. ` +
            `The job is recorded in the stack; run "pulumi up" again to resume.`;
        throw awsErrors.resourceInitError(message, inputs.modelName, outputsFrom(inputs, latest));
    }
}
