// The Hugging Face layout under each model prefix, read with development-account credentials: what Bedrock will
// read (config.json, architecture and the regions it imports in, context length, safetensors weights, tokenizer, total
// size) and how the objects are encrypted (the execution role can decrypt only with the configured development key).

import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import type { ModelConfig, StackConfig } from "../../components/config/stackConfig";
import { listAll } from "../../components/awsSdk/pages";
import {
    MAX_CONTEXT_TOKENS,
    MAX_MULTIMODAL_MODEL_BYTES,
    MAX_TEXT_MODEL_BYTES,
    importableIn,
    s3Uri,
    supportedList,
} from "../../components/rules";
import { CONTEXT_LENGTH_KEYS, contextLengthOf, matchArchitecture } from "./architectures";
import type { AccountClients } from "./clients";
import { headerLength, validateHeader } from "./safetensors";
import { fail, pass, skip, type CheckResult } from "./types";
import { describeError, errorName } from "../../components/awsSdk/errors";

/** Objects whose encryption is checked with HeadObject, per model; a HF layout has a few dozen files. */
const MAX_HEAD_OBJECTS = 500;

interface ListedObject {
    key: string;
    /** Key relative to the model prefix. */
    name: string;
    size: number;
}

async function listPrefix(s3: S3Client, bucket: string, prefix: string): Promise<ListedObject[]> {
    const listed = await listAll(async (token) => {
        const out = await s3.send(
            new ListObjectsV2Command({
                Bucket: bucket,
                Prefix: prefix,
                ...(token ? { ContinuationToken: token } : {}),
            }),
        );
        return { items: out.Contents, next: out.IsTruncated ? out.NextContinuationToken : undefined };
    });
    return listed.flatMap((o) =>
        o.Key !== undefined ? [{ key: o.Key, name: o.Key.slice(prefix.length), size: o.Size ?? 0 }] : [],
    );
}

async function getBytes(s3: S3Client, bucket: string, key: string, range?: string): Promise<Uint8Array> {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...(range ? { Range: range } : {}) }));
    if (!out.Body) return new Uint8Array();
    return out.Body.transformToByteArray();
}

async function getJson(s3: S3Client, bucket: string, key: string): Promise<unknown> {
    return JSON.parse(Buffer.from(await getBytes(s3, bucket, key)).toString("utf8"));
}

function gb(bytes: number): string {
    return `${(bytes / 1e9).toFixed(bytes < 1e9 ? 6 : 2)} GB`;
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
    const out: R[] = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const i = next++;
            out[i] = await fn(items[i]);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return out;
}

/** What every check of one model's artifacts reads: where they are, and what the listing found. */
interface Artifacts {
    config: StackConfig;
    model: ModelConfig;
    dev: AccountClients;
    bucket: string;
    prefix: string;
    uri: string;
    id: (check: string) => string;
    objects: ListedObject[];
    byName: Map<string, ListedObject>;
}

/** The checks for one model; ids are `artifacts.<model>.<check>`. */
export async function checkModelArtifacts(
    config: StackConfig,
    model: ModelConfig,
    dev: AccountClients,
    developmentKeyArn: string | undefined,
): Promise<CheckResult[]> {
    const bucket = config.modelDevelopment.artifactBucket.name;
    const prefix = model.s3Prefix;
    const uri = s3Uri(bucket, prefix);
    const id = (check: string) => `artifacts.${model.name}.${check}`;
    const listing = await listModel(config, model, dev, uri, id);
    if (!listing.objects) return listing.results;
    const objects = listing.objects;
    const a: Artifacts = {
        config,
        model,
        dev,
        bucket,
        prefix,
        uri,
        id,
        objects,
        byName: new Map(objects.map((o) => [o.name, o])),
    };
    const { result: configResult, modelConfig } = await checkConfigJson(a);
    const architecture = checkArchitecture(a, modelConfig);
    return [
        ...listing.results,
        configResult,
        architecture.result,
        checkContextLength(a, modelConfig),
        await checkWeights(a),
        checkTokenizer(a),
        checkSize(a, architecture.multimodal),
        await checkEncryption(config, model, dev, objects, developmentKeyArn),
    ];
}

