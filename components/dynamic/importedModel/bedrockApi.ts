// The Bedrock and STS calls the provider makes, one function each: retried on throttling/5xx/network
// errors, not-found turned into undefined, tags reconciled, ownership and account checked.

import {
    GetImportedModelCommand,
    type GetImportedModelCommandOutput,
    GetModelImportJobCommand,
    type GetModelImportJobCommandOutput,
    ListImportedModelsCommand,
    ListModelImportJobsCommand,
    ListTagsForResourceCommand,
    type ListTagsForResourceCommandOutput,
    TagResourceCommand,
    UntagResourceCommand,
} from "@aws-sdk/client-bedrock";
import * as awsErrors from "../../awsSdk/errors";
import * as identity from "../../awsSdk/identity";
import * as pages from "../../awsSdk/pages";
import * as retry from "../../awsSdk/retry";
import * as naming from "./naming";
import type { ImportedModelInputs } from "./types";
import type { Context } from "./context";
import { MAX_TRANSIENT_RETRIES, sleepBounded } from "./timing";

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
export async function call<T>(
    ctx: Context,
    client: "bedrock" | "sts",
    command: object,
    maxRetries = MAX_TRANSIENT_RETRIES,
): Promise<T> {
    return (await retry.callWithRetry(callRetry(ctx, maxRetries), () => ctx.clients[client].send(command))) as T;
}

export async function getJob(ctx: Context, jobName: string): Promise<GetModelImportJobCommandOutput | undefined> {
    try {
        return await call<GetModelImportJobCommandOutput>(
            ctx,
            "bedrock",
            new GetModelImportJobCommand({ jobIdentifier: jobName }),
        );
    } catch (err) {
        if (awsErrors.isNotFound(err)) {
            return undefined;
        }
        throw err;
    }
}

export async function getModel(
    ctx: Context,
    modelIdentifier: string,
): Promise<GetImportedModelCommandOutput | undefined> {
    try {
        return await call<GetImportedModelCommandOutput>(
            ctx,
            "bedrock",
            new GetImportedModelCommand({ modelIdentifier }),
        );
    } catch (err) {
        if (awsErrors.isNotFound(err)) {
            return undefined;
        }
        throw err;
    }
}

export async function listTags(ctx: Context, resourceARN: string): Promise<Record<string, string>> {
    const out = await call<ListTagsForResourceCommandOutput>(
        ctx,
        "bedrock",
        new ListTagsForResourceCommand({ resourceARN }),
    );
    const tags: Record<string, string> = {};
    for (const tag of out.tags ?? []) {
        if (tag.key !== undefined) {
            tags[tag.key] = tag.value ?? "";
        }
    }
    return tags;
}

/** The tags the model and job carry: the user's, plus the owner tag. */
export function desiredTags(inputs: ImportedModelInputs): Record<string, string> {
    return { ...(inputs.tags ?? {}), ...(inputs.owner ? { [naming.OWNER_TAG_KEY]: inputs.owner } : {}) };
}

/**
 * The tags the model carries: the job's, plus the token of the state entry that holds it. The job itself does not
 * carry the token: a create retried with the same idempotency token must send the same request.
 */
export function modelTags(inputs: ImportedModelInputs): Record<string, string> {
    return { ...desiredTags(inputs), ...(inputs.entryToken ? { [naming.ENTRY_TAG_KEY]: inputs.entryToken } : {}) };
}

/** A live tag map as the user sees it (the owner and entry tags are the provider's own, not inputs). */
export function userTags(live: Record<string, string>): Record<string, string> {
    const out = { ...live };
    for (const key of naming.PROVIDER_TAG_KEYS) delete out[key];
    return out;
}

/**
 * Marks the model as held by this state entry, before anything else touches it. A create that adopts a model another
 * entry holds (the engine may still delete that entry later: a replaced resource pending deletion) takes it over here,
 * so that entry's delete leaves it (see `heldElsewhere`).
 */
export async function claimModel(ctx: Context, modelArn: string): Promise<void> {
    const token = ctx.inputs.entryToken;
    if (!token) return;
    await call(
        ctx,
        "bedrock",
        new TagResourceCommand({ resourceARN: modelArn, tags: [{ key: naming.ENTRY_TAG_KEY, value: token }] }),
    );
}

/**
 * The token of the entry that holds the model now, when that is not `token` (the entry asking); undefined otherwise.
 */
export function heldElsewhere(live: Record<string, string>, token: string | undefined): string | undefined {
    const holder = live[naming.ENTRY_TAG_KEY];
    return holder !== undefined && holder !== token ? holder : undefined;
}

/**
 * Refuses to touch a model another stack owns; returns its live tags. `inState`: the model is recorded in this
 * resource's state, so a model without the tag is ours (a state entry whose model was imported without an owner tag);
 * it gets the tag on this update.
 */
