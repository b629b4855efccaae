// The Bedrock and STS calls the provider makes, one function each: retried on throttling/5xx/network
// errors, not-found turned into undefined, tags reconciled, ownership and account checked.
// Serialized by value into the provider: SDK packages are required inside the functions.

import type { GetImportedModelCommandOutput, GetModelImportJobCommandOutput, ListTagsForResourceCommandOutput } from "@aws-sdk/client-bedrock";
import * as awsErrors from "../../awsAccount/errors";
import * as identity from "../../awsAccount/identity";
import * as pages from "../../awsAccount/pages";
import * as retry from "../../awsAccount/retry";
import * as naming from "./naming";
import type { ImportedModelInputs } from "./types";
import { bedrockSdk } from "./clients";
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
export async function call<T>(ctx: Context, client: "bedrock" | "sts", command: object, maxRetries = MAX_TRANSIENT_RETRIES): Promise<T> {
    return (await retry.callWithRetry(callRetry(ctx, maxRetries), () => ctx.clients[client].send(command))) as T;
}

export async function getJob(ctx: Context, jobName: string): Promise<GetModelImportJobCommandOutput | undefined> {
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

export async function getModel(ctx: Context, modelIdentifier: string): Promise<GetImportedModelCommandOutput | undefined> {
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

export async function listTags(ctx: Context, resourceARN: string): Promise<Record<string, string>> {
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
export function desiredTags(inputs: ImportedModelInputs): Record<string, string> {
    return { ...(inputs.tags ?? {}), ...(inputs.owner ? { [naming.OWNER_TAG_KEY]: inputs.owner } : {}) };
}

/** A live tag map as the user sees it (the owner tag is the provider's own, not an input). */
export function userTags(live: Record<string, string>): Record<string, string> {
    const out = { ...live };
    delete out[naming.OWNER_TAG_KEY];
    return out;
}

/**
 * Refuses to touch a model another stack owns. `inState`: the model is recorded in this resource's state, so a
 * model without the tag is ours from before owners existed (it gets the tag on this update).
 */
export async function assertOwned(ctx: Context, modelArn: string, modelName: string, inState: boolean): Promise<void> {
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
export async function reconcileTags(ctx: Context, resourceARN: string, desired: Record<string, string> | undefined): Promise<Record<string, string>> {
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
    const { ListModelImportJobsCommand } = bedrockSdk();
    return listAllPages(
        ctx,
        (nextToken) => new ListModelImportJobsCommand({ statusEquals: "InProgress", maxResults: 100, ...(nextToken ? { nextToken } : {}) }),
        (out) => (out.modelImportJobSummaries as Array<{ jobName?: string }> | undefined)?.map((j) => j.jobName ?? "?"),
    );
}

/** Names of the imported models in the account (ListImportedModels). */
export async function importedModelNames(ctx: Context): Promise<string[]> {
    const { ListImportedModelsCommand } = bedrockSdk();
    return listAllPages(
        ctx,
        (nextToken) => new ListImportedModelsCommand({ maxResults: 100, ...(nextToken ? { nextToken } : {}) }),
        (out) => (out.modelSummaries as Array<{ modelName?: string }> | undefined)?.map((m) => m.modelName ?? "?"),
    );
}
