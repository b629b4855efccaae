// "Did you mean …?" for config keys: the nearest known key by edit distance, ignoring case.

function distance(a: string, b: string): number {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        let diagonal = row[0];
        row[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const above = row[j];
            row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
            diagonal = above;
        }
    }
    return row[b.length];
}

/** The known key closest to `key` (case-insensitive), if it is close enough to be a typo. */
export function nearest(key: string, known: readonly string[]): string | undefined {
    let best: { key: string; d: number } | undefined;
    for (const k of known) {
        const d = distance(key.toLowerCase(), k.toLowerCase());
        if (best === undefined || d < best.d) best = { key: k, d };
    }
    // A third of the key's length tolerates a slip or two in long keys without matching unrelated short ones.
    return best && best.d <= Math.max(1, Math.floor(Math.max(key.length, best.key.length) / 3)) ? best.key : undefined;
}
