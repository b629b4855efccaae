// Reading a model's Hugging Face config.json against the rulebook's architectures and limits
// (components/rules/architectures.ts): which supported architecture it declares, and its context length.

import { SUPPORTED_ARCHITECTURES, type SupportedArchitecture } from "../../components/rules";

/**
 * The config.json keys that declare a model's context length, in the families' own spellings: max_position_embeddings
 * (Llama, Mistral, Mixtral, Qwen, GPT-OSS), n_positions (GPT-2 style, GPTBigCode), max_seq_len and seq_length (other
 * families). Each is read at the top level and under text_config, where multimodal models (Mllama) keep the text
 * model's settings. Flan-T5 uses relative positions and declares none.
 */
export const CONTEXT_LENGTH_KEYS: readonly string[] = [
    "max_position_embeddings",
    "n_positions",
    "max_seq_len",
    "seq_length",
];

export interface ArchitectureMatch {
    supported?: SupportedArchitecture;
    /** What config.json declared, for messages. */
    declared: string;
}

/** Matches config.json's `architectures[0]` first (what transformers loads), then `model_type`. */
export function matchArchitecture(config: Record<string, unknown>): ArchitectureMatch {
    const archs = Array.isArray(config["architectures"])
        ? config["architectures"].filter((a): a is string => typeof a === "string")
        : [];
    const modelType = typeof config["model_type"] === "string" ? config["model_type"] : undefined;
    const declared =
        [archs.length ? `architectures ${JSON.stringify(archs)}` : "", modelType ? `model_type "${modelType}"` : ""]
            .filter(Boolean)
            .join(", ") || "neither architectures nor model_type";
    if (archs.length > 0) {
        const supported = SUPPORTED_ARCHITECTURES.find((s) => s.architectures.includes(archs[0]));
        return supported ? { supported, declared } : { declared };
    }
    const supported = modelType ? SUPPORTED_ARCHITECTURES.find((s) => s.modelType === modelType) : undefined;
    return supported ? { supported, declared } : { declared };
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
