// The one hash behind derived names (Sid prefixes, job names, idempotency tokens, model versions). Node's crypto is
// required inside the function, so the module stays serializable by value into the dynamic providers.

export function sha256Hex(text: string): string {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const crypto: typeof import("crypto") = require("crypto");
    return crypto.createHash("sha256").update(text).digest("hex");
}
