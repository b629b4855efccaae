// The shared bucket policy as data: which statements are this resource's (Sid prefix), how to replace or
// remove only those, how to compare statements the way IAM reads them, and how big the result is.
// Pure; serialized by value into the dynamic provider.

import { DOCUMENT_LIMITS, documentSize } from "../rules";
import type { IamStatement, JsonObject, JsonValue, PolicyDocument } from "./types";

/** The policy language version S3 documents for new policies; an existing document keeps its own. */
export const POLICY_VERSION = "2012-10-17";

function isObject(value: unknown): value is JsonObject {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Parses GetBucketPolicy's text. `Statement` may be a single object in a hand-written policy (the grammar allows
 * it); it becomes a one-element list, which is the same policy. Every other top-level key is kept as it was.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 */
export function parsePolicy(text: string, where: string): PolicyDocument {
    // Not expected from S3, which validates every policy it stores; refusing beats rewriting a document not understood.
    const refuse = (what: string, cause?: unknown) =>
        new Error(`${where}: the bucket policy S3 returned ${what}; nothing was changed. Inspect it with "aws s3api get-bucket-policy" and fix it by hand.`, {
            cause,
        });
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch (err) {
        throw refuse(`is not JSON (${(err as Error).message})`, err);
    }
    if (!isObject(parsed)) throw refuse("is not a JSON object");
    const raw = parsed.Statement;
    const statements = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
    if (!statements.every(isObject)) throw refuse("has a Statement that holds something other than objects");
    return { ...parsed, Statement: statements as JsonObject[] } as PolicyDocument;
}

/** True for a statement this resource owns: its Sid starts with the resource's prefix. */
function isOwned(statement: JsonObject, sidPrefix: string): boolean {
    return typeof statement.Sid === "string" && statement.Sid.startsWith(sidPrefix);
}

/** This resource's statements in a live document, in document order. */
export function ownStatements(doc: PolicyDocument | undefined, sidPrefix: string): IamStatement[] {
    return (doc?.Statement ?? []).filter((s) => isOwned(s, sidPrefix)) as unknown as IamStatement[];
}

/**
 * The document with this resource's statements replaced by `ours`; every other statement keeps its content and
 * its place, and Version, Id and any other key stay as they were. Ours go where the first of ours was (so a
 * re-apply does not shuffle the document), or at the end when there were none.
 */
export function replaceOwn(doc: PolicyDocument | undefined, sidPrefix: string, ours: readonly IamStatement[]): PolicyDocument {
    const base: PolicyDocument = doc ?? { Version: POLICY_VERSION, Statement: [] };
    const statements = base.Statement;
    const first = statements.findIndex((s) => isOwned(s, sidPrefix));
    const others = statements.filter((s) => !isOwned(s, sidPrefix));
    const at = first < 0 ? others.length : statements.slice(0, first).filter((s) => !isOwned(s, sidPrefix)).length;
    const copies = ours.map((s) => JSON.parse(JSON.stringify(s)) as JsonObject);
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

// ---- semantic comparison ----
// S3 may return a policy reformatted (white space, key order, a one-element list as a scalar, an account id as its
// root ARN), so statements are compared after normalizing what IAM treats as equal:
// - Action/NotAction, Resource/NotResource, principal and condition values: a scalar equals a one-element list, and
//   order and duplicates do not matter (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html);
// - action names and condition keys are case-insensitive
//   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html,
//   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html);
// - an AWS principal given as an account id means that account's root
//   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-accounts);
// - condition values are strings to IAM ("false" and false are the same Bool condition).

function list(value: JsonValue | undefined): JsonValue[] {
    return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function sortedUnique(values: string[]): string[] {
    return [...new Set(values)].sort();
}

function scalarText(value: JsonValue): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}

function principalValue(kind: string, value: string): string {
    const root = kind === "AWS" ? /^arn:[a-z-]+:iam::(\d{12}):root$/.exec(value) : null;
    return root ? root[1] : value;
}

function normalizePrincipal(value: JsonValue): JsonValue {
    if (!isObject(value)) return value;
    const out: JsonObject = {};
    for (const [kind, v] of Object.entries(value)) out[kind] = sortedUnique(list(v).map((x) => principalValue(kind, scalarText(x))));
    return out;
}

function normalizeCondition(value: JsonValue): JsonValue {
    if (!isObject(value)) return value;
    const out: JsonObject = {};
    for (const [operator, block] of Object.entries(value)) {
        if (!isObject(block)) {
            out[operator] = block;
            continue;
        }
        const keys: JsonObject = {};
        for (const [key, v] of Object.entries(block)) keys[key.toLowerCase()] = sortedUnique(list(v).map(scalarText));
        out[operator] = keys;
    }
    return out;
}

/** Stable JSON: object keys sorted, so key order never makes two equal statements differ. */
function stableJson(value: JsonValue): string {
    if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
    if (isObject(value)) {
        return `{${Object.keys(value)
            .sort()
            .map((k) => `${JSON.stringify(k)}:${stableJson(value[k])}`)
            .join(",")}}`;
    }
    return JSON.stringify(value);
}

/** A canonical text of a statement: equal for two statements IAM reads the same way. */
export function canonicalStatement(statement: JsonObject | IamStatement): string {
    const s = statement as unknown as JsonObject;
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(s)) {
        if (value === undefined) continue;
        if (key === "Action" || key === "NotAction") out[key] = sortedUnique(list(value).map((a) => scalarText(a).toLowerCase()));
        else if (key === "Resource" || key === "NotResource") out[key] = sortedUnique(list(value).map(scalarText));
        else if (key === "Principal" || key === "NotPrincipal") out[key] = normalizePrincipal(value);
        else if (key === "Condition") out[key] = normalizeCondition(value);
        else out[key] = value;
    }
    return stableJson(out);
}

/** True when both lists hold the same statements (as IAM reads them), in any order. */
export function sameStatements(a: ReadonlyArray<JsonObject | IamStatement>, b: ReadonlyArray<JsonObject | IamStatement>): boolean {
    const ca = a.map(canonicalStatement).sort();
    const cb = b.map(canonicalStatement).sort();
    return ca.length === cb.length && ca.every((c, i) => c === cb[i]);
}

/** Sids of `wanted` statements that `live` lacks or holds with other content: for messages. */
export function differingSids(wanted: readonly IamStatement[], live: ReadonlyArray<JsonObject | IamStatement>): string[] {
    const have = new Set(live.map(canonicalStatement));
    return wanted.filter((s) => !have.has(canonicalStatement(s))).map((s) => s.Sid);
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
    const ours = doc.Statement.filter((s) => isOwned(s, sidPrefix)).reduce((n, s) => n + Buffer.byteLength(JSON.stringify(s), "utf8") + 1, 0);
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
