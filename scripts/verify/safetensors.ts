// The safetensors format: 8 bytes little-endian u64 N, then N bytes of UTF-8 JSON mapping tensor names to
// { dtype, shape, data_offsets: [begin, end] } (plus an optional "__metadata__" string map), then the data.
// Offsets are relative to the end of the header; the data section is exactly the tensors, contiguous.

/** Header sizes above this are refused by the safetensors library itself (100 MB). */
const MAX_HEADER_BYTES = 100_000_000;

const DTYPE_BYTES: Readonly<Record<string, number>> = {
    BOOL: 1,
    U8: 1,
    I8: 1,
    F8_E4M3: 1,
    F8_E5M2: 1,
    F8_E8M0: 1,
    F4: 1,
    I16: 2,
    U16: 2,
    F16: 2,
    BF16: 2,
    I32: 4,
    U32: 4,
    F32: 4,
    I64: 8,
    U64: 8,
    F64: 8,
};

/** The header length from the first 8 bytes; throws when they cannot start a safetensors file. */
export function headerLength(first8: Uint8Array): number {
    if (first8.length < 8) throw new Error(`the file is shorter than 8 bytes`);
    const n = Buffer.from(first8.buffer, first8.byteOffset, 8).readBigUInt64LE(0);
    if (n < 2n || n > BigInt(MAX_HEADER_BYTES))
        throw new Error(`header length ${n} is not plausible (a safetensors header is 2 bytes to 100 MB)`);
    return Number(n);
}

export interface SafetensorsSummary {
    tensors: number;
    dataBytes: number;
}

/** Validates the JSON header against the object's total size; returns what it describes. */
export function validateHeader(header: Uint8Array, totalSize: number): SafetensorsSummary {
    let parsed: unknown;
    try {
        parsed = JSON.parse(Buffer.from(header).toString("utf8"));
    } catch {
        throw new Error("the header is not JSON");
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
        throw new Error("the header is not a JSON object");
    let end = 0;
    let tensors = 0;
    for (const [name, info] of Object.entries(parsed as Record<string, unknown>)) {
        if (name === "__metadata__") continue;
        const t = info as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
        const offsets = t.data_offsets;
        if (typeof t.dtype !== "string" || !Array.isArray(t.shape) || !Array.isArray(offsets) || offsets.length !== 2) {
            throw new Error(`tensor "${name}" lacks dtype, shape or data_offsets`);
        }
        const [b, e] = offsets as unknown[];
        if (typeof b !== "number" || typeof e !== "number" || b > e)
            throw new Error(`tensor "${name}" has invalid data_offsets`);
        const width = DTYPE_BYTES[t.dtype];
        const elements = (t.shape as unknown[]).reduce<number>((n, d) => n * (typeof d === "number" ? d : NaN), 1);
        if (width !== undefined && width * elements !== e - b && t.dtype !== "F4") {
            throw new Error(
                `tensor "${name}" (${t.dtype} ${JSON.stringify(t.shape)}) needs ${width * elements} bytes but ` +
                    `data_offsets span ${e - b}`,
            );
        }
        end = Math.max(end, e);
        tensors++;
    }
    if (tensors === 0) throw new Error("the header lists no tensors");
    const expected = 8 + header.length + end;
    if (expected !== totalSize)
        throw new Error(
            `the header describes ${expected} bytes but the object has ${totalSize} (truncated or not safetensors)`,
        );
    return { tensors, dataBytes: end };
}
