// S3 key prefixes of model artifacts, and the s3:// URIs built from them. A prefix ends up in three places:
// the import job's s3Uri, the bucket policy and the execution policy (as `arn:…:s3:::bucket/prefix*`), so it
// must satisfy Bedrock's s3Uri rule, S3 and IAM's policy grammar at once. Pure.

import { bucketNameProblems } from "./names";
import { show } from "../util/show";

/**
 * S3 object keys are at most 1,024 bytes of UTF-8.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html
 */
const S3_KEY_MAX_BYTES = 1024;

/**
 * IAM policy documents may hold only tab, LF, CR and U+0020-U+00FF.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html (PolicyDocument pattern)
 */
export const POLICY_TEXT = /^[\t\n\r\u0020-\u00FF]*$/;

/**
 * Bedrock's own rule for CreateModelImportJob's modelDataSource.s3DataSource.s3Uri: at most 1,024 characters matching
 * ^s3://[a-z0-9][-.a-z0-9]{1,61}(?:/[-!_*'().a-z0-9A-Z]+(?:/[-!_*'().a-z0-9A-Z]+)*)?/?$
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_S3DataSource.html). Stricter than S3 and IAM: no "=",
 * "+", "@", "~", spaces or non-ASCII letters in a segment, no empty segment, at most one trailing "/", and a bucket
 * name of at most 62 characters (S3 allows 63). Bedrock checks it at CreateModelImportJob, after the role, policy,
 * bucket-policy statements and grant exist, so the program applies it first.
 */
export const BEDROCK_S3_URI =
    /^s3:\/\/[a-z0-9][-.a-z0-9]{1,61}(?:\/[-!_*'().a-z0-9A-Z]+(?:\/[-!_*'().a-z0-9A-Z]+)*)?\/?$/;
const BEDROCK_S3_URI_MAX = 1024;
const BEDROCK_S3_URI_SOURCE = "https://docs.aws.amazon.com/bedrock/latest/APIReference/API_S3DataSource.html";
/** The longest bucket name Bedrock's s3Uri pattern admits: one first character plus at most 61. */
const BEDROCK_BUCKET_NAME_MAX = 62;
const SEGMENT_CHARACTER = /^[-!_*'().a-zA-Z0-9]$/;
const BEDROCK_PREFIX_CHARACTERS = "letters a-z A-Z, digits and - ! _ * ' ( ) .";
// In a policy Resource, * and ? are wildcards
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html), so the role could read
// more than this model. Bedrock's rule allows "*" in a segment; the policies would still grant a wildcard.
const WILDCARDS: readonly string[] = ["*", "?"];

/** Normalizes a key prefix to end with exactly one "/" (however many it ends with); validate first. */
export function normalizePrefix(prefix: string): string {
    return prefix.replace(/\/+$/, "") + "/";
}

function describeCharacter(c: string): string {
    const code = `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
    return c === " " ? `" " (${code}, a space)` : `${JSON.stringify(c)} (${code})`;
}

/** A prefix Bedrock accepts for the same folder: each refused character (and wildcard) becomes "-". */
function acceptedPrefixFor(prefix: string): string {
    const segments = prefix
        .replace(/^\/+/, "")
        .replace(/\/+$/, "")
        .split("/")
        .filter((s) => s !== "" && s !== "." && s !== "..")
        .map((s) =>
            [...s]
                .map((c) => (SEGMENT_CHARACTER.test(c) && !WILDCARDS.includes(c) ? c : "-"))
                .join("")
                .replace(/-{2,}/g, "-"),
        );
    return segments.length ? `${segments.join("/")}/` : "model/";
}

/** How to move the weights to a prefix Bedrock accepts: the part of every prefix refusal that says what to do. */
function moveWeightsHint(prefix: string, bucket = "<bucket>", target = acceptedPrefixFor(prefix)): string {
    const from = `s3://${bucket}/${normalizePrefix(prefix)}`;
    const to = `s3://${bucket}/${target}`;
    return (
        `Move the weights to an accepted prefix, e.g. aws s3 cp --recursive '${from}' '${to}' (or aws s3 sync '${from}' ` +
        `'${to}'), ` +
        `then set s3Prefix: ${JSON.stringify(target)}`
    );
}

/** Problems with the bucket part of Bedrock's s3Uri (beyond S3's naming rules). */
export function bedrockBucketProblems(bucket: string): string[] {
    return bucket.length > BEDROCK_BUCKET_NAME_MAX
        ? [
              `is ${bucket.length} characters; S3 allows 63, but Bedrock's s3Uri rule admits bucket names of at ` +
                  `most ${BEDROCK_BUCKET_NAME_MAX} ` +
                  `(${BEDROCK_S3_URI_SOURCE}), so no model can be imported from it. Copy the weights to a bucket ` +
                  `with a shorter name ` +
                  `(aws s3 sync 's3://${bucket}/<prefix>/' 's3://<new bucket>/<prefix>/')`,
          ]
        : [];
}

/**
 * Problems with a model's key prefix inside the artifact bucket; empty when valid. With `bucket`, the import's whole
 * s3Uri is measured against Bedrock's 1,024 characters, and the move command names the bucket.
 */
