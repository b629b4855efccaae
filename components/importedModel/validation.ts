// Input validation for `check`. Pure functions; serialized by value into the dynamic provider.

import { ACCOUNT_ID, IMPORTED_MODEL_NAME } from "../awsNames";
import { isAwsRegion } from "../regions";

export interface InputFailure {
    property: string;
    reason: string;
}

/**
 * During `pulumi preview` an input computed from a resource not created yet (say the execution
 * role's ARN) reaches the provider as this sentinel; it is not a value to validate.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isUnknown(value: unknown): boolean {
    return value === UNKNOWN;
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::([0-9]{12}):role\/[\w+=,.@/-]{1,512}$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const KEY_ID = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;
const KEY_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):([0-9]{12}):(key\/(.+)|alias\/([a-zA-Z0-9/_-]{1,250}))$/;
const ALIAS_NAME = /^alias\/[a-zA-Z0-9/_-]{1,250}$/;
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

export const MAX_TIMEOUT_MINUTES = 7 * 24 * 60;
export const MAX_POLL_SECONDS = 3600;

function show(value: unknown): string {
    return typeof value === "string" ? JSON.stringify(value) : String(value);
}

/** Returns one failure per bad property, each naming the property and what to do. */
export function validateInputs(news: Record<string, unknown>): InputFailure[] {
    const failures: InputFailure[] = [];
    const fail = (property: string, reason: string) => failures.push({ property, reason });
    const str = (property: string, required: boolean): string | undefined => {
        const value = news[property];
        if (isUnknown(value)) {
            return undefined;
        }
        if (value === undefined || value === null || value === "") {
            if (required) {
                fail(property, `[${property}] is required`);
            }
            return undefined;
        }
        if (typeof value !== "string") {
            fail(property, `[${property}] must be a string, got ${show(value)}`);
            return undefined;
        }
        return value;
    };

    const accountId = str("accountId", true);
    if (accountId !== undefined && !ACCOUNT_ID.test(accountId)) {
        fail("accountId", `[accountId] must be a 12-digit AWS account id, got ${show(accountId)}`);
    }
    const region = str("region", true);
    if (region !== undefined && !isAwsRegion(region)) {
        fail("region", `[region] must be an AWS region name such as "us-east-1", got ${show(region)}`);
    }
    str("profile", false);
    str("stackName", false);

    const assumeRoleArn = str("assumeRoleArn", false);
    if (assumeRoleArn !== undefined) {
        const m = ROLE_ARN.exec(assumeRoleArn);
        if (!m) {
            fail("assumeRoleArn", `[assumeRoleArn] must be an IAM role ARN (arn:aws:iam::<account>:role/<name>), got ${show(assumeRoleArn)}`);
        } else if (accountId !== undefined && ACCOUNT_ID.test(accountId) && m[1] !== accountId) {
            fail("assumeRoleArn", `[assumeRoleArn] must be a role in the hosting account ${accountId}, got one in ${m[1]}`);
        }
    }

    const modelName = str("modelName", true);
    if (modelName !== undefined && (modelName.length > 63 || !IMPORTED_MODEL_NAME.test(modelName))) {
        fail(
            "modelName",
            `[modelName] must be 1-63 characters of letters and digits, optionally separated by single "-" or "_" (pattern ^([0-9a-zA-Z][_-]?)+$), got ${show(modelName)}`,
        );
    }

    const roleArn = str("roleArn", true);
    if (roleArn !== undefined) {
        const m = ROLE_ARN.exec(roleArn);
        if (!m) {
            fail("roleArn", `[roleArn] must be an IAM role ARN (arn:aws:iam::<account>:role/<name>), got ${show(roleArn)}`);
        } else if (accountId !== undefined && ACCOUNT_ID.test(accountId) && m[1] !== accountId) {
            fail("roleArn", `[roleArn] the execution role must live in the hosting account ${accountId} (Bedrock assumes it there), got one in ${m[1]}`);
        }
    }

    const s3Uri = str("s3Uri", true);
    if (s3Uri !== undefined) {
        const m = /^s3:\/\/([^/]+)\/(.*)$/.exec(s3Uri);
        if (!m) {
            fail("s3Uri", `[s3Uri] must look like "s3://<bucket>/<prefix>/", got ${show(s3Uri)}`);
        } else if (!BUCKET.test(m[1]) || m[1].includes("..") || /^\d+\.\d+\.\d+\.\d+$/.test(m[1])) {
            fail("s3Uri", `[s3Uri] bucket ${show(m[1])} is not a valid S3 bucket name (3-63 lowercase letters, digits, "." and "-")`);
        } else if (m[2] !== "" && !m[2].endsWith("/")) {
            fail(
                "s3Uri",
                `[s3Uri] the prefix must end with "/" (a folder holding config.json and the weights), otherwise it also matches sibling prefixes; got ${show(s3Uri)}, use ${show(s3Uri + "/")}`,
            );
        } else if (m[2].includes("//") || s3Uri.length > 1024) {
            fail("s3Uri", `[s3Uri] must not contain empty path segments and must be at most 1024 characters, got ${show(s3Uri)}`);
        }
    }

    const kms = str("kmsKeyArn", false);
    if (kms !== undefined) {
        const arn = KEY_ARN.exec(kms);
        if (arn) {
            if (arn[4] !== undefined && !KEY_ID.test(arn[4])) {
                fail("kmsKeyArn", `[kmsKeyArn] key ARN has an invalid key id ${show(arn[4])}`);
            } else if (region !== undefined && isAwsRegion(region) && arn[1] !== region) {
                fail("kmsKeyArn", `[kmsKeyArn] KMS keys are regional: the key must be in ${region} (the import's region), got one in ${arn[1]}`);
            }
        } else if (!KEY_ID.test(kms) && !ALIAS_NAME.test(kms)) {
            fail("kmsKeyArn", `[kmsKeyArn] must be a KMS key ARN, key id, alias name ("alias/<name>") or alias ARN, got ${show(kms)}`);
        }
    }

    const tags = news.tags;
    if (tags !== undefined && tags !== null && !isUnknown(tags)) {
        if (typeof tags !== "object" || Array.isArray(tags)) {
            fail("tags", `[tags] must be a map of string to string`);
        } else {
            const entries = Object.entries(tags as Record<string, unknown>);
            if (entries.length > 50) {
                fail("tags", `[tags] at most 50 tags are allowed, got ${entries.length}`);
            }
            for (const [key, value] of entries) {
                if (isUnknown(value)) {
                    continue;
                }
                if (key.length < 1 || key.length > 128 || !TAG_TEXT.test(key) || key.toLowerCase().startsWith("aws:")) {
                    fail("tags", `[tags] key ${show(key)} must be 1-128 characters of letters, digits, spaces and _.:/=+-@, not starting with "aws:"`);
                }
                if (typeof value !== "string") {
                    fail("tags", `[tags.${key}] must be a string, got ${show(value)}`);
                } else if (value.length > 256 || !TAG_TEXT.test(value)) {
                    fail("tags", `[tags.${key}] value must be at most 256 characters of letters, digits, spaces and _.:/=+-@`);
                }
            }
        }
    }

    const timeout = news.timeoutMinutes;
    if (timeout !== undefined && timeout !== null && !isUnknown(timeout)) {
        if (typeof timeout !== "number" || !Number.isFinite(timeout) || timeout <= 0 || timeout > MAX_TIMEOUT_MINUTES) {
            fail("timeoutMinutes", `[timeoutMinutes] must be a number of minutes in (0, ${MAX_TIMEOUT_MINUTES}], got ${show(timeout)}`);
        }
    }
    const poll = news.pollIntervalSeconds;
    if (poll !== undefined && poll !== null && !isUnknown(poll)) {
        if (typeof poll !== "number" || !Number.isFinite(poll) || poll <= 0 || poll > MAX_POLL_SECONDS) {
            fail("pollIntervalSeconds", `[pollIntervalSeconds] must be a number of seconds in (0, ${MAX_POLL_SECONDS}] (fractions allowed), got ${show(poll)}`);
        } else if (typeof timeout === "number" && timeout > 0 && poll > timeout * 60) {
            fail("pollIntervalSeconds", `[pollIntervalSeconds] (${poll} s) must not exceed timeoutMinutes (${timeout} min)`);
        }
    }
    return failures;
}
