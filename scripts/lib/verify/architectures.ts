// The model architectures Amazon Bedrock Custom Model Import accepts, in one place.
// Source: the CMI "supported architectures" list (shared/docs/bedrock-cmi-facts.md). Keys are Hugging Face
// `model_type` values; `architectures` holds the transformers class names config.json lists.
// Add an entry here when AWS adds an architecture; nothing else in the code lists them.

export interface SupportedArchitecture {
    /** The family as AWS names it. */
    family: string;
    modelType: string;
    architectures: readonly string[];
    /** Multimodal models have a lower artifact size limit. */
    multimodal: boolean;
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
    { family: "Qwen3", modelType: "qwen3", architectures: ["Qwen3ForCausalLM"], multimodal: false },
    { family: "GPT-OSS", modelType: "gpt_oss", architectures: ["GptOssForCausalLM"], multimodal: false },
];

/** Artifact size limits of CMI, in bytes (decimal GB, the smaller reading of "GB"). */
export const MAX_TEXT_MODEL_BYTES = 200e9;
export const MAX_MULTIMODAL_MODEL_BYTES = 100e9;

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

export function supportedList(): string {
    return SUPPORTED_ARCHITECTURES.map((s) => `${s.family} (${s.architectures.join(", ")})`).join("; ");
}
