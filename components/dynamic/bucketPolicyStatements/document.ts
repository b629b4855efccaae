// The shared bucket policy as this resource changes it: replace or remove only the statements its Sid prefix owns,
// and how big the result is. The document model itself (types, parse, equivalence, ownership) is
// components/policies/document.ts. Pure.

import {
    isOwned,
    POLICY_VERSION,
    readPolicy,
    type PolicyDocument,
    type PolicyStatement,
} from "../../policies/document";
import { DOCUMENT_LIMITS, documentSize } from "../../rules";

/**
 * Parses GetBucketPolicy's text. Not expected to fail, since S3 validates every policy it stores; refusing beats
 * rewriting a document not understood.
 */
export function parseBucketPolicy(text: string, where: string): PolicyDocument {
    const read = readPolicy(text);
    if ("problem" in read) {
        throw new Error(
            `${where}: the bucket policy S3 returned ${read.problem}; nothing was changed. Inspect it with ` +
                `"aws s3api get-bucket-policy" and fix it by hand.`,
            { cause: read.cause },
        );
    }
    return read.doc;
}

/**
 * The document with this resource's statements replaced by `ours`; every other statement keeps its content and
 * its place, and Version, Id and any other key stay as they were. Ours go where the first of ours was (so a
 * re-apply does not shuffle the document), or at the end when there were none.
 */
export function replaceOwn(
    doc: PolicyDocument | undefined,
    sidPrefix: string,
    ours: readonly PolicyStatement[],
): PolicyDocument {
    const base: PolicyDocument = doc ?? { Version: POLICY_VERSION, Statement: [] };
    const statements = base.Statement;
    const first = statements.findIndex((s) => isOwned(s, sidPrefix));
    const others = statements.filter((s) => !isOwned(s, sidPrefix));
    const at = first < 0 ? others.length : statements.slice(0, first).filter((s) => !isOwned(s, sidPrefix)).length;
    const copies = ours.map((s) => JSON.parse(JSON.stringify(s)) as PolicyStatement);
    return { ...base, Statement: [...others.slice(0, at), ...copies, ...others.slice(at)] };
}

/** The document without this resource's statements (it may be left with none). */
export function removeOwn(doc: PolicyDocument, sidPrefix: string): PolicyDocument {
    return { ...doc, Statement: doc.Statement.filter((s) => !isOwned(s, sidPrefix)) };
}

/** The text written with PutBucketPolicy: compact JSON, which is also what the size limit is measured on. */
export function policyText(doc: PolicyDocument): string {
    return JSON.stringify(doc);
}

// ---- size ----

export interface PolicySize {
    /** Bytes of the whole document as written. */
    total: number;
    /** Bytes of this resource's statements (each with its separating comma). */
    ours: number;
    /** Bytes of everything else: other statements and the document's envelope. */
    others: number;
    /** S3's limit in bytes. */
    limit: number;
}

export function policySize(doc: PolicyDocument, sidPrefix: string): PolicySize {
    const total = documentSize("bucketPolicy", policyText(doc));
    const ours = doc.Statement.filter((s) => isOwned(s, sidPrefix)).reduce(
        (n, s) => n + Buffer.byteLength(JSON.stringify(s), "utf8") + 1,
        0,
    );
    return { total, ours, others: total - ours, limit: DOCUMENT_LIMITS.bucketPolicy.limit };
}

/**
 * The refusal for a merged policy over S3's size limit ("Bucket policies are limited to 20 KB in size",
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-iam-policies.html), or undefined when it fits.
 * Checked before writing: PutBucketPolicy would refuse it anyway, but only after a round trip and with a
 * message that names neither stack. Measured on the compact JSON that is written; S3 measures its own normalized
 * form, so a document within a few bytes of the limit may still be refused by S3 (then nothing changes either).
 */
export function sizeProblem(doc: PolicyDocument, sidPrefix: string, bucket: string): string | undefined {
    const size = policySize(doc, sidPrefix);
    if (size.total <= size.limit) return undefined;
    return (
        `[statements] the bucket policy of ${bucket} would be ${size.total} bytes with this stack's statements: ` +
        `${size.ours} bytes are this stack's (Sid prefix ${sidPrefix}), ${size.others} bytes are everyone else's, ` +
        `and S3 allows ${size.limit} bytes (${DOCUMENT_LIMITS.bucketPolicy.source}). Nothing was written. ` +
        `Make this stack's statements smaller (fewer model prefixes, or one parent prefix for several models), ` +
        `or ask the owners of the other statements to shrink theirs.`
    );
}
