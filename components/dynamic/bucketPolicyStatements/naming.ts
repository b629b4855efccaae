// How a stack's statements are named in the shared bucket policy: each Sid carries the stack's prefix (derived in
// components/naming.ts), and the resource's id names the slot the prefix owns. Pure.

import type { OwnStatement } from "../../policies/document";

/** The resource's id: the bucket and the prefix together name the slot this resource owns. */
export function resourceIdFor(bucket: string, sidPrefix: string): string {
    return `${bucket}/${sidPrefix}`;
}

/** A builder's statements as one stack's: each Sid becomes `${sidPrefix}${Sid}` (Sids allow no separator). */
export function prefixedStatements<T extends OwnStatement>(statements: readonly T[], sidPrefix: string): T[] {
    return statements.map((s) => ({ ...s, Sid: `${sidPrefix}${s.Sid}` }));
}
