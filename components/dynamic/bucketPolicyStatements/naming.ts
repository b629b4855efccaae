// How a stack's slot in the shared bucket policy is named: each Sid carries the stack's prefix (derived in
// components/naming.ts, applied by prefixedStatements in components/policies/document.ts), and the resource's id names
// the slot the prefix owns. Pure.

/** The resource's id: the bucket and the prefix together name the slot this resource owns. */
export function resourceIdFor(bucket: string, sidPrefix: string): string {
    return `${bucket}/${sidPrefix}`;
}
