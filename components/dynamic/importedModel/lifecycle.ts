// The imported model's lifecycle, one function per operation the provider runs (provider.ts wires them to the engine):
// - create: import (find or start this import's job, wait for it, read its model, tag it), then the smoke test;
// - read: the model as it is live (refresh), found by its ARN, its job, or its name when this stack owns it;
// - update: resume an import not completed yet, or reconcile the tags and run a smoke test not passed yet;
// - delete: wait (bounded) for a job still running, then delete the model this state entry holds.
// The job itself (find, start, wait) is importJob.ts; the Bedrock calls are bedrockApi.ts.

import {
    DeleteImportedModelCommand,
    type GetImportedModelCommandOutput,
    type GetModelImportJobCommandOutput,
} from "@aws-sdk/client-bedrock";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import * as awsErrors from "../../awsSdk/errors";
import * as naming from "./naming";
import {
    assertOwned,
    call,
    getJob,
    getModel,
    heldElsewhere,
    listTags,
    modelTags,
    reconcileTags,
    userTags,
} from "./bedrockApi";
import type { Context } from "./context";
import { importAndWait, waitForJob } from "./importJob";
import { isFailedJobError } from "./messages";
import { passedSmokeTest, withSmokeTest } from "./smokeStep";
import { identityOf, outputsFrom, type Progress } from "./state";
import type { ImportedModelInputs, ImportedModelOutputs } from "./types";

/** Imports the model (or adopts this import's job or model) and runs its smoke test; the resource's id is its name. */
export async function createModel(ctx: Context): Promise<{ id: string; outs: ImportedModelOutputs }> {
    const { modelName } = ctx.inputs;
    return { id: modelName, outs: await withSmokeTest(ctx, modelName, await importAndWait(ctx)) };
}

/** The model as it is live, found by its ARN, its job or (owned by this stack) its name; `{}` when it is gone. */
export async function readModel(
    ctx: Context,
    id: string,
    props: ImportedModelOutputs,
): Promise<dynamic.ReadResult<ImportedModelOutputs>> {
    const inputs = ctx.inputs;
    const identity = identityOf(inputs);
    const base: Progress = { jobName: props.jobName, attempt: props.attempt, jobArn: props.jobArn };
    const withModel = async (model: GetImportedModelCommandOutput, job?: GetModelImportJobCommandOutput) => {
        const tags = userTags(await listTags(ctx, model.modelArn ?? inputs.modelName));
        const outs: ImportedModelOutputs = {
            ...outputsFrom(inputs, { ...base, jobArn: model.jobArn ?? base.jobArn, job, model, tags }),
            // What only the provider knows: dropped here, a refresh would make the next up invoke (and bill) the model
            // again.
            ...passedSmokeTest(props, model.modelArn),
        };
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
        return owner === undefined || naming.sameOwner(owner, inputs.owner) ? withModel(model) : {};
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
}

/** Resumes an import not completed yet; otherwise reconciles the tags and runs a smoke test not passed yet. */
export async function updateModel(
    ctx: Context,
    id: string,
    olds: ImportedModelOutputs,
    news: ImportedModelInputs,
): Promise<{ outs: ImportedModelOutputs }> {
    const model = olds.jobStatus === "Completed" && olds.modelArn ? await getModel(ctx, olds.modelArn) : undefined;
    if (!model) {
        // Pending, failed, or deleted outside Pulumi: resume (or restart) the import.
        try {
            return { outs: await withSmokeTest(ctx, id, await importAndWait(ctx)) };
        } catch (err) {
            if (isFailedJobError(err)) {
                // Record the failed attempt so state matches reality; the next `up` starts a new one.
                throw awsErrors.resourceInitError(err.message, id, outputsFrom(news, err.failedProgress));
            }
            throw err;
        }
    }
    await assertOwned(ctx, olds.modelArn ?? id, news.modelName, true, olds);
    let outs: ImportedModelOutputs;
    try {
        const tags = await reconcileTags(ctx, olds.modelArn ?? id, modelTags(news));
        outs = {
            ...outputsFrom(news, { jobName: olds.jobName, attempt: olds.attempt, jobArn: olds.jobArn, model, tags }),
            // A model that passed its smoke test is not invoked again (every invocation is billed).
            ...passedSmokeTest(olds, model.modelArn),
        };
    } catch (err) {
        throw new Error(`[tags] updating the tags of ${olds.modelArn} failed: ${awsErrors.describeError(err)}`, {
            cause: err,
        });
    }
    return { outs: await withSmokeTest(ctx, id, outs) };
}

/** Deletes the model this resource owns, waiting (bounded) for a job still running; a model already gone is fine. */
export async function deleteModel(ctx: Context, props: ImportedModelOutputs): Promise<void> {
    const inputs = ctx.inputs;
    let modelArn = props.modelArn;
    if (!modelArn && props.jobName) {
        let job = await getJob(ctx, props.jobName);
        if (job?.status === "InProgress") {
            // The model would appear after destroy and be billed: wait (bounded) and delete it.
            job = await waitForJob(
                ctx,
                {
                    jobName: props.jobName,
                    purpose: "destroy",
                    jobArn: props.jobArn ?? job.jobArn,
                    creationTime: job.creationTime,
                },
                ctx.timing.deadline,
                () =>
                    new Error(
                        `[${inputs.modelName}] import job ${props.jobName} is still running after ` +
                            `${ctx.timing.timeoutMinutes} min; ` +
                            `its model will exist once it completes. Run "pulumi destroy" again to keep waiting ` +
                            `and delete it.`,
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
        const holder = heldElsewhere(await assertOwned(ctx, modelArn, inputs.modelName, inState), inputs.entryToken);
        if (holder !== undefined) {
            // Another entry of this stack adopted the model after this one was replaced (a rollback): it serves now.
            ctx.progress(
                `[${inputs.modelName}] ${modelArn} is not deleted: another resource of this stack holds it now ` +
                    `(tag ${naming.ENTRY_TAG_KEY}).`,
            );
            return;
        }
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
            `[${inputs.modelName}] deleting imported model ${modelArn} failed: ${awsErrors.describeError(err)}`,
            {
                cause: err,
            },
        );
    }
}