export async function assertOwned(
    ctx: Context,
    modelArn: string,
    modelName: string,
    inState: boolean,
    held?: { owner?: string; entryToken?: string },
): Promise<Record<string, string>> {
    const live = await listTags(ctx, modelArn);
    const owner = live[naming.OWNER_TAG_KEY];
    const { inputs } = ctx;
    // The entry that holds the model (its token on the model) under the owner it recorded: the stack or project was
    // renamed since, and this update retags the model with the new owner.
    const heldHere =
        held?.entryToken !== undefined && live[naming.ENTRY_TAG_KEY] === held.entryToken && owner === held.owner;
    if (owner !== undefined && inputs.owner !== undefined && !naming.sameOwner(owner, inputs.owner) && !heldHere) {
        throw new Error(
            `[${modelName}] imported model ${modelArn} belongs to stack ${owner} (tag ${naming.OWNER_TAG_KEY}), ` +
                `not to ${inputs.owner}; nothing was changed. ` +
                `Two stacks must not share a model: give this stack's model another models[].name, or deploy it ` +
                `to another hosting account.`,
        );
    }
    if (owner === undefined && !inState) {
        throw new Error(
            `[${modelName}] an imported model named "${modelName}" (${modelArn}) already exists in account ` +
                `${inputs.accountId} and carries no ` +
                `${naming.OWNER_TAG_KEY} tag, so no stack is known to own it; nothing was changed. Choose ` +
                `another models[].name, or, to take it over ` +
                `deliberately: aws bedrock tag-resource --resource-arn ${modelArn} --tags key=${naming.OWNER_TAG_KEY},value=${inputs.owner ?? "<project>/<stack>"} ` +
                `--region ${inputs.region}, then pulumi up (this stack then deletes it on destroy).`,
        );
    }
    return live;
}

/** Makes the live tags equal to `desired` with the fewest calls; returns the resulting map. */
export async function reconcileTags(
    ctx: Context,
    resourceARN: string,
    desired: Record<string, string> | undefined,
): Promise<Record<string, string>> {
    const want = desired ?? {};
    const live = await listTags(ctx, resourceARN);
    const removed = Object.keys(live).filter((key) => !(key in want));
    const changed = Object.entries(want).filter(([key, value]) => live[key] !== value);
    if (removed.length > 0) {
        await call(ctx, "bedrock", new UntagResourceCommand({ resourceARN, tagKeys: removed }));
    }
    if (changed.length > 0) {
        await call(
            ctx,
            "bedrock",
            new TagResourceCommand({ resourceARN, tags: changed.map(([key, value]) => ({ key, value })) }),
        );
    }
    return userTags(want);
}

/** How messages name the hosting account, and what a refusal leaves undone. */
const ACCOUNT_ROLE: identity.AccountRole = { what: "hosting account", notDone: "nothing was done in Bedrock" };

/** Refuses to act with credentials of another account; runs before any Bedrock call. */
export async function assertAccount(ctx: Context): Promise<void> {
    ctx.callerArn = await identity.assertAccount(ctx.clients.sts, ctx.inputs, ACCOUNT_ROLE, callRetry(ctx));
}

/** Every page of a Bedrock list call. Bounded: an account holds a handful of imported models and one running import. */
function listAllPages<T>(
    ctx: Context,
    command: (nextToken: string | undefined) => object,
    items: (out: Record<string, unknown>) => T[] | undefined,
): Promise<T[]> {
    return pages.listAll(async (nextToken) => {
        const out = await call<Record<string, unknown>>(ctx, "bedrock", command(nextToken));
        return { items: items(out), next: typeof out.nextToken === "string" ? out.nextToken : undefined };
    }, 100);
}

/** Import jobs running in the account now (ListModelImportJobs, statusEquals InProgress). */
export async function runningImportJobs(ctx: Context): Promise<string[]> {
    return listAllPages(
        ctx,
        (nextToken) =>
            new ListModelImportJobsCommand({
                statusEquals: "InProgress",
                maxResults: 100,
                ...(nextToken ? { nextToken } : {}),
            }),
        (out) => (out.modelImportJobSummaries as Array<{ jobName?: string }> | undefined)?.map((j) => j.jobName ?? "?"),
    );
}

/** Names of the imported models in the account (ListImportedModels). */
export async function importedModelNames(ctx: Context): Promise<string[]> {
    return listAllPages(
        ctx,
        (nextToken) => new ListImportedModelsCommand({ maxResults: 100, ...(nextToken ? { nextToken } : {}) }),
        (out) => (out.modelSummaries as Array<{ modelName?: string }> | undefined)?.map((m) => m.modelName ?? "?"),
    );
}