/** The objects under the model's prefix; when there are none (or listing failed), every later check is skipped. */
async function listModel(
    config: StackConfig,
    model: ModelConfig,
    dev: AccountClients,
    uri: string,
    id: (check: string) => string,
): Promise<{ results: CheckResult[]; objects?: ListedObject[] }> {
    const upload = `upload the Hugging Face layout there (aws s3 sync ./<model-dir> ${uri}${config.modelDevelopment.profile ? ` --profile ${config.modelDevelopment.profile}` : ""})`;
    const later = ["config", "architecture", "context", "weights", "tokenizer", "size", "encryption"];
    const skipLater = (why: string) => later.map((c) => skip(id(c), `${c} of ${model.name}`, why));
    let objects: ListedObject[];
    try {
        objects = await listPrefix(dev.s3, config.modelDevelopment.artifactBucket.name, model.s3Prefix);
    } catch (e) {
        const failed = fail(
            id("list"),
            `List ${uri}`,
            `s3:ListBucket failed with ${dev.source}: ${describeError(e)}`,
            errorName(e) === "NoSuchBucket"
                ? `Create the bucket (pulumi up with artifactBucket.create: true) and ${upload}.`
                : `Give ${dev.source} s3:ListBucket on the bucket and s3:GetObject on ${uri}*, then run again.`,
        );
        return { results: [failed, ...skipLater("skipped: the prefix could not be listed")] };
    }
    if (objects.length === 0) {
        const empty = fail(
            id("list"),
            `List ${uri}`,
            `no objects under ${uri}`,
            `Check models[].s3Prefix for ${model.name}, or ${upload}.`,
        );
        return { results: [empty, ...skipLater("skipped: the prefix is empty")] };
    }
    const totalBytes = objects.reduce((n, o) => n + o.size, 0);
    return { results: [pass(id("list"), `List ${uri}`, `${objects.length} objects, ${gb(totalBytes)}`)], objects };
}

/** config.json directly under the prefix, as a JSON object (Bedrock reads it first). */
async function checkConfigJson(a: Artifacts): Promise<{ result: CheckResult; modelConfig?: Record<string, unknown> }> {
    const { id, uri, objects } = a;
    const title = `${uri}config.json is present and parseable`;
    if (!a.byName.has("config.json")) {
        const nested = objects.find((o) => o.name.endsWith("/config.json"));
        return {
            result: fail(
                id("config"),
                title,
                `no config.json directly under ${uri}${nested ? ` (found ${nested.key}: the prefix points one level too high)` : ""}`,
                nested
                    ? `Set models[].s3Prefix of ${a.model.name} to "${nested.key.slice(0, -"config.json".length)}".`
                    : `Upload the model's config.json to ${uri}config.json; Bedrock reads it first.`,
            ),
        };
    }
    try {
        const parsed = await getJson(a.dev.s3, a.bucket, `${a.prefix}config.json`);
        if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
            throw new Error("not a JSON object");
        return { result: pass(id("config"), title), modelConfig: parsed as Record<string, unknown> };
    } catch (e) {
        return {
            result: fail(
                id("config"),
                title,
                `${uri}config.json cannot be read as a JSON object: ${describeError(e)}`,
                `Upload the model's original config.json (from the Hugging Face repository or save_pretrained).`,
            ),
        };
    }
}

/** The declared architecture against the rulebook's list, in the hosting region. */
function checkArchitecture(
    a: Artifacts,
    modelConfig: Record<string, unknown> | undefined,
): { result: CheckResult; multimodal: boolean } {
    const { id, model } = a;
    const title = `The architecture of ${model.name} is one Bedrock Custom Model Import supports`;
    if (!modelConfig)
        return { result: skip(id("architecture"), title, "skipped: no readable config.json"), multimodal: false };
    const m = matchArchitecture(modelConfig);
    const region = a.config.modelHosting.region;
    if (m.supported && !importableIn(m.supported, region)) {
        const where = (m.supported.regions ?? []).join(", ");
        return {
            result: fail(
                id("architecture"),
                title,
                `${m.supported.family} (${m.declared}) is imported only in ${where}, and the hosting region is ` +
                    `${region} (modelHosting.region); the import job would fail`,
                `Host ${model.name} in ${where} (a stack with modelHosting.region: ${where}), or import a model ` +
                    `of an architecture Custom Model Import supports in ${region}.`,
            ),
            multimodal: false,
        };
    }
    if (m.supported)
        return {
            result: pass(id("architecture"), title, `${m.supported.family} (${m.declared})`),
            multimodal: m.supported.multimodal,
        };
    return {
        result: fail(
            id("architecture"),
            title,
            `config.json declares ${m.declared}, which Bedrock Custom Model Import does not support; the import ` +
                `job would fail`,
            `Import a model of a supported architecture: ${supportedList()}.`,
        ),
        multimodal: false,
    };
}

