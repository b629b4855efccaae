// The dynamic provider behind `ImportedModel`. The engine does not run this module from state: the resource
// registers a small loader (../loader.ts) that requires it from the program's checkout at every operation.
import { randomUUID } from "crypto";
import { DeleteImportedModelCommand, type GetImportedModelCommandOutput, type GetModelImportJobCommandOutput } from "@aws-sdk/client-bedrock";
import * as awsErrors from "../../awsSdk/errors";
import { accountOf } from "../../awsSdk/inputs";
import { configuredAccounts, currentCredentials, type ConfiguredAccounts } from "../../awsSdk/currentAccount";
import { sameValue } from "../../awsSdk/values";
import * as naming from "./naming";
import * as validation from "./validation";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { CompleteProvider } from "../../awsSdk/types";
import type { ImportedModelInputs, ImportedModelOutputs, ImportedModelProviderDeps } from "./types";
import { assertAccount, assertOwned, call, getJob, getModel, heldElsewhere, listTags, modelTags, reconcileTags, userTags } from "./bedrockApi";
import { defaultClients } from "./clients";
import type { Context } from "./context";
import { passedSmokeTest, withSmokeTest } from "./smokeStep";
import { importAndWait, waitForJob } from "./lifecycle";
import { isFailedJobError } from "./messages";
import { consoleProgress } from "./progress";
import { identityOf, inputsOfState, outputsFrom, type Progress } from "./state";
import { timingFor } from "./timing";

export { DEFAULT_POLL_INTERVAL_SECONDS } from "./timing";

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
// owner: a stack renamed, or state from before owners existed (the update adds the tag). providerVersion: the version
// of the loader stored in state (components/dynamic/version.ts); only an update stores a new one.
const UPDATE_KEYS = ["roleArn", "profile", "assumeRoleArn", "timeoutMinutes", "pollIntervalSeconds", "owner", "providerVersion"] as const;

/** The dynamic provider with every method present and results typed for callers (tests, bench). */
export type ImportedModelProvider = CompleteProvider<ImportedModelInputs, ImportedModelOutputs>;

/** Builds the provider; tests and the benchmark inject a virtual clock and fake clients. */
export function createImportedModelProvider(deps: ImportedModelProviderDeps = {}): ImportedModelProvider {
    const now = deps.now ?? (() => Date.now());
    const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    const random = deps.random ?? (() => Math.random());
    const makeClients = deps.clients ?? defaultClients;
    const newEntryToken = deps.newEntryToken ?? (() => randomUUID());
    const progress = deps.progress ?? consoleProgress;

    const context = (inputs: ImportedModelInputs): Context => ({
        inputs,
        clients: makeClients(accountOf(inputs)),
        now,
        sleep,
        random,
        progress,
        timing: timingFor(inputs, now()),
    });
    // The stack's current config, from `configure`; read and delete reach the model with its current credentials.
    const configured: { accounts?: ConfiguredAccounts } = {};
    const storedContext = (props: ImportedModelOutputs): Context => context(currentCredentials(inputsOfState(props), configured.accounts, "modelHosting"));

    return {
        async configure(req: dynamic.ConfigureRequest) {
            configured.accounts = configuredAccounts(req.config);
        },

        async check(_olds: ImportedModelInputs, news: ImportedModelInputs) {
            const failures = validation.validateInputs(news as unknown as Record<string, unknown>);
            return { inputs: news, failures };
        },

        async diff(_id: string, olds: ImportedModelOutputs, news: ImportedModelInputs) {
            return diffModel(olds, news);
        },

        async create(news: ImportedModelInputs) {
            // A new state entry: it holds (tags) only the model this create imports or adopts.
            const inputs = { ...news, entryToken: newEntryToken() };
            const ctx = context(inputs);
            await assertAccount(ctx);
            const outs = await withSmokeTest(ctx, inputs.modelName, await importAndWait(ctx));
            return { id: inputs.modelName, outs };
        },

        async read(id: string, props?: ImportedModelOutputs) {
            if (!props || !props.accountId || !props.modelName) {
                throw new Error(`[${id}] ImportedModel cannot be read without its stored inputs (pulumi import is not supported for it).`);
            }
            const ctx = storedContext(props);
            // A wrong account would answer "not found" and make refresh drop a live model from state.
            await assertAccount(ctx);
            return readModel(ctx, id, props);
        },

        async update(id: string, olds: ImportedModelOutputs, news: ImportedModelInputs) {
            // The same entry: its token (state written before tokens existed gets one now).
            const inputs = { ...news, entryToken: olds.entryToken ?? newEntryToken() };
            const ctx = context(inputs);
            await assertAccount(ctx);
            return updateModel(ctx, id, olds, inputs);
        },

        async delete(_id: string, props: ImportedModelOutputs) {
            const ctx = storedContext(props);
            await assertAccount(ctx);
            await deleteModel(ctx, props);
        },
    };
}

