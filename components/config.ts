// Parses and validates the stack config (the contract in scenario.md) into typed, defaulted values.
// Pure and synchronous: index.ts calls it before any provider or resource exists, so bad config
// creates nothing. Every problem is collected and reported at once, each naming its key in brackets.

import { ACCOUNT_ID, IMPORTED_MODEL_NAME } from "./awsNames";
import { AWS_REGIONS, isAwsRegion, partitionOf } from "./regions";

export interface AccountCredentials {
    /** AWS shared-config profile. */
    profile?: string;
    /** Role to assume in the account (on top of the profile or the default credential chain). */
    assumeRoleArn?: string;
}

export interface ModelDevelopmentConfig extends AccountCredentials {
    accountId: string;
    region: string;
    artifactBucket: {
        name: string;
        /** true: the stack creates the bucket; false: it exists and only its policy is managed. */
        create: boolean;
    };
    kms: {
        /** true: the stack creates the development CMK (new buckets). */
        enabled: boolean;
        /** The research team's existing key that encrypts the artifacts: granted to the execution role, not edited. */
        keyArn?: string;
    };
}

export interface ModelHostingConfig extends AccountCredentials {
    accountId: string;
    region: string;
    executionRoleName: string;
    executionPolicyName: string;
    kms: {
        /** true: the stack creates the hosting CMK and encrypts imported models with it. */
        enabled: boolean;
        /** IAM role ARNs that invoke the imported models and must decrypt through Bedrock. */
        invokers: string[];
    };
    troubleshooting: { allowAssumeFrom: string[] };
}

export interface ModelConfig {
    /** Imported model name. */
    name: string;
    /** Key prefix of the Hugging Face layout, normalized to end with "/". */
    s3Prefix: string;
    tags: Record<string, string>;
}

export interface StackConfig {
    modelDevelopment: ModelDevelopmentConfig;
    modelHosting: ModelHostingConfig;
    models: ModelConfig[];
}

/** The raw values of the three config keys, as `pulumi.Config#getObject` returns them. */
export interface RawStackConfig {
    modelDevelopment?: unknown;
    modelHosting?: unknown;
    models?: unknown;
}

export const CONFIG_NAMESPACE = "bedrock-cross-account-import";

export class ConfigError extends Error {
    constructor(readonly problems: readonly string[]) {
        super(
            `Invalid stack config for ${CONFIG_NAMESPACE} (${problems.length} problem${problems.length === 1 ? "" : "s"}); ` +
                `fix these keys in Pulumi.<stack>.yaml (or with \`pulumi config set --path\`) and run again. Nothing was created.\n` +
                problems.map((p) => `  - ${p}`).join("\n"),
        );
        this.name = "ConfigError";
    }
}

// ---- AWS naming rules -----------------------------------------------------------------------------

// IAM role names: 1-64 characters, policy names 1-128, both from [\w+=,.@-].
const IAM_NAME = /^[\w+=,.@-]+$/;
const IAM_PRINCIPAL_ARN = /^arn:(aws|aws-cn|aws-us-gov):(iam|sts)::(\d{12}):(root|user\/[\w+=,.@/-]+|role\/[\w+=,.@/-]+|assumed-role\/[\w+=,.@/-]+)$/;
const ROLE_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;

/** Problems with an S3 bucket name, per the S3 general purpose bucket naming rules; empty when valid. */
export function bucketNameProblems(name: string): string[] {
    const problems: string[] = [];
    if (name.length < 3 || name.length > 63) problems.push("must be 3 to 63 characters long");
    if (!/^[a-z0-9.-]*$/.test(name)) problems.push("may contain only lowercase letters, digits, dots and hyphens");
    if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) problems.push("must begin and end with a lowercase letter or digit");
    if (name.includes("..")) problems.push("must not contain two adjacent dots");
    if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) problems.push("must not be formatted as an IP address");
    for (const prefix of ["xn--", "sthree-", "amzn-s3-demo-"]) {
        if (name.startsWith(prefix)) problems.push(`must not start with "${prefix}"`);
    }
    for (const suffix of ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"]) {
        if (name.endsWith(suffix)) problems.push(`must not end with "${suffix}"`);
    }
    return problems;
}

/** The execution policy name used when `modelHosting.executionPolicyName` is not set. */
export function derivePolicyName(roleName: string): string {
    // BedrockCMIExecutionRole-777788889999 -> BedrockCMIExecutionPolicy-777788889999 (scenario.md's naming).
    const at = roleName.lastIndexOf("Role");
    return at >= 0 ? `${roleName.slice(0, at)}Policy${roleName.slice(at + 4)}` : `${roleName}-policy`;
}

