// The dynamic provider behind `BucketPolicyStatements`: this stack's statements in a bucket policy that the
// research team and other stacks share. It never owns the document, only the statements whose Sid starts with
// its prefix; everything else is written back exactly as it was read. The engine does not run this module from
// state: the resource registers a small loader (../loader.ts) that requires it from the program's checkout.
import { randomUUID } from "crypto";
import { appendFileSync } from "fs";
import type { CompleteProvider } from "../../awsSdk/types";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import * as awsErrors from "../../awsSdk/errors";
import * as identity from "../../awsSdk/identity";
import { accountOf } from "../../awsSdk/inputs";
import { configuredAccounts, currentCredentials, type ConfiguredAccounts } from "../../config/currentAccount";
import * as retry from "../../awsSdk/retry";
import { compact, sameValue } from "../../awsSdk/values";
import * as policyDocument from "../../policies/document";
import type { PolicyDocument } from "../../policies/document";
import * as document from "./document";
import * as lease from "./lease";
import * as naming from "./naming";
import * as s3 from "./s3";
import { pick } from "../fields";
import {
    REPLACE_KEYS,
    STORED_INPUT_KEYS,
    UPDATE_KEYS,
    type BucketPolicyStatementsInputs,
    type BucketPolicyStatementsOutputs,
} from "./fields";
import type { AccountInputs, BucketPolicyClients, BucketPolicyStatementsProviderDeps, CommandSender } from "./types";
import * as validation from "./validation";

/** The STS session name when the provider assumes `assumeRoleArn` (visible in the account's CloudTrail). */
const SESSION_NAME = "pulumi-bedrock-bucket-policy";
/** How messages name the account whose credentials are checked, and what a refusal leaves undone. */
const ACCOUNT_ROLE: identity.AccountRole = {
    what: "development account (the bucket owner)",
    notDone: "nothing was read or changed",
    notDoneUnconfirmed: "nothing was changed",
};
/** Writes of one document before giving up on a writer that keeps replacing it. */
export const MAX_APPLY_ATTEMPTS = 4;
/** Waits between those writes: 1 s doubling to 8 s, jittered, so two stacks writing at once drift apart. */
const APPLY_BASE_MS = 1000;
const APPLY_CAP_MS = 8000;
/** Throttling/5xx/network retries of a single S3 or STS call. */
const CALL_RETRIES = 5;
const CALL_BASE_MS = 500;
const CALL_CAP_MS = 8000;

interface Context {
    inputs: BucketPolicyStatementsInputs;
    s3: s3.S3Context;
    sts: CommandSender;
    sleep: (ms: number) => Promise<void>;
    random: () => number;
    now: () => number;
    beforePolicyWrite: () => Promise<void>;
}

/**
 * TEST ONLY: the engine suite (tests/engine/race.engine.ts) sets these variables for one stack's Pulumi process to
 * hold that stack's writer between its read and its write, the window in which, without the lease, a concurrent
 * writer's change is lost. The marker file gets a line when the hold starts, so the test starts the other stack
 * then. Unset in every real deployment (nothing happens); the hold is bounded (60 s at most).
 */
export const TEST_WRITE_DELAY_ENV = "BEDROCK_CMI_TEST_POLICY_WRITE_DELAY_MS";
export const TEST_WRITE_MARKER_ENV = "BEDROCK_CMI_TEST_POLICY_WRITE_MARKER";

function testWriteDelay(sleep: (ms: number) => Promise<void>): () => Promise<void> {
    return async () => {
        const ms = Number(process.env.BEDROCK_CMI_TEST_POLICY_WRITE_DELAY_MS ?? "0");
        if (!(ms > 0)) return;
        const marker = process.env.BEDROCK_CMI_TEST_POLICY_WRITE_MARKER;
        if (marker) appendFileSync(marker, `${Date.now()}\n`);
        await sleep(Math.min(ms, 60_000));
    };
}

/** Production clients for the bucket owner's account. */
function defaultClients(inputs: AccountInputs): BucketPolicyClients {
    return { s3: s3.s3Client(inputs, SESSION_NAME), sts: identity.stsClientFor(inputs, SESSION_NAME) };
}

function outputsFor(
    inputs: BucketPolicyStatementsInputs,
    live: PolicyDocument | undefined,
): BucketPolicyStatementsOutputs {
    return compact<BucketPolicyStatementsOutputs>({
        ...pick(inputs, STORED_INPUT_KEYS),
        statements: policyDocument.ownStatements(live, inputs.sidPrefix),
    });
}

/** What one converge run aims for: the document it writes, and how to tell that the live one is as wanted. */
interface Goal {
    next(live: PolicyDocument | undefined): PolicyDocument;
    done(live: PolicyDocument | undefined): boolean;
    /** The bucket does not exist: an error to throw, or undefined when that is fine. */
    noBucket(): Error | undefined;
    /** The live policy still is not as wanted after the last attempt. */
    gaveUp(live: PolicyDocument | undefined, writes: number): Error;
}

/** What a converge run did so far, readable after it failed. */
interface Progress {
    wrote: boolean;
    live?: PolicyDocument;
}

