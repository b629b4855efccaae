// The model architectures Amazon Bedrock Custom Model Import accepts, in one place, from AWS's list
// (https://docs.aws.amazon.com/bedrock/latest/userguide/model-customization-import-model.html#model-customization-import-model-architecture).
// Keys are Hugging Face `model_type` values; `architectures` holds the transformers class names config.json lists. Add
// an entry here when AWS adds an architecture; nothing else in the code lists them.

import { GPT_OSS_IMPORT_REGIONS } from "./regions";

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
    {
        family: "Llama 2 / 3 / 3.1 / 3.2 / 3.3",
        modelType: "llama",
        architectures: ["LlamaForCausalLM"],
        multimodal: false,
    },
    {
        family: "Mllama (Llama 3.2 Vision)",
        modelType: "mllama",
        architectures: ["MllamaForConditionalGeneration"],
        multimodal: true,
    },
    { family: "Mistral", modelType: "mistral", architectures: ["MistralForCausalLM"], multimodal: false },
    { family: "Mixtral", modelType: "mixtral", architectures: ["MixtralForCausalLM"], multimodal: false },
    { family: "Flan-T5", modelType: "t5", architectures: ["T5ForConditionalGeneration"], multimodal: false },
    { family: "GPTBigCode", modelType: "gpt_bigcode", architectures: ["GPTBigCodeForCausalLM"], multimodal: false },
    // Qwen2.5 text models are model_type "qwen2" with the Qwen2 classes.
    { family: "Qwen2 / Qwen2.5", modelType: "qwen2", architectures: ["Qwen2ForCausalLM"], multimodal: false },
    { family: "Qwen2-VL", modelType: "qwen2_vl", architectures: ["Qwen2VLForConditionalGeneration"], multimodal: true },
    {
        family: "Qwen2.5-VL",
        modelType: "qwen2_5_vl",
        architectures: ["Qwen2_5_VLForConditionalGeneration"],
        multimodal: true,
    },
    // "For Qwen3 architecture, only Qwen3ForCausalLM and Qwen3MoeForCausalLM are supported."
    { family: "Qwen3", modelType: "qwen3", architectures: ["Qwen3ForCausalLM"], multimodal: false },
    { family: "Qwen3 MoE", modelType: "qwen3_moe", architectures: ["Qwen3MoeForCausalLM"], multimodal: false },
    // "GPT-OSS model architecture is only supported in the US East (N. Virginia) region."
    {
        family: "GPT-OSS",
        modelType: "gpt_oss",
        architectures: ["GptOssForCausalLM"],
        multimodal: false,
        regions: GPT_OSS_IMPORT_REGIONS,
    },
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

/** Whether AWS imports this architecture in the given hosting region. */
export function importableIn(arch: SupportedArchitecture, region: string): boolean {
    return arch.regions === undefined || arch.regions.includes(region);
}

export function supportedList(): string {
    return SUPPORTED_ARCHITECTURES.map(
        (s) => `${s.family} (${s.architectures.join(", ")}${s.regions ? `; only in ${s.regions.join(", ")}` : ""})`,
    ).join("; ");
}