/** The context length config.json declares, against the rulebook's limit. */
function checkContextLength(a: Artifacts, modelConfig: Record<string, unknown> | undefined): CheckResult {
    const { id, model } = a;
    const maxTokens = MAX_CONTEXT_TOKENS.toLocaleString("en-US");
    const title =
        `The context length of ${model.name} is within Custom Model Import's limit (${maxTokens} tokens, ` +
        `"less than 128K")`;
    if (!modelConfig) return skip(id("context"), title, "skipped: no readable config.json");
    const context = contextLengthOf(modelConfig);
    if (!context) {
        return skip(
            id("context"),
            title,
            `config.json declares none of ${CONTEXT_LENGTH_KEYS.join(", ")} (top level or text_config): nothing ` +
                `to check`,
        );
    }
    if (context.tokens > MAX_CONTEXT_TOKENS) {
        return fail(
            id("context"),
            title,
            `config.json declares ${context.key} = ${context.tokens.toLocaleString("en-US")}, above Custom Model ` +
                `Import's limit of ${maxTokens} tokens (128K); the import job would fail`,
            `Import a variant of ${model.name} with at most ${maxTokens} positions, or set ${context.key} to ` +
                `${MAX_CONTEXT_TOKENS} in config.json and re-validate the model at that length before uploading.`,
        );
    }
    return pass(id("context"), title, `${context.key} = ${context.tokens.toLocaleString("en-US")}`);
}

/** .safetensors weights: one real header validated, and every shard the index names present. */
async function checkWeights(a: Artifacts): Promise<CheckResult> {
    const { id, uri, objects, byName, dev, bucket } = a;
    const title = `${uri} has .safetensors weights`;
    const shards = objects.filter((o) => o.name.endsWith(".safetensors"));
    if (shards.length === 0) {
        const other = objects.filter((o) => /\.(bin|pt|pth|ckpt|gguf)$/.test(o.name)).map((o) => o.name);
        return fail(
            id("weights"),
            title,
            `no .safetensors file under ${uri}${other.length ? `; found ${other.slice(0, 3).join(", ")}: Bedrock reads only safetensors` : ""}`,
            other.length
                ? `Convert the weights to safetensors (model.save_pretrained(dir, safe_serialization=True)) and ` +
                      `upload them.`
                : `Upload the model's .safetensors weight files to ${uri}.`,
        );
    }
    // Validate one real header (the smallest shard: two small ranged GETs) rather than trusting the suffix.
    const sample = [...shards].sort((x, y) => x.size - y.size)[0];
    const problems: string[] = [];
    try {
        const n = headerLength(await getBytes(dev.s3, bucket, sample.key, "bytes=0-7"));
        if (8 + n > sample.size) throw new Error(`header length ${n} exceeds the object size ${sample.size}`);
        validateHeader(await getBytes(dev.s3, bucket, sample.key, `bytes=8-${8 + n - 1}`), sample.size);
    } catch (e) {
        problems.push(`${sample.key} is not a valid safetensors file: ${e instanceof Error ? e.message : String(e)}`);
    }
    const index = byName.get("model.safetensors.index.json");
    if (index) {
        try {
            const parsed = (await getJson(dev.s3, bucket, index.key)) as { weight_map?: Record<string, string> };
            const absent = [...new Set(Object.values(parsed.weight_map ?? {}))].filter((f) => !byName.has(f));
            if (absent.length)
                problems.push(
                    `model.safetensors.index.json names shards that are not there: ` +
                        `${absent.slice(0, 5).join(", ")}${absent.length > 5 ? ", …" : ""}`,
                );
        } catch (e) {
            problems.push(`model.safetensors.index.json cannot be read: ${describeError(e)}`);
        }
    }
    return problems.length === 0
        ? pass(id("weights"), title, `${shards.length} file(s); header of ${sample.name} validated`)
        : fail(
              id("weights"),
              title,
              problems.join("; "),
              `Re-upload the weights (an interrupted upload or a renamed non-safetensors file gives this).`,
          );
}

function checkTokenizer(a: Artifacts): CheckResult {
    const { id, uri, byName } = a;
    const title = `${uri} has the tokenizer files`;
    const missing = [
        ...(byName.has("tokenizer.json") || byName.has("tokenizer.model")
            ? []
            : ["tokenizer.json (or tokenizer.model)"]),
        ...(byName.has("tokenizer_config.json") ? [] : ["tokenizer_config.json"]),
    ];
    return missing.length === 0
        ? pass(
              id("tokenizer"),
              title,
              ["tokenizer.json", "tokenizer.model", "tokenizer_config.json"].filter((f) => byName.has(f)).join(", "),
          )
        : fail(
              id("tokenizer"),
              title,
              `missing ${missing.join(" and ")} under ${uri}`,
              `Upload the tokenizer files saved with the model (tokenizer.save_pretrained(dir)).`,
          );
}

/** The artifacts' total size against the rulebook's limit for text or multimodal models. */
function checkSize(a: Artifacts, multimodal: boolean): CheckResult {
    const { id, uri, objects } = a;
    const totalBytes = objects.reduce((n, o) => n + o.size, 0);
    const limit = multimodal ? MAX_MULTIMODAL_MODEL_BYTES : MAX_TEXT_MODEL_BYTES;
    const title = `${uri} is under the ${gb(limit)} limit for ${multimodal ? "multimodal" : "text"} models`;
    return totalBytes < limit
        ? pass(id("size"), title, `${gb(totalBytes)} in ${objects.length} objects`)
        : fail(
              id("size"),
              title,
              `${gb(totalBytes)} in ${objects.length} objects`,
              `Remove files Bedrock does not need (optimizer states, checkpoints, other formats) from the ` +
                  `prefix, or import a smaller model.`,
          );
}