/** Replace on what defines the import, update in place on the rest; a pending job or smoke test is a change too. */
function diffModel(olds: ImportedModelOutputs, news: ImportedModelInputs): dynamic.DiffResult {
    const o = olds as unknown as Record<string, unknown>;
    const n = news as unknown as Record<string, unknown>;
    let replaces: string[] = REPLACE_KEYS.filter((key) => validation.isUnknown(n[key]) || !sameValue(o[key], n[key]));
    if (validation.isUnknown(news.kmsKeyArn) || !naming.sameKmsKey(news.kmsKeyArn, olds)) {
        replaces.push("kmsKeyArn");
    }
    if (replaces.length === 1 && replaces[0] === "modelName" && naming.keepsLegacyName(olds.modelName, news)) {
        // Named by an earlier rule (no version, or a constant for the stack's key), same artifacts and key: keep the name;
        // the next new version or key replaces it.
        replaces = [];
    }
    const updates: string[] = UPDATE_KEYS.filter((key) => validation.isUnknown(n[key]) || !sameValue(o[key], n[key]));
    if (!sameTags(olds.tags, news.tags)) {
        updates.push("tags");
    }
    // A job still pending (or failed) in state: `update` resumes it, so report a change.
    const pending = olds.jobStatus !== "Completed" || !olds.modelArn;
    // A configured smoke test that has not passed for this model yet: `update` runs it (and nothing else).
    const smokePending = !!news.smokeTest && !validation.isUnknown(news.smokeTest) && !olds.smokeTestPassedAt;
    // Names are unique per account and region: only a replacement that keeps the name there must delete first.
    // A new version has a new name, so the new model is created next to the old one, and Pulumi deletes the
    // old one last (https://www.pulumi.com/docs/iac/concepts/options/deletebeforereplace/).
    const sameName = !validation.isUnknown(news.modelName) && sameValue(olds.modelName, news.modelName);
    const samePlace = sameValue(olds.accountId, news.accountId) && sameValue(olds.region, news.region);
    return {
        changes: replaces.length > 0 || updates.length > 0 || pending || smokePending,
        replaces,
        deleteBeforeReplace: replaces.length > 0 && sameName && samePlace,
    };
}

/** The model as it is live, found by its ARN, its job or (owned by this stack) its name; `{}` when it is gone. */
async function readModel(ctx: Context, id: string, props: ImportedModelOutputs): Promise<dynamic.ReadResult<ImportedModelOutputs>> {
    const inputs = ctx.inputs;
    const identity = identityOf(inputs);
    const base: Progress = { jobName: props.jobName, attempt: props.attempt, jobArn: props.jobArn };
    const withModel = async (model: GetImportedModelCommandOutput, job?: GetModelImportJobCommandOutput) => {
        const tags = userTags(await listTags(ctx, model.modelArn ?? inputs.modelName));
        const outs: ImportedModelOutputs = {
            ...outputsFrom(inputs, { ...base, jobArn: model.jobArn ?? base.jobArn, job, model, tags }),
            // What only the provider knows: dropped here, a refresh would make the next up invoke (and bill) the model again.
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
async function updateModel(ctx: Context, id: string, olds: ImportedModelOutputs, news: ImportedModelInputs): Promise<{ outs: ImportedModelOutputs }> {
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
async function deleteModel(ctx: Context, props: ImportedModelOutputs): Promise<void> {
    const inputs = ctx.inputs;
    let modelArn = props.modelArn;
    if (!modelArn && props.jobName) {
        let job = await getJob(ctx, props.jobName);
        if (job?.status === "InProgress") {
            // The model would appear after destroy and be billed: wait (bounded) and delete it.
            job = await waitForJob(
                ctx,
                { jobName: props.jobName, purpose: "destroy", jobArn: props.jobArn ?? job.jobArn, creationTime: job.creationTime },
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
        const holder = heldElsewhere(await assertOwned(ctx, modelArn, inputs.modelName, inState), inputs.entryToken);
        if (holder !== undefined) {
            // Another entry of this stack adopted the model after this one was replaced (a rollback): it serves now.
            ctx.progress(`[${inputs.modelName}] ${modelArn} is not deleted: another resource of this stack holds it now (tag ${naming.ENTRY_TAG_KEY}).`);
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
        throw new Error(`[${inputs.modelName}] deleting imported model ${modelArn} failed: ${awsErrors.describeError(err)}`, {
            cause: err,
        });
    }
}
