// The model architectures Amazon Bedrock Custom Model Import accepts, in one place, from AWS's list
// (https://docs.aws.amazon.com/bedrock/latest/userguide/model-customization-import-model.html#model-customization-import-model-architecture).
// Keys are Hugging Face `model_type` values; `architectures` holds the transformers class names config.json lists.
// Add an entry here when AWS adds an architecture; nothing else in the code lists them.

import { GPT_OSS_IMPORT_REGIONS } from "../../../components/rules";

export interface SupportedArchitecture {
    /** The family as AWS names it. */
    family: string;
    modelType: string;
    architectures: readonly string[];
    /** Multimodal models have a lower artifact size limit. */
    multimodal: boolean;
    /** Hosting regions where AWS imports this architecture; absent: every Custom Model Import region. */
    regions?: readonly string[];
}

export const SUPPORTED_ARCHITECTURES: readonly SupportedArchitecture[] = [
    { family: "Llama 2 / 3 / 3.1 / 3.2 / 3.3", modelType: "llama", architectures: ["LlamaForCausalLM"], multimodal: false },
    { family: "Mllama (Llama 3.2 Vision)", modelType: "mllama", architectures: ["MllamaForConditionalGeneration"], multimodal: true },
    { family: "Mistral", modelType: "mistral", architectures: ["MistralForCausalLM"], multimodal: false },
    { family: "Mixtral", modelType: "mixtral", architectures: ["MixtralForCausalLM"], multimodal: false },
    { family: "Flan-T5", modelType: "t5", architectures: ["T5ForConditionalGeneration"], multimodal: false },
    { family: "GPTBigCode", modelType: "gpt_bigcode", architectures: ["GPTBigCodeForCausalLM"], multimodal: false },
    // Qwen2.5 text models are model_type "qwen2" with the Qwen2 classes.
    { family: "Qwen2 / Qwen2.5", modelType: "qwen2", architectures: ["Qwen2ForCausalLM"], multimodal: false },
    { family: "Qwen2-VL", modelType: "qwen2_vl", architectures: ["Qwen2VLForConditionalGeneration"], multimodal: true },
    { family: "Qwen2.5-VL", modelType: "qwen2_5_vl", architectures: ["Qwen2_5_VLForConditionalGeneration"], multimodal: true },
    // "For Qwen3 architecture, only Qwen3ForCausalLM and Qwen3MoeForCausalLM are supported."
    { family: "Qwen3", modelType: "qwen3", architectures: ["Qwen3ForCausalLM"], multimodal: false },
    { family: "Qwen3 MoE", modelType: "qwen3_moe", architectures: ["Qwen3MoeForCausalLM"], multimodal: false },
    // "GPT-OSS model architecture is only supported in the US East (N. Virginia) region."
    { family: "GPT-OSS", modelType: "gpt_oss", architectures: ["GptOssForCausalLM"], multimodal: false, regions: GPT_OSS_IMPORT_REGIONS },
];

/** Artifact size limits of CMI, in bytes (decimal GB, the smaller reading of "GB"). */
export const MAX_TEXT_MODEL_BYTES = 200e9;
export const MAX_MULTIMODAL_MODEL_BYTES = 100e9;

/**
 * AWS: "The maximum positional embeddings or the maximum context length supported by the model should be less than
 * 128K" (page above). Read as at most 128 Ki = 131,072 tokens: the same page lists Llama 3.1, whose released
 * config.json declares exactly 131072, among the supported architectures, so a strict "< 131072" would refuse it.
 */
export const MAX_CONTEXT_TOKENS = 131_072;

/**
 * The config.json keys that declare a model's context length, in the families' own spellings: max_position_embeddings
 * (Llama, Mistral, Mixtral, Qwen, GPT-OSS), n_positions (GPT-2 style, GPTBigCode), max_seq_len and seq_length (other
 * families). Each is read at the top level and under text_config, where multimodal models (Mllama) keep the text
 * model's settings. Flan-T5 uses relative positions and declares none.
 */
export const CONTEXT_LENGTH_KEYS: readonly string[] = ["max_position_embeddings", "n_positions", "max_seq_len", "seq_length"];

export interface ArchitectureMatch {
    supported?: SupportedArchitecture;
    /** What config.json declared, for messages. */
    declared: string;
}

/** Matches config.json's `architectures[0]` first (what transformers loads), then `model_type`. */
export function matchArchitecture(config: Record<string, unknown>): ArchitectureMatch {
    const archs = Array.isArray(config["architectures"]) ? config["architectures"].filter((a): a is string => typeof a === "string") : [];
    const modelType = typeof config["model_type"] === "string" ? config["model_type"] : undefined;
    const declared =
        [archs.length ? `architectures ${JSON.stringify(archs)}` : "", modelType ? `model_type "${modelType}"` : ""].filter(Boolean).join(", ") ||
        "neither architectures nor model_type";
    if (archs.length > 0) {
        const supported = SUPPORTED_ARCHITECTURES.find((s) => s.architectures.includes(archs[0]));
        return supported ? { supported, declared } : { declared };
    }
    const supported = modelType ? SUPPORTED_ARCHITECTURES.find((s) => s.modelType === modelType) : undefined;
    return supported ? { supported, declared } : { declared };
}

/** Whether AWS imports this architecture in the given hosting region. */
export function importableIn(arch: SupportedArchitecture, region: string): boolean {
    return arch.regions === undefined || arch.regions.includes(region);
}

export function supportedList(): string {
    return SUPPORTED_ARCHITECTURES.map((s) => `${s.family} (${s.architectures.join(", ")}${s.regions ? `; only in ${s.regions.join(", ")}` : ""})`).join("; ");
}

export interface ContextLength {
    /** Where it was read, e.g. "max_position_embeddings" or "text_config.max_position_embeddings". */
    key: string;
    tokens: number;
}

/** The largest context length config.json declares under CONTEXT_LENGTH_KEYS; undefined when it declares none. */
export function contextLengthOf(config: Record<string, unknown>): ContextLength | undefined {
    const scopes: Array<[string, unknown]> = [
        ["", config],
        ["text_config.", config["text_config"]],
    ];
    let largest: ContextLength | undefined;
    for (const [prefix, scope] of scopes) {
        if (typeof scope !== "object" || scope === null || Array.isArray(scope)) continue;
        for (const key of CONTEXT_LENGTH_KEYS) {
            const value = (scope as Record<string, unknown>)[key];
            if (typeof value === "number" && Number.isFinite(value) && (!largest || value > largest.tokens))
                largest = { key: `${prefix}${key}`, tokens: value };
        }
    }
    return largest;
}