function putGoal(inputs: BucketPolicyStatementsInputs): Goal {
    const { bucket, sidPrefix, statements } = inputs;
    return {
        next: (live) => document.replaceOwn(live, sidPrefix, statements),
        done: (live) => policyDocument.sameStatements(policyDocument.ownStatements(live, sidPrefix), statements),
        noBucket: () =>
            new Error(
                `[bucket] bucket ${bucket} does not exist in account ${inputs.accountId} (S3 answered ` +
                    `NoSuchBucket), so its policy cannot hold this ` +
                    `stack's statements. Check the bucket name, or let the stack create the bucket; nothing was ` +
                    `written.`,
            ),
        gaveUp: (live, writes) =>
            new Error(
                `[statements] another writer keeps replacing the bucket policy of ${bucket}: after ${writes} ` +
                    `writes the policy read back still lacks ` +
                    `this stack's statements ` +
                    `${policyDocument.differingSids(statements, policyDocument.ownStatements(live, sidPrefix)).join(", ")} ` +
                    `(Sid prefix ${sidPrefix}). ` +
                    `Something else writes the whole document (an aws.s3.BucketPolicy, a Terraform ` +
                    `aws_s3_bucket_policy, CloudFormation, a script); ` +
                    `CloudTrail's PutBucketPolicy events on ${bucket} name it. Make it keep statements whose Sid ` +
                    `starts with ${sidPrefix}, then run ` +
                    `"pulumi up" again. No statement of anyone else was removed by this stack.`,
            ),
    };
}

function removeGoal(inputs: BucketPolicyStatementsInputs): Goal {
    const { bucket, sidPrefix } = inputs;
    return {
        next: (live) => document.removeOwn(live ?? policyDocument.policyDocument([]), sidPrefix),
        done: (live) => policyDocument.ownStatements(live, sidPrefix).length === 0,
        noBucket: () => undefined,
        gaveUp: (live) =>
            new Error(
                `[statements] this stack's statements (${policyDocument
                    .ownStatements(live, sidPrefix)
                    .map((s) => s.Sid)
                    .join(
                        ", ",
                    )}) keep coming back in the bucket policy of ${bucket} after ${MAX_APPLY_ATTEMPTS} removals: another writer puts an ` +
                    `old copy of the document back. Find it with CloudTrail's PutBucketPolicy events on ${bucket}, ` +
                    `stop it, then run "pulumi destroy" again.`,
            ),
    };
}

/**
 * Read, change only what is ours, write, read back. When the read-back is not as wanted, someone wrote in between
 * (or S3's bucket configuration had not caught up: it is eventually consistent,
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/Welcome.html#ConsistencyModel): start again from what is
 * live now, a bounded number of times with jittered backoff. S3 has no conditional PutBucketPolicy: stacks of this
 * program run this under the lease (lease.ts), so none of them writes between another's read and read-back; a
 * writer outside the program (no lease) is seen by the read-back and repaired, or reported after the last attempt.
 */
async function converge(ctx: Context, goal: Goal, progress: Progress): Promise<PolicyDocument | undefined> {
    const { bucket, sidPrefix } = ctx.inputs;
    let live = await s3.readPolicy(ctx.s3);
    for (let writes = 0; ;) {
        if (!live.bucketExists) {
            const err = goal.noBucket();
            if (err) throw err;
            return undefined;
        }
        progress.live = live.doc;
        if (goal.done(live.doc)) return live.doc;
        if (writes >= MAX_APPLY_ATTEMPTS) throw goal.gaveUp(live.doc, writes);
        if (writes > 0) await ctx.sleep(retry.backoffMs(writes - 1, ctx.random(), APPLY_BASE_MS, APPLY_CAP_MS));
        await ctx.beforePolicyWrite();
        const next = goal.next(live.doc);
        const tooBig = document.sizeProblem(next, sidPrefix, bucket);
        if (tooBig) throw new Error(tooBig);
        if (next.Statement.length === 0) {
            // S3 refuses a policy without statements; deleting is the only way to leave none. Only reached when
            // nothing but our own statements was left a moment ago.
            await s3.deletePolicy(ctx.s3);
        } else {
            await s3.writePolicy(ctx.s3, next);
        }
        writes++;
        progress.wrote = true;
        live = await s3.readPolicy(ctx.s3);
    }
}

/** `converge` while holding the bucket's lease, released afterwards whatever happened. */
async function convergeLeased(ctx: Context, goal: Goal, progress: Progress): Promise<PolicyDocument | undefined> {
    const holder = `${ctx.inputs.sidPrefix}/${randomUUID()}`;
    const held = await lease.acquire(ctx.s3, ctx, holder);
    try {
        return await converge(ctx, goal, progress);
    } finally {
        if (held) await lease.release(ctx.s3, held);
    }
}

/** The dynamic provider with every method present and results typed for callers (tests). */
export type BucketPolicyStatementsProvider = CompleteProvider<
    BucketPolicyStatementsInputs,
    BucketPolicyStatementsOutputs
>;

