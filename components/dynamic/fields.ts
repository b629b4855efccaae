// How a dynamic resource declares its inputs once. Each resource has an interface of its resolved inputs (types and
// docs) and a field table beside it that says, per input, what a new value does and whether state keeps it; the
// compiler holds the table to the interface (one entry per input, no more, no fewer). The resource's arguments, the
// provider's replace and update keys and the mapping between inputs and state derive from those two.

import type * as pulumi from "@pulumi/pulumi";

/** What a new value of an input does to the resource. */
type FieldChange =
    /** Another value is another resource: replace. */
    | "replace"
    /** Applied, or only stored, in place: update. */
    | "update"
    /** The provider's `diff` compares it its own way (a key's spelling, a tag map, live statements). */
    | "own"
    /** Never a change: used for messages, or read only when the resource is created. */
    | "none";

export interface Field {
    change: FieldChange;
    /** Not kept in state: only the current run uses it (a value in state would go stale). Default: kept. */
    stored?: false;
    /** Set by the provider, never by the program: not a resource argument. */
    providerOnly?: true;
    /** Encrypted in state, as an input and as an output. */
    secret?: true;
}

/** One field per input of `Inputs`. */
export type FieldTable<Inputs> = { readonly [K in keyof Inputs]-?: Field };

/** The keys whose field satisfies `test`, in the table's order. */
export function keysWhere<Inputs>(
    table: FieldTable<Inputs>,
    test: (field: Field) => boolean,
): (keyof Inputs & string)[] {
    return (Object.keys(table) as (keyof Inputs & string)[]).filter((key) => test(table[key]));
}

/** The keys a table marks with `Mark` (e.g. `{ providerOnly: true }`), as a type. */
export type KeysMarked<Table, Mark> = { [K in keyof Table]: Table[K] extends Mark ? K : never }[keyof Table];

/** `T` as a resource argument: the value, and every value inside it, may be an output of another resource. */
type InputOf<T> = pulumi.Input<
    T extends readonly (infer E)[] ? InputOf<E>[] : T extends object ? { [K in keyof T]: InputOf<T[K]> } : T
>;

/** Resource arguments from resolved inputs: the same keys and optionality, docs included, each value an `InputOf`. */
export type ArgsOf<T> = { [K in keyof T]: InputOf<NonNullable<T[K]>> };

/** The resource's output properties for `keys` of what the provider stores, each as optional as it is there. */
export type OutputsOf<Outputs, Keys extends keyof Outputs> = { readonly [K in Keys]-?: pulumi.Output<Outputs[K]> };

/** Output properties that a created resource always has (the provider reports them once it exists). */
export type ReportedOutputsOf<Outputs, Keys extends keyof Outputs> = {
    readonly [K in Keys]-?: pulumi.Output<NonNullable<Outputs[K]>>;
};

/** The values of `keys` in `from` (undefined ones too, as `undefined`). */
export function pick<T, K extends keyof T>(from: T, keys: readonly K[]): Pick<T, K> {
    return Object.fromEntries(keys.map((key) => [key, from[key]])) as Pick<T, K>;
}
