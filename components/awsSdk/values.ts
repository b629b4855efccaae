// Input and output values as the engine hands them to a dynamic provider and takes them back. Pure.

/** Drops undefined and null fields: protobuf Struct conversion in the provider host rejects them. */
export function compact<T extends object>(value: T): T {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as T;
}

/** True when two input values are the same for `diff`: absent, null and "" all mean "not set". */
export function sameValue(a: unknown, b: unknown): boolean {
    const norm = (v: unknown) => (v === undefined || v === null || v === "" ? undefined : v);
    return norm(a) === norm(b);
}