/** Normalizes an S3 key prefix to end with exactly one "/"; validation happens separately. */
export function normalizePrefix(prefix: string): string {
    return prefix.replace(/\/+$/, "") + "/";
}

// ---- a tiny collecting reader over unknown input -------------------------------------------------

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

function show(v: unknown): string {
    return typeof v === "string" ? JSON.stringify(v) : v === undefined ? "nothing" : (JSON.stringify(v) ?? String(v));
}

class Reader {
    readonly problems: string[] = [];

    fail(key: string, message: string): void {
        this.problems.push(`[${key}] ${message}`);
    }

    object(v: unknown, key: string, known: readonly string[], required = true): Obj | undefined {
        if (v === undefined || v === null) {
            if (required) this.fail(key, `is required (see the config reference in README.md)`);
            return undefined;
        }
        if (!isObject(v)) {
            this.fail(key, `must be an object, got ${show(v)}`);
            return undefined;
        }
        for (const k of Object.keys(v)) {
            if (!known.includes(k)) {
                this.fail(`${key}.${k}`, `is not a known key; known keys are ${known.join(", ")}`);
            }
        }
        return v;
    }

    string(o: Obj | undefined, name: string, key: string): string | undefined {
        if (!o) return undefined;
        const v = o[name];
        if (v === undefined || v === null || v === "") {
            this.fail(key, "is required");
            return undefined;
        }
        if (typeof v !== "string") {
            this.fail(key, `must be a string, got ${show(v)}`);
            return undefined;
        }
        return v;
    }

    optionalString(o: Obj | undefined, name: string, key: string): string | undefined {
        if (!o || o[name] === undefined || o[name] === null) return undefined;
        const v = o[name];
        if (typeof v !== "string" || v.trim() === "") {
            this.fail(key, `must be a non-empty string when set, got ${show(v)}`);
            return undefined;
        }
        return v;
    }

    boolean(o: Obj | undefined, name: string, key: string, fallback: boolean): boolean {
        if (!o || o[name] === undefined || o[name] === null) return fallback;
        const v = o[name];
        if (typeof v !== "boolean") {
            this.fail(key, `must be true or false, got ${show(v)}`);
            return fallback;
        }
        return v;
    }

    accountId(o: Obj | undefined, key: string): string {
        if (!o) return "";
        const v = o["accountId"];
        if (typeof v === "number") {
            this.fail(key, `must be a 12-digit string, got the number ${v}; quote it in YAML ("${v}") so leading zeros survive`);
            return "";
        }
        const s = this.string(o, "accountId", key);
        if (s !== undefined && !ACCOUNT_ID.test(s)) this.fail(key, `must be a 12-digit string, got ${show(s)}`);
        return s ?? "";
    }

    region(o: Obj | undefined, key: string): string {
        const s = this.string(o, "region", key);
        if (s !== undefined && !isAwsRegion(s)) {
            const near = AWS_REGIONS.filter((r) => r.startsWith(s.slice(0, 2)));
            this.fail(key, `must be an AWS region name, got ${show(s)}${near.length ? ` (for example ${near.slice(0, 4).join(", ")})` : ""}`);
        }
        return s ?? "";
    }

    credentials(o: Obj | undefined, base: string, accountId: string): AccountCredentials {
        const profile = this.optionalString(o, "profile", `${base}.profile`);
        const assumeRoleArn = this.optionalString(o, "assumeRoleArn", `${base}.assumeRoleArn`);
        if (assumeRoleArn !== undefined) {
            const m = ROLE_ARN.exec(assumeRoleArn);
            if (!m) {
                this.fail(
                    `${base}.assumeRoleArn`,
                    `must be an IAM role ARN like arn:aws:iam::${accountId || "111122223333"}:role/deployer, got ${show(assumeRoleArn)}`,
                );
            } else if (ACCOUNT_ID.test(accountId) && m[2] !== accountId) {
                this.fail(`${base}.assumeRoleArn`, `is a role in account ${m[2]}, but ${base}.accountId is ${accountId}; use a role of that account`);
            }
        }
        return { ...(profile !== undefined ? { profile } : {}), ...(assumeRoleArn !== undefined ? { assumeRoleArn } : {}) };
    }

    kms(o: Obj | undefined, base: string, known: readonly string[]): { kms: Obj | undefined; enabled: boolean } {
        const kms = this.object(o?.["kms"], `${base}.kms`, ["enabled", ...known], false);
        return { kms, enabled: this.boolean(kms, "enabled", `${base}.kms.enabled`, false) };
    }

