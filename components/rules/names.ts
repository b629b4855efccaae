// AWS naming rules: account ids, Bedrock imported-model and job names, S3 bucket names, IAM names and paths.
// Plain data and pure functions only.
// Each function returns the problems of one value (empty when valid), phrased to follow "[config.key] ".

import { show } from "../util/show";

/**
 * An AWS account id: exactly 12 digits.
 * https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-identifiers.html
 */
export const ACCOUNT_ID = /^\d{12}$/;

/**
 * Problems with an account id as read from YAML/JSON (a number is an unquoted YAML integer: accepted when it has 12
 * digits).
 */
export function accountIdProblems(value: unknown): string[] {
    if (typeof value === "number") {
        // `pulumi config set --path x.accountId 123456789012` writes an unquoted YAML integer, and the program receives
        // a number: 12 digits are the id itself. A number cannot keep a leading zero, so fewer digits mean digits were
        // lost; we cannot know which, so the hint says what to write, not which digits.
        if (accountIdFromNumber(value) !== undefined) return [];
        return [
            `must be 12 digits, but YAML read an unquoted number (${value}, ${String(value).length} digits): a ` +
                `number cannot keep ` +
                `leading zeros. Write the account id in quotes, all 12 digits: accountId: "<12 digits>"`,
        ];
    }
    if (typeof value !== "string") return [`must be a 12-digit string, got ${show(value)}`];
    return ACCOUNT_ID.test(value) ? [] : [`must be a 12-digit string, got ${show(value)}`];
}

/** The account id a YAML integer stands for: its 12 digits as a string, or undefined when it is not one. */
function accountIdFromNumber(value: number): string | undefined {
    return Number.isInteger(value) && value >= 1e11 && value < 1e12 ? String(value) : undefined;
}

// CreateModelImportJob: importedModelName 1-63, ^([0-9a-zA-Z][_-]?)+$; jobName 1-63,
// ^[a-zA-Z0-9](-*[a-zA-Z0-9\+\-\.])*$.
// https://docs.aws.amazon.com/bedrock/latest/APIReference/API_CreateModelImportJob.html
const IMPORTED_MODEL_NAME = /^([0-9a-zA-Z][_-]?)+$/;
export const IMPORTED_MODEL_NAME_MAX = 63;
const JOB_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9+\-.])*$/;
export const JOB_NAME_MAX = 63;

/** Problems with an imported model name; `max` is lower when the program appends a version suffix. */
export function importedModelNameProblems(name: string, max = IMPORTED_MODEL_NAME_MAX): string[] {
    const problems: string[] = [];
    if (!IMPORTED_MODEL_NAME.test(name)) {
        problems.push(
            `must be letters and digits, optionally separated by single "-" or "_" (Bedrock's imported model ` +
                `name rule), got ${show(name)}`,
        );
    }
    if (max < IMPORTED_MODEL_NAME_MAX && IMPORTED_MODEL_NAME.test(name) && /[-_]$/.test(name)) {
        // "<name>-<version>" must itself follow the rule, which allows no "--" or "_-".
        problems.push(
            `must not end with "-" or "_": the program appends "-<version>" and Bedrock's name rule allows no "${name.slice(-1)}-"`,
        );
    }
    if (name.length > max) {
        problems.push(
            max === IMPORTED_MODEL_NAME_MAX
                ? `must be at most ${max} characters (Bedrock's limit), got ${name.length}`
                : `must be at most ${max} characters: the program appends a version suffix and Bedrock allows ` +
                      `${IMPORTED_MODEL_NAME_MAX} in all; got ${name.length}`,
        );
    }
    return problems;
}

export function jobNameProblems(name: string): string[] {
    const problems: string[] = [];
    if (!JOB_NAME.test(name)) problems.push(`must match ${JOB_NAME.source} (no "_"), got ${show(name)}`);
    if (name.length > JOB_NAME_MAX) problems.push(`must be at most ${JOB_NAME_MAX} characters, got ${name.length}`);
    return problems;
}

/**
 * Problems with an S3 general purpose bucket name.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 */
export function bucketNameProblems(name: string): string[] {
    const problems: string[] = [];
    if (name.length < 3 || name.length > 63) problems.push("must be 3 to 63 characters long");
    if (!/^[a-z0-9.-]*$/.test(name)) problems.push("may contain only lowercase letters, digits, dots and hyphens");
    if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name))
        problems.push("must begin and end with a lowercase letter or digit");
    if (name.includes("..")) problems.push("must not contain two adjacent dots");
    if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) problems.push("must not be formatted as an IP address");
    for (const prefix of ["xn--", "sthree-", "amzn-s3-demo-"]) {
        if (name.startsWith(prefix)) problems.push(`must not start with "${prefix}"`);
    }
    for (const suffix of ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"]) {
        if (name.endsWith(suffix)) problems.push(`must not end with "${suffix}"`);
    }
    return problems.map((p) => `${p}, got ${show(name)}`);
}

// IAM names: roles 1-64, managed policies 1-128, both [\w+=,.@-]; paths /…/ of [\x21-\x7E], at most 512.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html
const IAM_NAME = /^[\w+=,.@-]+$/;
const IAM_LIMITS = { roleName: 64, policyName: 128, userName: 64, path: 512 } as const;

export function iamNameProblems(name: string, kind: "roleName" | "policyName" | "userName"): string[] {
    const max = IAM_LIMITS[kind];
    return name.length >= 1 && name.length <= max && IAM_NAME.test(name)
        ? []
        : [`must be 1 to ${max} characters of letters, digits and + = , . @ _ - (IAM's rule), got ${show(name)}`];
}

/** An IAM path: "/" or "/a/b/" of printable ASCII, at most 512 characters. */
export function iamPathProblems(path: string): string[] {
    return path.length <= IAM_LIMITS.path && /^\/([\x21-\x7E]*\/)?$/.test(path) && !path.includes("//")
        ? []
        : [
              `has an invalid IAM path ${show(path)} (IAM paths are "/" or "/segment/.../", printable ASCII, at ` +
                  `most 512 characters)`,
          ];
}

/**
 * STS role session names: 2-64 characters of [\w+=,.@-].
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
 */
export function sessionNameFor(text: string): string {
    return text.replace(/[^\w+=,.@-]/g, "-").slice(0, 64);
}

/**
 * KMS alias names: "alias/" + 1-250 of [a-zA-Z0-9/_-], not "alias/aws/".
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html
 */
export function kmsAliasNameFor(base: string): string {
    return `alias/${base.replace(/[^a-zA-Z0-9/_-]/g, "-")}`.slice(0, 256);
}

/**
 * KMS grant names: 1-256 of [a-zA-Z0-9:/_-]. https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateGrant.html
 */
export function kmsGrantNameFor(base: string): string {
    return base.replace(/[^a-zA-Z0-9:/_-]/g, "-").slice(0, 256);
}

// "The Sid element supports ASCII uppercase letters (A-Z), lowercase letters (a-z), and numbers (0-9)", and
// "the Sid value must be unique within a JSON policy".
export const SID = /^[A-Za-z0-9]+$/;
export const SID_SOURCE = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html";