/** Builds the provider; tests inject clients, a clock and randomness. */
export function createBucketPolicyStatementsProvider(
    deps: BucketPolicyStatementsProviderDeps = {},
): BucketPolicyStatementsProvider {
    const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    const random = deps.random ?? (() => Math.random());
    const now = deps.now ?? (() => Date.now());
    const beforePolicyWrite = deps.beforePolicyWrite ?? testWriteDelay(sleep);
    const makeClients = deps.clients ?? defaultClients;

    const context = (inputs: BucketPolicyStatementsInputs): Context => {
        const target = accountOf(inputs);
        const clients = makeClients(target);
        const callRetry: retry.RetryOptions = {
            sleep,
            random,
            maxRetries: CALL_RETRIES,
            baseMs: CALL_BASE_MS,
            capMs: CALL_CAP_MS,
        };
        return {
            inputs,
            s3: { s3: clients.s3, target: { ...target, bucket: inputs.bucket }, retry: callRetry },
            sts: clients.sts,
            sleep,
            random,
            now,
            beforePolicyWrite,
        };
    };
    // The stack's current config, from `configure`; read and delete reach the bucket with its current credentials.
    const configured: { accounts?: ConfiguredAccounts } = {};
    const storedContext = (props: BucketPolicyStatementsOutputs): Context =>
        context(currentCredentials(props, configured.accounts, "modelDevelopment"));
    const checkAccount = (ctx: Context) => identity.assertAccount(ctx.sts, ctx.inputs, ACCOUNT_ROLE, ctx.s3.retry);

    return {
        async configure(req: dynamic.ConfigureRequest) {
            configured.accounts = configuredAccounts(req.config);
        },

        async check(_olds: BucketPolicyStatementsInputs, news: BucketPolicyStatementsInputs) {
            return { inputs: news, failures: validation.validateInputs(news as unknown as Record<string, unknown>) };
        },

        async diff(_id: string, olds: BucketPolicyStatementsOutputs, news: BucketPolicyStatementsInputs) {
            const o = olds as unknown as Record<string, unknown>;
            const n = news as unknown as Record<string, unknown>;
            const changed = (key: string) => validation.isUnknownValue(n[key]) || !sameValue(o[key], n[key]);
            const replaces: string[] = REPLACE_KEYS.filter(changed);
            const updates: string[] = UPDATE_KEYS.filter(changed);
            // olds.statements are the live ones (as S3 formats them), so drift seen by `refresh` is an update too.
            if (
                validation.containsUnknown(news.statements) ||
                !policyDocument.sameStatements(olds.statements ?? [], news.statements ?? [])
            )
                updates.push("statements");
            // Replacing within one bucket: when the old and new prefixes overlap, deleting the old resource after
            // creating the new one would remove the new statements too, so the old one goes first.
            const overlap =
                olds.bucket === news.bucket &&
                typeof news.sidPrefix === "string" &&
                (news.sidPrefix.startsWith(olds.sidPrefix) || olds.sidPrefix.startsWith(news.sidPrefix));
            return {
                changes: replaces.length > 0 || updates.length > 0,
                replaces,
                deleteBeforeReplace: replaces.length > 0 && overlap,
            };
        },

        async create(inputs: BucketPolicyStatementsInputs) {
            const ctx = context(inputs);
            await checkAccount(ctx);
            const id = naming.resourceIdFor(inputs.bucket, inputs.sidPrefix);
            const progress: Progress = { wrote: false };
            try {
                const live = await convergeLeased(ctx, putGoal(inputs), progress);
                return { id, outs: outputsFor(inputs, live) };
            } catch (err) {
                if (!progress.wrote) throw err;
                // Something was written: keep the resource in state so `destroy` can remove it; the next `up` updates
                // it.
                throw awsErrors.resourceInitError((err as Error).message, id, outputsFor(inputs, progress.live));
            }
        },

        async read(id: string, props?: BucketPolicyStatementsOutputs) {
            if (!props || !props.accountId || !props.bucket || !props.sidPrefix) {
                throw new Error(
                    `[${id}] BucketPolicyStatements cannot be read without its stored inputs (pulumi import is ` +
                        `not supported for it).`,
                );
            }
            const ctx = storedContext(props);
            await checkAccount(ctx);
            const live = await s3.readPolicy(ctx.s3);
            // The bucket is gone, and our statements with it. Statements gone but bucket there: the resource stays
            // with `statements: []`, so the next `up` shows an update that puts them back (not a create of a
            // resource Pulumi forgot), and `destroy` still has an id to act on.
            if (!live.bucketExists) return {};
            return { id, props: outputsFor(props, live.doc) };
        },

        async update(_id: string, _olds: BucketPolicyStatementsOutputs, news: BucketPolicyStatementsInputs) {
            const ctx = context(news);
            await checkAccount(ctx);
            const live = await convergeLeased(ctx, putGoal(news), { wrote: false });
            return { outs: outputsFor(news, live) };
        },

        async delete(_id: string, props: BucketPolicyStatementsOutputs) {
            const ctx = storedContext(props);
            await checkAccount(ctx);
            await convergeLeased(ctx, removeGoal(props), { wrote: false });
        },
    };
}
