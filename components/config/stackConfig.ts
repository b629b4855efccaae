// Parses and validates the stack config (the keys in README "Config reference") into typed, defaulted values.
// Pure and synchronous: index.ts calls it before any provider or resource exists, so bad config
// creates nothing. Every problem is collected and reported at once, each naming its key in brackets.

import {
    ACCOUNT_ID,
    accountIdProblems,
    bedrockBucketProblems,
    bucketNameProblems,
    cmiRegionProblems,
    iamNameProblems,
    importedModelNameProblems,
    isAwsRegion,
    kmsKeyArnProblems,
    normalizePrefix,
    offersCustomModelImport,
    partitionOf,
    principalArnProblems,
    regionProblems,
    s3PrefixProblems,
    tagProblems,
    type Partition,
} from "../rules";
import { smokeTestProblems, timeoutMinutesProblems, type SmokeTestSettings } from "./modelSettings";
import { nearest } from "./suggest";
import type { AccountCredentials, AccountInputs } from "../awsSdk/types";
import { show } from "../util/show";
import { RunError } from "@pulumi/pulumi/errors";
import { CONFIG_NAMESPACE } from "./namespace";

export { CONFIG_NAMESPACE } from "./namespace";

interface ModelDevelopmentConfig extends AccountInputs {
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

interface ModelHostingConfig extends AccountInputs {
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
    /** Invoke the model once after import, before it goes live (absent: off). */
    smokeTest?: SmokeTestSettings;
    /** How long one `up` or `destroy` waits for this model's import (absent: the provider's default, 360). */
    timeoutMinutes?: number;
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
    /** Every config key of the stack, namespace-qualified; used to spot typos in the top-level keys. */
    allKeys?: readonly string[];
}

/** What the program adds to each imported model, so the validator counts it against Bedrock's limits. */
export interface ParseOptions {
    /** Tags the program puts on every imported model next to the model's own. */
    addedModelTags?: Record<string, string>;
    /** Tag keys only the program may set. */
    reservedTagKeys?: readonly string[];
    /** Longest config model name, when the program appends a suffix to it. */
    maxModelNameLength?: number;
}

const CONFIG_KEYS = ["modelDevelopment", "modelHosting", "models"] as const;

/** The stack file, for messages of a caller that does not know its path (plan passes the file it read). */
export const STACK_FILE = "Pulumi.<stack>.yaml";

/**
 * A RunError: Pulumi's Node.js host prints its message alone, once. A plain Error is printed with util.inspect: its
 * stack frames, then its `problems` again.
 */
export class ConfigError extends RunError {
    constructor(
        readonly problems: readonly string[],
        file = STACK_FILE,
    ) {
        super(
            `Invalid stack config for ${CONFIG_NAMESPACE} (${problems.length} problem${problems.length === 1 ? "" : "s"}); ` +
                `fix these keys in ${file} and run again. Nothing was created.\n` +
                problems.map((p) => `  - ${p}`).join("\n"),
        );
        this.name = "ConfigError";
    }
}

/** The execution policy name used when `modelHosting.executionPolicyName` is not set. */
export function derivePolicyName(roleName: string): string {
    // BedrockCMIExecutionRole-777788889999 -> BedrockCMIExecutionPolicy-777788889999 (the fixtures' naming,
    // docs/access.md).
    const at = roleName.lastIndexOf("Role");
    return at >= 0 ? `${roleName.slice(0, at)}Policy${roleName.slice(at + 4)}` : `${roleName}-policy`;
}

// ---- a tiny collecting reader over unknown input -------------------------------------------------

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * "must be a string" for a value YAML read as something else; numbers and booleans get the quoted spelling to write.
 */
function notAString(name: string, v: unknown, what = "a string"): string {
    if (typeof v === "number" || typeof v === "boolean") {
        return (
            `must be ${what}, but YAML read the unquoted ${typeof v} ${String(v)}; quote it: ${name}: "${String(v)}" ` +
            `(as you meant it, digits and all)`
        );
    }
    return `must be ${what}, got ${show(v)}`;
}

/** `pulumi config set` for a key whose value must stay a string even when it is all digits. */
function setHint(key: string, value: string): string {
    // With --path, `pulumi config set` stores digit strings as numbers unless --type string is given
    // (https://github.com/pulumi/pulumi/pull/18287).
    return `pulumi config set --path --type string '${CONFIG_NAMESPACE}:${key}' '${value}'`;
}

class Reader {
    readonly problems: string[] = [];
    /** Keys an unknown key's "did you mean" points to: their "is required" is the same typo, reported once. */
    readonly misspelt = new Set<string>();