    iamName(o: Obj | undefined, name: string, key: string, max: number, required: boolean): string | undefined {
        const v = required ? this.string(o, name, key) : this.optionalString(o, name, key);
        if (v === undefined) return undefined;
        if (v.length > max || !IAM_NAME.test(v)) {
            this.fail(key, `must be 1 to ${max} characters of letters, digits and + = , . @ _ -, got ${show(v)}`);
        }
        return v;
    }

    tags(v: unknown, key: string): Record<string, string> {
        if (v === undefined || v === null) return {};
        if (!isObject(v)) {
            this.fail(key, `must be a map of tag keys to string values, got ${show(v)}`);
            return {};
        }
        const tags: Record<string, string> = {};
        for (const [k, value] of Object.entries(v)) {
            if (k.length < 1 || k.length > 128 || k.toLowerCase().startsWith("aws:")) {
                this.fail(`${key}.${k}`, `tag keys must be 1 to 128 characters and must not start with "aws:"`);
            } else if (typeof value !== "string" || value.length > 256) {
                this.fail(`${key}.${k}`, `tag values must be strings of at most 256 characters, got ${show(value)}`);
            } else {
                tags[k] = value;
            }
        }
        return tags;
    }
}

// ---- the three sections -------------------------------------------------------------------------

function readDevelopment(r: Reader, raw: unknown): ModelDevelopmentConfig {
    const base = "modelDevelopment";
    const o = r.object(raw, base, ["accountId", "region", "profile", "assumeRoleArn", "artifactBucket", "kms"]);
    const accountId = r.accountId(o, `${base}.accountId`);
    const region = r.region(o, `${base}.region`);
    const credentials = r.credentials(o, base, accountId);
    const bucket = o ? r.object(o["artifactBucket"], `${base}.artifactBucket`, ["name", "create"]) : undefined;
    const name = r.string(bucket, "name", `${base}.artifactBucket.name`) ?? "";
    if (name) {
        for (const p of bucketNameProblems(name)) r.fail(`${base}.artifactBucket.name`, `${p}, got ${show(name)}`);
    }
    // Defaults to creating the bucket, as in the shipped stacks; `create: false` adopts an existing one.
    const create = r.boolean(bucket, "create", `${base}.artifactBucket.create`, true);
    const { kms, enabled } = r.kms(o, base, ["keyArn"]);
    const keyArn = r.optionalString(kms, "keyArn", `${base}.kms.keyArn`);
    return { accountId, region, ...credentials, artifactBucket: { name, create }, kms: { enabled, ...(keyArn !== undefined ? { keyArn } : {}) } };
}

function readHosting(r: Reader, raw: unknown): ModelHostingConfig {
    const base = "modelHosting";
    const o = r.object(raw, base, ["accountId", "region", "profile", "assumeRoleArn", "executionRoleName", "executionPolicyName", "kms", "troubleshooting"]);
    const accountId = r.accountId(o, `${base}.accountId`);
    const region = r.region(o, `${base}.region`);
    const credentials = r.credentials(o, base, accountId);
    const executionRoleName = r.iamName(o, "executionRoleName", `${base}.executionRoleName`, 64, true) ?? "";
    const executionPolicyName = r.iamName(o, "executionPolicyName", `${base}.executionPolicyName`, 128, false) ?? derivePolicyName(executionRoleName);

    const troubleshooting = r.object(o?.["troubleshooting"], `${base}.troubleshooting`, ["allowAssumeFrom"], false);
    const allowAssumeFrom: string[] = [];
    const list = troubleshooting?.["allowAssumeFrom"];
    if (list !== undefined && list !== null) {
        if (!Array.isArray(list)) {
            r.fail(`${base}.troubleshooting.allowAssumeFrom`, `must be a list of IAM principal ARNs, got ${show(list)}`);
        } else {
            list.forEach((p: unknown, i: number) => {
                const key = `${base}.troubleshooting.allowAssumeFrom[${i}]`;
                if (typeof p !== "string" || !IAM_PRINCIPAL_ARN.test(p)) {
                    r.fail(key, `must be an IAM principal ARN (arn:aws:iam::<account>:role/<name>, :user/<name> or :root), got ${show(p)}`);
                } else if (allowAssumeFrom.includes(p)) {
                    r.fail(key, `lists ${show(p)} twice; remove the duplicate`);
                } else {
                    allowAssumeFrom.push(p);
                }
            });
        }
    }
    const hostingKms = r.kms(o, base, ["invokers"]);
    const invokers: string[] = [];
    const invokerList = hostingKms.kms?.["invokers"];
    if (invokerList !== undefined && invokerList !== null) {
        if (!Array.isArray(invokerList)) r.fail(`${base}.kms.invokers`, `must be a list of IAM role ARNs, got ${show(invokerList)}`);
        else
            invokerList.forEach((p: unknown, i: number) =>
                typeof p === "string" ? invokers.push(p) : r.fail(`${base}.kms.invokers[${i}]`, `must be an IAM role ARN, got ${show(p)}`),
            );
    }
    return {
        accountId,
        region,
        ...credentials,
        executionRoleName,
        executionPolicyName,
        kms: { enabled: hostingKms.enabled, invokers },
        troubleshooting: { allowAssumeFrom },
    };
}

