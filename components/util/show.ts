// How messages quote a value they refuse: strings in JSON quotes (so a stray space or an empty string shows), objects
// and lists as JSON, nothing as "nothing". Pure.

export function show(value: unknown): string {
    if (typeof value === "string") return JSON.stringify(value);
    if (value === undefined) return "nothing";
    if (typeof value === "object" && value !== null) return JSON.stringify(value) ?? String(value);
    return String(value);
}
