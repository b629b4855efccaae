// S3 key prefixes of model artifacts, and the s3:// URIs built from them. A prefix ends up in three places:
// the import job's s3Uri, the bucket policy and the execution policy (as `arn:…:s3:::bucket/prefix*`), so it
// must satisfy S3 and IAM's policy grammar at once. Pure; serialized by value into the provider.

import { bucketNameProblems } from "./names";
import { show } from "../show";

/** S3 object keys are at most 1,024 bytes of UTF-8. https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html */
const S3_KEY_MAX_BYTES = 1024;

/**
 * IAM policy documents may hold only tab, LF, CR and U+0020-U+00FF.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html (PolicyDocument pattern)
 */
export const POLICY_TEXT = /^[\t\n\r\u0020-\u00FF]*$/;

/** Normalizes a key prefix to end with exactly one "/"; validate first. */
export function normalizePrefix(prefix: string): string {
    return prefix.replace(/\/+$/, "") + "/";
}

/** Problems with a model's key prefix inside the artifact bucket; empty when valid. */
export function s3PrefixProblems(prefix: string): string[] {
    const p = show(prefix);
    if (prefix.trim() === "") return [`must name the folder of the model inside the bucket, got ${p}`];
    if (/^s3:\/\//i.test(prefix)) return [`must be a key prefix inside the artifact bucket, not an S3 URI, got ${p}; drop "s3://<bucket>/"`];
    const problems: string[] = [];
    if (prefix.startsWith("/")) problems.push(`must not start with "/", got ${p}`);
    // In a policy Resource, * and ? are wildcards: the role could read more than this model.
    if (/[*?]/.test(prefix)) problems.push(`must not contain the wildcards "*" or "?", got ${p}`);
    // ${…} in a policy Resource is a policy variable (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html).
    if (prefix.includes("${")) problems.push(`must not contain "\${", which IAM reads as a policy variable, got ${p}`);
    if (!/^[\u0020-\u00FF]*$/.test(prefix)) {
        const bad = [...prefix].find((c) => !/^[\u0020-\u00FF]$/.test(c)) ?? "";
        problems.push(
            `contains ${JSON.stringify(bad)} (U+${bad.codePointAt(0)?.toString(16).toUpperCase().padStart(4, "0")}); IAM policy documents accept only ` +
                `characters U+0020-U+00FF, so the execution policy could not name this prefix. Rename the folder with ASCII or Latin-1 characters`,
        );
    }
    const segments = prefix.replace(/\/+$/, "").split("/");
    if (segments.some((s) => s === "." || s === "..")) problems.push(`must not contain "." or ".." segments, got ${p}`);
    if (/\/\/./.test(prefix)) problems.push(`must not contain empty segments ("//"), got ${p}`);
    if (segments.some((s) => s !== s.trim())) problems.push(`has a segment with leading or trailing spaces, got ${p}; a stray space names another folder`);
    if (Buffer.byteLength(normalizePrefix(prefix), "utf8") > S3_KEY_MAX_BYTES - 16) {
        problems.push(`is too long: S3 keys are at most ${S3_KEY_MAX_BYTES} bytes including the file names below the prefix`);
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

/** Problems with an import's `s3://bucket/prefix/` URI; the same rules as bucket name plus prefix. */
export function s3UriProblems(uri: string): string[] {
    const loc = parseS3Uri(uri);
    if (!loc) return [`must look like "s3://<bucket>/<prefix>/", got ${show(uri)}`];
    const problems = bucketNameProblems(loc.bucket).map((m) => `bucket ${m}`);
    problems.push(...s3PrefixProblems(loc.prefix));
    if (problems.length === 0 && !loc.prefix.endsWith("/")) {
        problems.push(
            `the prefix must end with "/" (a folder holding config.json and the weights), otherwise it also matches sibling prefixes; use ${show(uri + "/")}`,
        );
    }
    return problems;
}