function readModels(r: Reader, raw: unknown): ModelConfig[] {
    if (raw === undefined || raw === null) {
        r.fail("models", "is required: list at least one model (name and s3Prefix)");
        return [];
    }
    if (!Array.isArray(raw) || raw.length === 0) {
        r.fail("models", `must be a non-empty list of models, got ${show(raw)}`);
        return [];
    }
    const models: ModelConfig[] = [];
    const seen = new Map<string, number>();
    raw.forEach((item: unknown, i: number) => {
        const base = `models[${i}]`;
        const o = r.object(item, base, ["name", "s3Prefix", "tags"]);
        const name = r.string(o, "name", `${base}.name`) ?? "";
        if (name) {
            if (name.length > 63 || !IMPORTED_MODEL_NAME.test(name)) {
                r.fail(
                    `${base}.name`,
                    `must be 1 to 63 letters and digits, optionally separated by single "-" or "_" (Bedrock's imported model name rule), got ${show(name)}`,
                );
            }
            const first = seen.get(name);
            if (first !== undefined) r.fail(`${base}.name`, `duplicates models[${first}].name ${show(name)}; imported model names must be unique`);
            else seen.set(name, i);
        }
        let s3Prefix = r.string(o, "s3Prefix", `${base}.s3Prefix`) ?? "";
        if (s3Prefix) {
            const key = `${base}.s3Prefix`;
            if (/^s3:\/\//i.test(s3Prefix))
                r.fail(key, `must be a key prefix inside the artifact bucket, not an S3 URI, got ${show(s3Prefix)}; drop "s3://<bucket>/"`);
            else if (s3Prefix.startsWith("/")) r.fail(key, `must not start with "/", got ${show(s3Prefix)}`);
            else if (/[*?]/.test(s3Prefix)) r.fail(key, `must not contain wildcards, got ${show(s3Prefix)}`);
            else if (s3Prefix.split("/").some((part) => part === "." || part === ".."))
                r.fail(key, `must not contain "." or ".." segments, got ${show(s3Prefix)}`);
            else if (/\/\/./.test(s3Prefix)) r.fail(key, `must not contain empty segments ("//"), got ${show(s3Prefix)}`);
            else if (s3Prefix.length > 1000) r.fail(key, `must be at most 1000 characters`);
            else s3Prefix = normalizePrefix(s3Prefix);
        }
        models.push({ name, s3Prefix, tags: r.tags(o?.["tags"], `${base}.tags`) });
    });
    return models;
}

/** Validates the raw config; returns the typed config or throws one ConfigError listing every problem. */
export function parseStackConfig(raw: RawStackConfig): StackConfig {
    const r = new Reader();
    const modelDevelopment = readDevelopment(r, raw.modelDevelopment);
    const modelHosting = readHosting(r, raw.modelHosting);
    const models = readModels(r, raw.models);
    if (ACCOUNT_ID.test(modelDevelopment.accountId) && modelDevelopment.accountId === modelHosting.accountId) {
        // Same-account import works without this program; its cross-account statements would be wrong there.
        r.fail(
            "modelHosting.accountId",
            `equals modelDevelopment.accountId (${modelHosting.accountId}); this program sets up a cross-account import, use two different accounts`,
        );
    }
    if (isAwsRegion(modelDevelopment.region) && isAwsRegion(modelHosting.region)) {
        const [dev, host] = [partitionOf(modelDevelopment.region), partitionOf(modelHosting.region)];
        if (dev !== host) {
            r.fail("modelHosting.region", `is in the ${host} partition but modelDevelopment.region is in ${dev}; cross-account access cannot cross partitions`);
        }
    }
    if (r.problems.length > 0) throw new ConfigError(r.problems);
    return { modelDevelopment, modelHosting, models };
}