async function checkEncryption(
    config: StackConfig,
    model: ModelConfig,
    dev: AccountClients,
    objects: readonly ListedObject[],
    developmentKeyArn: string | undefined,
): Promise<CheckResult> {
    const bucket = config.modelDevelopment.artifactBucket.name;
    const uri = `s3://${bucket}/${model.s3Prefix}`;
    const id = `artifacts.${model.name}.encryption`;
    const kms = config.modelDevelopment.kms.enabled;
    const title = kms
        ? `Objects under ${uri} are encrypted with the development key`
        : `Objects under ${uri} are not encrypted with a KMS key the execution role cannot use`;
    if (kms && !developmentKeyArn)
        return skip(id, title, "skipped: the development key could not be resolved (see deployed.developmentKey)");
    const sample = objects.slice(0, MAX_HEAD_OBJECTS);
    const heads = await mapLimit(sample, 8, async (o) => {
        try {
            const h = await dev.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: o.key }));
            return { o, sse: h.ServerSideEncryption as string | undefined, keyId: h.SSEKMSKeyId };
        } catch (e) {
            return { o, error: describeError(e) };
        }
    });
    const scope =
        objects.length > sample.length
            ? `the first ${sample.length} of ${objects.length} objects`
            : `all ${objects.length} objects`;
    const errors = heads.filter((h) => "error" in h);
    if (errors.length)
        return fail(
            id,
            title,
            `HeadObject failed for ${errors.length} object(s), e.g. ${errors[0].o.key}: ` +
                `${"error" in errors[0] ? errors[0].error : ""}`,
            `Give ${dev.source} s3:GetObject on ${uri}*, then run again.`,
        );
    const reencrypt = (key: string) =>
        `Re-encrypt in place: aws s3 cp ${uri} ${uri} --recursive --sse aws:kms --sse-kms-key-id ${key}${config.modelDevelopment.profile ? ` --profile ${config.modelDevelopment.profile}` : ""}`;
    if (kms) {
        // S3 reports SSEKMSKeyId as the key ARN, whatever form (alias, id) the writer passed.
        const wrong = heads.filter(
            (h) => !("error" in h) && (!h.sse?.startsWith("aws:kms") || h.keyId !== developmentKeyArn),
        );
        if (wrong.length === 0) return pass(id, title, `${scope} use SSE-KMS with ${developmentKeyArn}`);
        const w = wrong[0] as { o: ListedObject; sse?: string; keyId?: string };
        return fail(
            id,
            title,
            `${wrong.length} of ${sample.length} objects are not encrypted with ${developmentKeyArn}, e.g. ` +
                `${w.o.key}: ${w.sse ?? "no SSE header"}${w.keyId ? ` with ${w.keyId}` : ""}; ` +
                `${w.keyId ? "the execution role may decrypt only with the development key" : "the program expects the development key"}`,
            `${reencrypt(developmentKeyArn ?? "<development key ARN>")}`,
        );
    }
    // With modelDevelopment.kms.keyArn, the research key is granted to the execution role: objects under it are
    // readable.
    const research = config.modelDevelopment.kms.keyArn;
    const kmsEncrypted = heads.filter(
        (h) => !("error" in h) && h.sse?.startsWith("aws:kms") && (research === undefined || h.keyId !== research),
    );
    if (kmsEncrypted.length === 0)
        return pass(
            id,
            title,
            research
                ? `${scope} use S3-managed encryption or the research key ${research}`
                : `${scope} use S3-managed encryption`,
        );
    const k = kmsEncrypted[0] as { o: ListedObject; keyId?: string };
    return fail(
        id,
        title,
        `${kmsEncrypted.length} object(s) are SSE-KMS encrypted (e.g. ${k.o.key} with ${k.keyId ?? "a KMS key"}) ` +
            `with a key the execution role cannot use ` +
            (research ? `(only the research key ${research} is granted to it)` : "(modelDevelopment.kms sets no key)"),
        research
            ? `Re-encrypt them with the research key (aws s3 cp ${uri} ${uri} --recursive --sse aws:kms ` +
                  `--sse-kms-key-id ${research}), or set modelDevelopment.kms.keyArn to the key that encrypts them.`
            : `Set modelDevelopment.kms.keyArn to the key that encrypts them (it is granted, not edited), or ` +
                  `re-encrypt with S3-managed keys: aws s3 cp ${uri} ${uri} --recursive --sse AES256.`,
    );
}