    fail(key: string, message: string): void {
        if (message.startsWith("is required") && this.misspelt.has(key)) return;
        this.problems.push(`[${key}] ${message}`);
    }

    failAll(key: string, messages: readonly string[]): void {
        for (const m of messages) this.fail(key, m);
    }

    /** `misplaced`: keys that belong elsewhere, with the message that says where. */
    object(
        v: unknown,
        key: string,
        known: readonly string[],
        required = true,
        misplaced: Readonly<Record<string, string>> = {},
    ): Obj | undefined {
        if (v === undefined || v === null) {
            if (required) this.fail(key, `is required (see the config reference in README.md)`);
            return undefined;
        }
        if (!isObject(v)) {
            this.fail(key, `must be an object, got ${show(v)}`);
            return undefined;
        }
        for (const k of Object.keys(v)) {
            if (!known.includes(k) && misplaced[k] !== undefined) this.fail(`${key}.${k}`, misplaced[k]);
            else if (!known.includes(k)) {
                const near = nearest(k, known);
                if (near) this.misspelt.add(`${key}.${near}`);
                this.fail(
                    `${key}.${k}`,
                    `is not a known key${near ? `; did you mean ${near}?` : ""} Known keys: ${known.join(", ")}`,
                );
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
            this.fail(key, notAString(name, v));
            return undefined;
        }
        return v;
    }

    optionalString(o: Obj | undefined, name: string, key: string): string | undefined {
        if (!o || o[name] === undefined || o[name] === null) return undefined;
        const v = o[name];
        if (typeof v !== "string" || v.trim() === "") {
            this.fail(key, notAString(name, v, "a non-empty string when set"));
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
        if (v === undefined || v === null || v === "") {
            this.fail(key, "is required");
            return "";
        }
        const problems = accountIdProblems(v);
        if (problems.length > 0) {
            this.failAll(key, problems);
            if (typeof v === "number") this.fail(key, `or set it with: ${setHint(key, "<12 digits>")}`);
            return "";
        }
        // An unquoted 12-digit YAML integer (pulumi config set --path writes one) arrives as a number, in the program
        // as in plan.
        return typeof v === "number" ? String(v) : (v as string);
    }

    region(o: Obj | undefined, key: string, rule: (region: string) => string[]): string {
        const s = this.string(o, "region", key);
        if (s !== undefined) this.failAll(key, rule(s));
        return s ?? "";
    }

    credentials(o: Obj | undefined, base: string, accountId: string, partition: Partition): AccountCredentials {
        const profile = this.optionalString(o, "profile", `${base}.profile`);
        const assumeRoleArn = this.optionalString(o, "assumeRoleArn", `${base}.assumeRoleArn`);
        if (assumeRoleArn !== undefined) {
            const account = ACCOUNT_ID.test(accountId) ? accountId : undefined;
            this.failAll(
                `${base}.assumeRoleArn`,
                principalArnProblems(assumeRoleArn, {
                    partition,
                    kinds: ["role"],
                    what: `an IAM role ARN of ${base}.accountId`,
                    ...(account ? { account } : {}),
                }),
            );
        }
        return {
            ...(profile !== undefined ? { profile } : {}),
            ...(assumeRoleArn !== undefined ? { assumeRoleArn } : {}),
        };
    }

    kms(
        o: Obj | undefined,
        base: string,
        known: readonly string[],
        misplaced: Readonly<Record<string, string>> = {},
    ): { kms: Obj | undefined; enabled: boolean } {
        const kms = this.object(o?.["kms"], `${base}.kms`, ["enabled", ...known], false, misplaced);
        return { kms, enabled: this.boolean(kms, "enabled", `${base}.kms.enabled`, false) };
    }

    iamName(
        o: Obj | undefined,
        name: string,
        key: string,
        kind: "roleName" | "policyName",
        required: boolean,
    ): string | undefined {
        const v = required ? this.string(o, name, key) : this.optionalString(o, name, key);
        if (v === undefined) return v;
        // An ARN where a name belongs: the program builds the ARN itself, in modelHosting.accountId.
        const arn = /^arn:[^:]*:iam::(\d{12})?:(role|policy)(\/(?:.*\/)?)?([^/]+)$/.exec(v);
        if (arn) {
            this.fail(
                key,
                `is an ARN, but it takes the ${kind === "roleName" ? "role" : "policy"}'s name; write ${name}: ` +
                    `${JSON.stringify(arn[4])} ` +
                    `(the program creates it in modelHosting.accountId${arn[3] && arn[3] !== "/" ? `, without a path; drop "${arn[3]}"` : ""})`,
            );
            return undefined;
        }
        this.failAll(key, iamNameProblems(v, kind));
        return v;
    }

    /** A list of IAM role/user ARNs (troubleshooting operators, key invokers), each validated and unique. */
    principals(
        list: unknown,
        key: string,
        partition: Partition,
        what: string,
        kinds: ReadonlyArray<"role" | "user">,
    ): string[] {
        const out: string[] = [];
        if (list === undefined || list === null) return out;
        if (!Array.isArray(list)) {
            this.fail(key, `must be a list of ${what}, got ${show(list)}`);
            return out;
        }
        list.forEach((p: unknown, i: number) => {
            const itemKey = `${key}[${i}]`;
            if (typeof p !== "string") return this.fail(itemKey, `must be ${what}, got ${show(p)}`);
            const problems = principalArnProblems(p, { partition, kinds, what });
            if (problems.length > 0) return this.failAll(itemKey, problems);
            if (out.includes(p)) return this.fail(itemKey, `lists ${show(p)} twice; remove the duplicate`);
            out.push(p);
        });
        return out;
    }

    tags(v: unknown, key: string, opts: ParseOptions): Record<string, string> {
        if (v === undefined || v === null) return {};
        if (!isObject(v)) {
            this.fail(key, `must be a map of tag keys to string values, got ${show(v)}`);
            return {};
        }
        const problems = tagProblems(v, opts.addedModelTags ?? {}, opts.reservedTagKeys ?? []);
        for (const p of problems) this.fail(p.key !== undefined ? `${key}.${p.key}` : key, p.message);
        return problems.length === 0 ? (v as Record<string, string>) : {};
    }
}

/**
 * The partition the stack's ARNs are in: the hosting region's when it offers Custom Model Import (a refused hosting
 * region must not make every other key look wrong), else the development region's.
 */
function stackPartition(raw: RawStackConfig): Partition {
    const regionOf = (section: unknown) =>
        isObject(section) && typeof section["region"] === "string" ? section["region"] : "";
    const hosting = regionOf(raw.modelHosting);
    if (offersCustomModelImport(hosting)) return partitionOf(hosting);
    const development = regionOf(raw.modelDevelopment);
    return isAwsRegion(development) ? partitionOf(development) : "aws";
}

// ---- the three sections -------------------------------------------------------------------------

function readDevelopment(r: Reader, raw: unknown, partition: Partition): ModelDevelopmentConfig {
    const base = "modelDevelopment";
    const o = r.object(raw, base, ["accountId", "region", "profile", "assumeRoleArn", "artifactBucket", "kms"]);
    const accountId = r.accountId(o, `${base}.accountId`);
    const region = r.region(o, `${base}.region`, regionProblems);
    const credentials = r.credentials(o, base, accountId, partition);
    const bucket = o ? r.object(o["artifactBucket"], `${base}.artifactBucket`, ["name", "create"]) : undefined;
    let name = r.string(bucket, "name", `${base}.artifactBucket.name`) ?? "";
    const uri = /^s3:\/\/([^/]*)(\/.*)?$/i.exec(name);
    if (uri) {
        r.fail(
            `${base}.artifactBucket.name`,
            `is an S3 URI (${show(name)}), but it takes the bucket's bare name: write name: ${show(uri[1])}` +
                (uri[2] && uri[2] !== "/" ? ` and put the folder ${show(uri[2].slice(1))} into models[].s3Prefix` : ""),
        );
        name = "";
    } else if (name) {
        r.failAll(`${base}.artifactBucket.name`, [...bucketNameProblems(name), ...bedrockBucketProblems(name)]);
    }
    // No default: with a default of true, a stack that forgot the key would create the research team's bucket
    // (BucketAlreadyOwnedByYou); with false, a new stack would find no bucket. Either way the user must say which.
    if (bucket && (bucket["create"] === undefined || bucket["create"] === null)) {
        r.fail(
            `${base}.artifactBucket.create`,
            `is required: false when the bucket exists (the research team's: this stack only adds its statements ` +
                `to its policy), ` +
                `true when this stack creates a new bucket named ${name ? show(name) : "artifactBucket.name"}`,
        );
    }
    const create = r.boolean(bucket, "create", `${base}.artifactBucket.create`, false);
    const { kms, enabled } = r.kms(o, base, ["keyArn"]);
    const keyArn = r.optionalString(kms, "keyArn", `${base}.kms.keyArn`);
    if (keyArn !== undefined) {
        if (enabled) {
            r.fail(
                `${base}.kms.keyArn`,
                `and ${base}.kms.enabled: true are both set; keyArn names the research team's existing key ` +
                    `(granted to the execution role), ` +
                    `enabled creates a new key for a bucket this stack creates. Keep one of them`,
            );
        }
        // The key encrypts the bucket's objects: judged against the bucket's own region and partition.
        if (isAwsRegion(region))
            r.failAll(`${base}.kms.keyArn`, kmsKeyArnProblems(keyArn, { partition: partitionOf(region), region }));
    }
    if (enabled && !create) {
        // A new key would encrypt nothing: the artifacts stay under whatever key encrypts them today.
        r.fail(
            `${base}.kms.enabled`,
            `is true but ${base}.artifactBucket.create is false: a new key would not encrypt the artifacts ` +
                `already in the bucket. ` +
                `If they are SSE-KMS encrypted, set ${base}.kms.keyArn to the key that encrypts them instead (it ` +
                `is granted, not edited)`,
        );
    }
    return {
        accountId,
        region,
        ...credentials,
        artifactBucket: { name, create },
        kms: { enabled, ...(keyArn !== undefined ? { keyArn } : {}) },
    };
}

function readHosting(r: Reader, raw: unknown, partition: Partition): ModelHostingConfig {
    const base = "modelHosting";
    const o = r.object(raw, base, [
        "accountId",
        "region",
        "profile",
        "assumeRoleArn",
        "executionRoleName",
        "executionPolicyName",
        "kms",
        "troubleshooting",
    ]);
    const accountId = r.accountId(o, `${base}.accountId`);
    const region = r.region(o, `${base}.region`, cmiRegionProblems);
    const credentials = r.credentials(o, base, accountId, partition);
    const executionRoleName = r.iamName(o, "executionRoleName", `${base}.executionRoleName`, "roleName", true) ?? "";
    const executionPolicyName =
        r.iamName(o, "executionPolicyName", `${base}.executionPolicyName`, "policyName", false) ??
        derivePolicyName(executionRoleName);

    const troubleshooting = r.object(o?.["troubleshooting"], `${base}.troubleshooting`, ["allowAssumeFrom"], false);
    const allowAssumeFrom = r.principals(
        troubleshooting?.["allowAssumeFrom"],
        `${base}.troubleshooting.allowAssumeFrom`,
        partition,
        "an IAM role or user ARN (arn:aws:iam::<account>:role/<path>/<name> or :user/<name>)",
        ["role", "user"],
    );
    const hostingKms = r.kms(o, base, ["invokers"], {
        keyArn:
            `is not a key of ${base}.kms: keyArn names the research team's existing key that encrypts the ` +
            `artifacts, and it belongs under ` +
            `modelDevelopment.kms.keyArn. The key that encrypts the imported models is created by the program ` +
            `with ${base}.kms.enabled: true`,
    });
    const invokers = r.principals(
        hostingKms.kms?.["invokers"],
        `${base}.kms.invokers`,
        partition,
        "an IAM role ARN that invokes the imported models (arn:aws:iam::<account>:role/<path>/<name>)",
        ["role"],
    );
    if (invokers.length > 0 && !hostingKms.enabled) {
        r.fail(
            `${base}.kms.invokers`,
            `is set but ${base}.kms.enabled is false; invokers need key permissions only when the hosting key ` +
                `encrypts the models`,
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

function readModels(r: Reader, raw: unknown, opts: ParseOptions, bucket: string): ModelConfig[] {
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
        const o = r.object(item, base, ["name", "s3Prefix", "tags", "smokeTest", "timeoutMinutes"]);
        const name = r.string(o, "name", `${base}.name`) ?? "";
        if (name) {
            r.failAll(`${base}.name`, importedModelNameProblems(name, opts.maxModelNameLength));
            const first = seen.get(name);
            if (first !== undefined)
                r.fail(
                    `${base}.name`,
                    `duplicates models[${first}].name ${show(name)}; imported model names must be unique`,
                );
            else seen.set(name, i);
        }
        let s3Prefix = r.string(o, "s3Prefix", `${base}.s3Prefix`) ?? "";
        if (s3Prefix) {
            const problems = s3PrefixProblems(s3Prefix, bucket || undefined);
            r.failAll(`${base}.s3Prefix`, problems);
            if (problems.length === 0) s3Prefix = normalizePrefix(s3Prefix);
        }
        const smoke = o?.["smokeTest"];
        const smokeProblems = smokeTestProblems(smoke);
        for (const p of smokeProblems)
            r.fail(p.key !== undefined ? `${base}.smokeTest.${p.key}` : `${base}.smokeTest`, p.message);
        const smokeTest =
            smoke !== undefined && smoke !== null && smokeProblems.length === 0
                ? (smoke as SmokeTestSettings)
                : undefined;
        const timeout = o?.["timeoutMinutes"];
        const timeoutProblems = timeoutMinutesProblems(timeout);
        r.failAll(`${base}.timeoutMinutes`, timeoutProblems);
        const timeoutMinutes = typeof timeout === "number" && timeoutProblems.length === 0 ? timeout : undefined;
        models.push({
            name,
            s3Prefix,
            tags: r.tags(o?.["tags"], `${base}.tags`, opts),
            ...(smokeTest ? { smokeTest } : {}),
            ...(timeoutMinutes !== undefined ? { timeoutMinutes } : {}),
        });
    });
    return models;
}

/** Config keys of the stack that look like ours but are not read: typos, wrong case, another namespace. */
function strayKeys(r: Reader, allKeys: readonly string[] | undefined): void {
    for (const full of allKeys ?? []) {
        const colon = full.indexOf(":");
        if (colon < 0) {
            // Stack files need namespace-qualified keys; the CLI refuses a bare key.
            const near = nearest(full, CONFIG_KEYS);
            r.fail(full, `has no namespace; write it as ${CONFIG_NAMESPACE}:${near ?? full} in ${STACK_FILE}`);
            if (near !== undefined) r.misspelt.add(near);
            continue;
        }
        const [namespace, key] = [full.slice(0, colon), full.slice(colon + 1)];
        const ours = namespace === CONFIG_NAMESPACE;
        if (ours && (CONFIG_KEYS as readonly string[]).includes(key)) continue;
        const near = nearest(key, CONFIG_KEYS);
        if (ours) {
            r.fail(
                full,
                `is not a key of this program${near ? `; did you mean ${CONFIG_NAMESPACE}:${near}?` : ""} Its ` +
                    `keys are ${CONFIG_KEYS.join(", ")}`,
            );
            if (near !== undefined) r.misspelt.add(near);
        } else if (near !== undefined && (nearest(namespace, [CONFIG_NAMESPACE]) !== undefined || key === near)) {
            r.fail(
                full,
                `is not read: this program reads ${CONFIG_NAMESPACE}:${near} (namespace "${CONFIG_NAMESPACE}", ` +
                    `the project name in Pulumi.yaml)`,
            );
            r.misspelt.add(near);
        }
    }
}

/** Validates the raw config; returns the typed config or throws one ConfigError listing every problem. */
export function parseStackConfig(raw: RawStackConfig, opts: ParseOptions = {}): StackConfig {
    const r = new Reader();
    strayKeys(r, raw.allKeys);
    const partition = stackPartition(raw);
    const modelDevelopment = readDevelopment(r, raw.modelDevelopment, partition);
    const modelHosting = readHosting(r, raw.modelHosting, partition);
    const models = readModels(r, raw.models, opts, modelDevelopment.artifactBucket.name);
    // modelDevelopment.accountId may equal modelHosting.accountId: Bedrock imports from a bucket of its own account
    // too, and every document the program writes is valid there (the access matrix says which denials one account
    // cannot enforce). A refused hosting region is reported once, by cmiRegionProblems, without a second claim about
    // partitions.
    if (isAwsRegion(modelDevelopment.region) && offersCustomModelImport(modelHosting.region)) {
        const [dev, host] = [partitionOf(modelDevelopment.region), partitionOf(modelHosting.region)];
        if (dev !== host) {
            r.fail(
                "modelHosting.region",
                `is in the ${host} partition but modelDevelopment.region is in ${dev}; cross-account access ` +
                    `cannot cross partitions`,
            );
        }
    }
    if (r.problems.length > 0) throw new ConfigError(r.problems);
    return { modelDevelopment, modelHosting, models };
}
