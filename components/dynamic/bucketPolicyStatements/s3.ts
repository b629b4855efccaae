// The three S3 calls on the bucket policy, with the answers that are not failures turned into values
// (NoSuchBucketPolicy, NoSuchBucket) and every real failure explained.
// GetBucketPolicy https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketPolicy.html PutBucketPolicy
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html (replaces the whole document)
// DeleteBucketPolicy https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucketPolicy.html Error codes
// (NoSuchBucketPolicy, NoSuchBucket, MalformedPolicy):
// https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList Every call carries
// ExpectedBucketOwner = the development account: bucket names are global, and S3 then answers 403 instead of acting on
// a same-named bucket of another account.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-owner-condition.html

import {
    DeleteBucketPolicyCommand,
    GetBucketPolicyCommand,
    PutBucketPolicyCommand,
    S3Client,
} from "@aws-sdk/client-s3";
import { clientConfig, credentialSource, s3PathStyle } from "../../awsSdk/credentials";
import { describeError, errorName, httpStatus } from "../../awsSdk/errors";
import { callWithRetry, type RetryOptions } from "../../awsSdk/retry";
import type { PolicyDocument } from "../../policies/document";
import { parseBucketPolicy, policyText } from "./document";
import type { AccountInputs, CommandSender } from "./types";

export function s3Client(inputs: AccountInputs, sessionName: string): CommandSender {
    return new S3Client({ ...clientConfig(inputs, sessionName), ...(s3PathStyle() ? { forcePathStyle: true } : {}) });
}

interface BucketTarget extends AccountInputs {
    bucket: string;
}

export interface S3Context {
    s3: CommandSender;
    target: BucketTarget;
    retry: RetryOptions;
}

/** What GetBucketPolicy found: no bucket, a bucket without a policy, or the policy. */
export type LivePolicy = { bucketExists: false } | { bucketExists: true; doc?: PolicyDocument };

function failure(ctx: S3Context, action: string, err: unknown, consequence: string): Error {
    const { bucket, accountId } = ctx.target;
    const name = errorName(err);
    const who = `${credentialSource(ctx.target)} (account ${accountId})`;
    let advice: string;
    if (name === "AccessDenied" || httpStatus(err) === 403) {
        advice =
            `Either bucket ${bucket} is not owned by account ${accountId} (the request names it as the expected ` +
            `owner), or ${who} lacks ` +
            `s3:GetBucketPolicy, s3:PutBucketPolicy and s3:DeleteBucketPolicy on it: grant those three actions ` +
            `to the deploying identity.`;
    } else if (name === "MethodNotAllowed" || httpStatus(err) === 405) {
        advice = `S3 answers 405 to identities outside the bucket owner's account: use credentials of account ${accountId}.`;
    } else if (name === "MalformedPolicy") {
        advice =
            `S3 checks every principal, action and resource of the whole document when it is written; the ` +
            `message above names the offending part. ` +
            `If it is one of this stack's statements, fix the stack; if it is someone else's, the owner of that ` +
            `statement must fix it.`;
    } else {
        advice = `Run "pulumi up" again once the cause is fixed.`;
    }
    return new Error(
        `[bucket] ${action} on bucket ${bucket} with ${who} failed (${describeError(err)}). ${consequence} ${advice}`,
        { cause: err },
    );
}

export async function readPolicy(ctx: S3Context): Promise<LivePolicy> {
    const { bucket, accountId } = ctx.target;
    try {
        const out = (await callWithRetry(ctx.retry, () =>
            ctx.s3.send(new GetBucketPolicyCommand({ Bucket: bucket, ExpectedBucketOwner: accountId })),
        )) as {
            Policy?: string;
        };
        return out.Policy
            ? { bucketExists: true, doc: parseBucketPolicy(out.Policy, `[bucket] ${bucket}`) }
            : { bucketExists: true };
    } catch (err) {
        if (errorName(err) === "NoSuchBucketPolicy") return { bucketExists: true };
        if (errorName(err) === "NoSuchBucket") return { bucketExists: false };
        throw failure(ctx, "s3:GetBucketPolicy", err, "Nothing was changed.");
    }
}

/** Writes the whole document. PutBucketPolicy is all or nothing: when it fails, the previous policy stays in force. */
export async function writePolicy(ctx: S3Context, doc: PolicyDocument): Promise<void> {
    const { bucket, accountId } = ctx.target;
    try {
        // Retrying after a lost response writes the same text again: harmless.
        await callWithRetry(ctx.retry, () =>
            ctx.s3.send(
                new PutBucketPolicyCommand({ Bucket: bucket, Policy: policyText(doc), ExpectedBucketOwner: accountId }),
            ),
        );
    } catch (err) {
        throw failure(
            ctx,
            "s3:PutBucketPolicy",
            err,
            "The bucket policy is as it was before this call (S3 applies a policy whole or not at all).",
        );
    }
}

/** Deletes the policy; a bucket that no longer exists has none, which is what was wanted. */
export async function deletePolicy(ctx: S3Context): Promise<void> {
    const { bucket, accountId } = ctx.target;
    try {
        await callWithRetry(ctx.retry, () =>
            ctx.s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket, ExpectedBucketOwner: accountId })),
        );
    } catch (err) {
        if (errorName(err) === "NoSuchBucket" || errorName(err) === "NoSuchBucketPolicy") return;
        throw failure(ctx, "s3:DeleteBucketPolicy", err, "The bucket policy is as it was before this call.");
    }
}
