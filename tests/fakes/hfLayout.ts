// Builds a tiny but well-formed Hugging Face model layout for the verify-access tests: a real config.json
// (a 2-layer Mistral shape), a valid safetensors file holding one small tensor, and the tokenizer files.

/**
 * Safetensors bytes: u64 LE header length, the JSON header (space-padded to 8 bytes, as the library writes), the data.
 */
export function safetensors(
    tensors: Record<string, { dtype: "F32" | "F16" | "BF16"; shape: number[]; data: Buffer }>,
): Buffer {
    const header: Record<string, unknown> = { __metadata__: { format: "pt" } };
    const chunks: Buffer[] = [];
    let offset = 0;
    for (const [name, t] of Object.entries(tensors)) {
        header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + t.data.length] };
        chunks.push(t.data);
        offset += t.data.length;
    }
    let json = JSON.stringify(header);
    json += " ".repeat((8 - (Buffer.byteLength(json) % 8)) % 8);
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
    return Buffer.concat([length, Buffer.from(json, "utf8"), ...chunks]);
}

function f32(values: number[]): Buffer {
    const b = Buffer.alloc(values.length * 4);
    values.forEach((v, i) => b.writeFloatLE(v, i * 4));
    return b;
}

export interface LayoutOptions {
    /** config.json fields to override, e.g. { architectures: ["BertForMaskedLM"], model_type: "bert" }. */
    config?: Record<string, unknown>;
    /** Files to leave out, e.g. ["config.json"]. */
    omit?: string[];
    /** Extra files (relative names) to add or replace. */
    extra?: Record<string, Buffer | string>;
}

function mistralConfig(): Record<string, unknown> {
    return {
        architectures: ["MistralForCausalLM"],
        model_type: "mistral",
        hidden_size: 4,
        intermediate_size: 8,
        num_attention_heads: 2,
        num_hidden_layers: 2,
        num_key_value_heads: 1,
        max_position_embeddings: 32768,
        vocab_size: 8,
        rms_norm_eps: 1e-5,
        rope_theta: 10000.0,
        sliding_window: null,
        tie_word_embeddings: false,
        torch_dtype: "float32",
        transformers_version: "4.44.0",
        bos_token_id: 1,
        eos_token_id: 2,
    };
}

/** The files of the layout, by name relative to the model prefix. */
export function hfLayout(options: LayoutOptions = {}): Record<string, Buffer> {
    const files: Record<string, Buffer> = {
        "config.json": Buffer.from(JSON.stringify({ ...mistralConfig(), ...options.config }, null, 2)),
        "generation_config.json": Buffer.from(JSON.stringify({ bos_token_id: 1, eos_token_id: 2 })),
        "model.safetensors": safetensors({
            "model.embed_tokens.weight": {
                dtype: "F32",
                shape: [8, 4],
                data: f32(Array.from({ length: 32 }, (_, i) => i / 32)),
            },
            "model.norm.weight": { dtype: "F32", shape: [4], data: f32([1, 1, 1, 1]) },
        }),
        "tokenizer.json": Buffer.from(
            JSON.stringify({
                version: "1.0",
                added_tokens: [
                    { id: 1, content: "<s>", special: true },
                    { id: 2, content: "</s>", special: true },
                ],
                model: {
                    type: "BPE",
                    vocab: { "<unk>": 0, "<s>": 1, "</s>": 2, a: 3, b: 4, c: 5, ab: 6, abc: 7 },
                    merges: ["a b", "ab c"],
                },
            }),
        ),
        "tokenizer_config.json": Buffer.from(
            JSON.stringify({
                bos_token: "<s>",
                eos_token: "</s>",
                unk_token: "<unk>",
                model_max_length: 32768,
                tokenizer_class: "LlamaTokenizerFast",
            }),
        ),
        "special_tokens_map.json": Buffer.from(
            JSON.stringify({ bos_token: "<s>", eos_token: "</s>", unk_token: "<unk>" }),
        ),
    };
    for (const name of options.omit ?? []) delete files[name];
    for (const [name, content] of Object.entries(options.extra ?? {}))
        files[name] = Buffer.isBuffer(content) ? content : Buffer.from(content);
    return files;
}
