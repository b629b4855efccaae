// The one hash behind derived names (Sid prefixes, job names, idempotency tokens, model versions).

import { createHash } from "crypto";

export function sha256Hex(text: string): string {
    return createHash("sha256").update(text).digest("hex");
}