export function s3PrefixProblems(prefix: string, bucket?: string): string[] {
    const p = show(prefix);
    if (prefix.trim() === "") return [`must name the folder of the model inside the bucket, got ${p}`];
    if (/^s3:\/\//i.test(prefix)) {
        const m = /^s3:\/\/[^/]*\/?(.*)$/i.exec(prefix);
        return [
            `must be a key prefix inside the artifact bucket, not an S3 URI, got ${p}; drop "s3://<bucket>/" and ` +
                `write s3Prefix: ${show(m?.[1] ?? "")}`,
        ];
    }
    const hint = moveWeightsHint(prefix, bucket);
    const problems: string[] = [];
    if (prefix.startsWith("/"))
        problems.push(`must not start with "/", got ${p}; write s3Prefix: ${show(prefix.replace(/^\/+/, ""))}`);
    const wildcards = WILDCARDS.filter((w) => prefix.includes(w));
    if (wildcards.length) {
        problems.push(
            `contains ${wildcards.map(describeCharacter).join(" and ")}, which IAM reads as wildcards: the ` +
                `bucket and execution policies would ` +
                `then grant a wildcard, and the role could read other folders than this model's; got ${p}. ${hint}`,
        );
    }
    const refused = [
        ...new Set([...prefix].filter((c) => c !== "/" && !SEGMENT_CHARACTER.test(c) && !WILDCARDS.includes(c))),
    ];
    if (refused.length) {
        problems.push(
            `contains ${refused.map(describeCharacter).join(", ")}, which Bedrock's s3Uri rule refuses: each ` +
                `folder name may hold only ` +
                `${BEDROCK_PREFIX_CHARACTERS} (${BEDROCK_S3_URI_SOURCE}); got ${p}. ${hint}`,
        );
    }
    const trimmed = prefix.replace(/\/+$/, "");
    const segments = trimmed.replace(/^\/+/, "").split("/");
    if (segments.some((s) => s === "." || s === ".."))
        problems.push(`must not contain "." or ".." segments, got ${p}. ${hint}`);
    // Trailing slashes are collapsed to one (normalizePrefix); an empty folder name inside the prefix is refused by
    // Bedrock.
    if (trimmed.replace(/^\/+/, "").includes("//")) {
        problems.push(
            `must not contain empty segments ("//" inside the prefix), which Bedrock's s3Uri rule refuses (${BEDROCK_S3_URI_SOURCE}); ` +
                `got ${p}`,
        );
    }
    const uri = bucket ? s3Uri(bucket, normalizePrefix(prefix)) : undefined;
    if (uri !== undefined && uri.length > BEDROCK_S3_URI_MAX) {
        problems.push(
            `makes the import's s3Uri ${uri.length} characters long; Bedrock allows at most ${BEDROCK_S3_URI_MAX} ` +
                `(${BEDROCK_S3_URI_SOURCE}). ` +
                `Move the weights to a shorter prefix (aws s3 cp --recursive or aws s3 sync to s3://${bucket}/<shorter ` +
                `prefix>/)`,
        );
    } else if (Buffer.byteLength(normalizePrefix(prefix), "utf8") > S3_KEY_MAX_BYTES - 16) {
        problems.push(
            `is too long: S3 keys are at most ${S3_KEY_MAX_BYTES} bytes including the file names below the prefix`,
        );
    }
    return problems;
}

interface S3Location {
    bucket: string;
    prefix: string;
}

function parseS3Uri(uri: string): S3Location | undefined {
    const m = /^s3:\/\/([^/]+)\/(.*)$/.exec(uri);
    return m ? { bucket: m[1], prefix: m[2] } : undefined;
}

export function s3Uri(bucket: string, prefix: string): string {
    return `s3://${bucket}/${prefix}`;
}

/**
 * Problems with an import's `s3://bucket/prefix/` URI: the bucket and prefix rules, then Bedrock's pattern as a whole.
 */
export function s3UriProblems(uri: string): string[] {
    const loc = parseS3Uri(uri);
    if (!loc) return [`must look like "s3://<bucket>/<prefix>/", got ${show(uri)}`];
    const problems = [...bucketNameProblems(loc.bucket), ...bedrockBucketProblems(loc.bucket)].map(
        (m) => `bucket ${m}`,
    );
    problems.push(...s3PrefixProblems(loc.prefix, loc.bucket));
    if (problems.length > 0) return problems;
    if (/\/\/$/.test(loc.prefix)) {
        return [
            `ends with more than one "/"; Bedrock's s3Uri rule allows one (${BEDROCK_S3_URI_SOURCE}): use ` +
                `${show(s3Uri(loc.bucket, normalizePrefix(loc.prefix)))}`,
        ];
    }
    if (!loc.prefix.endsWith("/")) {
        return [
            `the prefix must end with "/" (a folder holding config.json and the weights), otherwise it also ` +
                `matches sibling prefixes; use ${show(uri + "/")}`,
        ];
    }
    // The rules above explain every way a URI can fail Bedrock's pattern; this gate keeps them honest.
    if (!BEDROCK_S3_URI.test(uri))
        return [
            `does not match Bedrock's s3Uri pattern ${BEDROCK_S3_URI.source} (${BEDROCK_S3_URI_SOURCE}), got ` +
                `${show(uri)}`,
        ];
    return [];
}
