// A lease on the shared bucket policy that every stack of this program takes before it reads, changes, writes and
// reads back its statements. S3 has no conditional PutBucketPolicy, so two stacks converging at once could each
// write a document read before the other's write and drop (or bring back) the other's statements. The lease is an
// object in the bucket itself, created only when absent (PutObject with If-None-Match: *) and, once expired, taken
// over only when unchanged (If-Match on its ETag):
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html (412 PreconditionFailed when the
// condition fails; 409 ConditionalRequestConflict when another conditional write on the key is under way: retry).
// Released with a DeleteObject conditional on our ETag, so a lease taken over after expiry is never removed by us:
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-deletes.html (If-Match with an ETag needs
// s3:DeleteObject and s3:GetObject; 412 when the ETag differs).
// Writers that do not run this program (the research team, a script) do not take the lease; the converge loop's
// read-back still sees and repairs what they change.

import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { describeError, errorName, httpStatus } from "../../awsSdk/errors";
import { backoffMs, callWithRetry } from "../../awsSdk/retry";
import type { S3Context } from "./s3";

/** The one key every stack uses on a bucket; the deployer needs s3:PutObject/GetObject/DeleteObject on it only. */
export const LEASE_KEY = "bedrock-cmi/bucket-policy.lease";
/** A holder that vanished (killed process) blocks others this long. A converge holds it for a few seconds. */
export const LEASE_TTL_MS = 120_000;
/** Waits between attempts while another stack holds the lease: 250 ms doubling to 4 s, jittered. */
const WAIT_BASE_MS = 250;
const WAIT_CAP_MS = 4000;

export interface LeaseDeps {
    now: () => number;
    sleep: (ms: number) => Promise<void>;
    random: () => number;
}

interface LeaseBody {
    holder: string;
    expiresAt: number;
}

/** A lease this run holds: its ETag, to release it only while it is still ours. */
export interface HeldLease {
    etag: string;
    holder: string;
}

/** The condition failed (someone holds it, or changed it): not an error, a reason to look again. */
function lostRace(err: unknown): boolean {
    const name = errorName(err);
    return (
        name === "PreconditionFailed" ||
        name === "ConditionalRequestConflict" ||
        httpStatus(err) === 412 ||
        httpStatus(err) === 409
    );
}

function leaseFailure(ctx: S3Context, action: string, err: unknown): Error {
    const { bucket, accountId } = ctx.target;
    const denied = errorName(err) === "AccessDenied" || httpStatus(err) === 403;
    return new Error(
        `[bucket] ${action} on s3://${bucket}/${LEASE_KEY} failed (${describeError(err)}). This stack takes that ` +
            `object as a lease before it changes ` +
            `the bucket policy, so that two stacks never overwrite each other's statements; nothing was changed. ` +
            (denied
                ? `Either bucket ${bucket} is not owned by account ${accountId} (the request names it as the ` +
                  `expected owner), or the deployer lacks access: `
                : "") +
            `grant the development deployer s3:PutObject, s3:GetObject and s3:DeleteObject on arn:aws:s3:::${bucket}/${LEASE_KEY}, ` +
            `then run the command again.`,
        { cause: err },
    );
}

async function put(
    ctx: S3Context,
    body: LeaseBody,
    condition: { IfNoneMatch: "*" } | { IfMatch: string },
): Promise<string | undefined> {
    const { bucket, accountId } = ctx.target;
    try {
        const out = (await callWithRetry(ctx.retry, () =>
            ctx.s3.send(
                new PutObjectCommand({
                    Bucket: bucket,
                    Key: LEASE_KEY,
                    Body: JSON.stringify(body),
                    ContentType: "application/json",
                    // SSE-S3 whatever the bucket default: no KMS permission is needed for this small object.
                    ServerSideEncryption: "AES256",
                    ExpectedBucketOwner: accountId,
                    ...condition,
                }),
            ),
        )) as { ETag?: string };
        return out.ETag ?? "";
    } catch (err) {
        if (lostRace(err)) return undefined;
        throw leaseFailure(ctx, "s3:PutObject", err);
    }
}

async function current(ctx: S3Context): Promise<{ etag: string; body?: LeaseBody } | "noBucket" | undefined> {
    const { bucket, accountId } = ctx.target;
    try {
        const out = (await callWithRetry(ctx.retry, () =>
            ctx.s3.send(new GetObjectCommand({ Bucket: bucket, Key: LEASE_KEY, ExpectedBucketOwner: accountId })),
        )) as { ETag?: string; Body?: { transformToString(): Promise<string> } };
        const text = (await out.Body?.transformToString()) ?? "";
        try {
            const body = JSON.parse(text) as Partial<LeaseBody>;
            const ok = typeof body.holder === "string" && typeof body.expiresAt === "number";
            return { etag: out.ETag ?? "", body: ok ? (body as LeaseBody) : undefined };
        } catch {
            return { etag: out.ETag ?? "" }; // Unreadable: treated as expired, taken over on its ETag.
        }
    } catch (err) {
        if (errorName(err) === "NoSuchBucket") return "noBucket";
        if (errorName(err) === "NoSuchKey" || httpStatus(err) === 404) return undefined;
        throw leaseFailure(ctx, "s3:GetObject", err);
    }
}

/**
 * Takes the lease: creates it when absent, takes it over when expired, else waits (a bounded wait for the holder's
 * release or its expiry) and looks again. Gives up with an error naming the holder after `deadlineMs`. Undefined:
 * the bucket does not exist, so there is no policy to protect (the converge reports that itself).
 */
export async function acquire(
    ctx: S3Context,
    deps: LeaseDeps,
    holder: string,
    deadlineMs = 2 * LEASE_TTL_MS,
): Promise<HeldLease | undefined> {
    const started = deps.now();
    for (let attempt = 0; ; attempt++) {
        const body = { holder, expiresAt: deps.now() + LEASE_TTL_MS };
        const seen = await current(ctx);
        if (seen === "noBucket") return undefined;
        let etag: string | undefined;
        if (!seen) etag = await put(ctx, body, { IfNoneMatch: "*" });
        else if (seen.body?.holder === holder)
            return { etag: seen.etag, holder }; // Our own write, its answer lost.
        else if (!seen.body || seen.body.expiresAt <= deps.now()) etag = await put(ctx, body, { IfMatch: seen.etag });
        if (etag !== undefined) return { etag, holder };
        if (deps.now() - started > deadlineMs) {
            throw new Error(
                `[bucket] s3://${ctx.target.bucket}/${LEASE_KEY} stayed held by another stack (${seen?.body?.holder ?? "unknown"}) ` +
                    `for ` +
                    `${Math.round(deadlineMs / 1000)} s, so this stack did not change the bucket policy. Another ` +
                    `"pulumi up" or "destroy" on this ` +
                    `bucket is still running: wait for it and run the command again.`,
            );
        }
        await deps.sleep(backoffMs(Math.min(attempt, 8), deps.random(), WAIT_BASE_MS, WAIT_CAP_MS));
    }
}

/** Releases the lease when it is still ours; one taken over after expiry is the new holder's and stays. */
export async function release(ctx: S3Context, lease: HeldLease): Promise<void> {
    const { bucket, accountId } = ctx.target;
    try {
        await callWithRetry(ctx.retry, () =>
            ctx.s3.send(
                new DeleteObjectCommand({
                    Bucket: bucket,
                    Key: LEASE_KEY,
                    IfMatch: lease.etag,
                    ExpectedBucketOwner: accountId,
                }),
            ),
        );
    } catch (err) {
        if (lostRace(err) || errorName(err) === "NoSuchKey" || httpStatus(err) === 404) return;
        throw leaseFailure(ctx, "s3:DeleteObject", err);
    }
}
