// The Sid prefix that marks a stack's statements in the shared bucket policy. Pure; the hash uses Node's
// built-in crypto, required inside the function so the module stays serializable by value.

import type { OwnStatement } from "../policyDocument";
import { sha256Hex } from "../hash";

/** Every derived prefix starts with this, so people reading the bucket policy see who wrote the statement. */
const SID_PREFIX_BASE = "BedrockCmi";
/** Hex characters of the hash in a derived prefix. */
const SID_PREFIX_HASH_LENGTH = 8;
/** Characters of the stack name kept in a derived prefix (for people; uniqueness comes from the hash). */
const STACK_PART_MAX = 24;

/** "prod-eu_2" → "ProdEu2": Sids allow only letters and digits. */
function pascalAlnum(text: string): string {
    return text
        .split(/[^A-Za-z0-9]+/)
        .filter((part) => part !== "")
        .map((part) => part[0].toUpperCase() + part.slice(1))
        .join("");
}

/**
 * The Sid prefix of one component in one stack: "BedrockCmi" + 8 hex characters of a hash of (project, stack,
 * component) + the stack name in letters and digits, e.g. "BedrockCmi1f3a9c0bProd".
 *
 * The hash comes right after the fixed base, at a fixed position, so one derived prefix can only be the start of
 * another if their hashes are equal: a stack named "dev" can never claim the statements of a stack named
 * "dev2abc…", which a "base + stack + hash" layout would allow. The stack name follows for people reading the policy.
 */
export function sidPrefixFor(project: string, stack: string, component: string): string {
    const hash = sha256Hex(JSON.stringify([project, stack, component])).slice(0, SID_PREFIX_HASH_LENGTH);
    return `${SID_PREFIX_BASE}${hash}${pascalAlnum(stack).slice(0, STACK_PART_MAX)}`;
}

/** The resource's id: the bucket and the prefix together name the slot this resource owns. */
export function resourceIdFor(bucket: string, sidPrefix: string): string {
    return `${bucket}/${sidPrefix}`;
}

/** A builder's statements as one stack's: each Sid becomes `${sidPrefix}${Sid}` (Sids allow no separator). */
export function prefixedStatements<T extends OwnStatement>(statements: readonly T[], sidPrefix: string): T[] {
    return statements.map((s) => ({ ...s, Sid: `${sidPrefix}${s.Sid}` }));
}
