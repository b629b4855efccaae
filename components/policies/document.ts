// One model of an IAM policy document, for the builders, the bucket-policy provider, plan and verify-access: the
// statement and document types, the parse of a document as AWS returns it, the canonical form under which two
// statements IAM reads the same way are equal, the Sid prefix that marks a stack's statements, and the filter that
// tells a stack's statements from everyone else's. Pure.
// Grammar: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html

/** Any JSON value a policy document may hold. */
type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object (a statement, a condition block, a principal map). */
export type JsonObject = { [key: string]: JsonValue };

export type ConditionBlock = Record<string, Record<string, string | string[]>>;

type Principal = "*" | { AWS: string | string[] } | { Service: string | string[] } | { Federated: string | string[] };

/**
 * One statement. Every statement the program writes has a Sid (`OwnStatement`): it names the statement in messages, and
 * in the shared bucket policy the Sid prefix is how a stack tells its statements from everyone else's. A statement
 * read from AWS may have none.
 */
export interface PolicyStatement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Principal?: Principal;
    NotPrincipal?: Principal;
    Action?: string | string[];
    NotAction?: string | string[];
    Resource?: string | string[];
    NotResource?: string | string[];
    Condition?: ConditionBlock;
}

/** A statement the program writes: always named. */
export type OwnStatement = PolicyStatement & { Sid: string };

/** The policy language version AWS documents for new policies; a document read back keeps its own. */
export const POLICY_VERSION = "2012-10-17";

/** A document; the program's own documents hold only named statements (`PolicyDocument<OwnStatement>`). */
export interface PolicyDocument<S extends PolicyStatement = PolicyStatement> {
    Version: typeof POLICY_VERSION | "2008-10-17";
    Id?: string;
    Statement: S[];
}

/** A document of the current version holding `statements`. */
export function policyDocument<S extends PolicyStatement>(statements: readonly S[]): PolicyDocument<S> {
    return { Version: POLICY_VERSION, Statement: [...statements] };
}

function isObject(value: unknown): value is JsonObject {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A parsed document, or why the text is not one (to be phrased by the caller, who knows where it came from). */
export type ParsedPolicy = { doc: PolicyDocument } | { problem: string; cause?: unknown };

/**
 * Parses a document as AWS returns it. IAM returns documents URL-encoded (RFC 3986) JSON; S3 and KMS return plain
 * JSON. `Statement` may be a single object (the grammar allows it): it becomes a one-element list, which is the same
 * policy. Every other top-level key is kept as it was.
 */
export function readPolicy(text: string, urlEncoded = false): ParsedPolicy {
    let json = text;
    if (urlEncoded) {
        try {
            json = decodeURIComponent(text);
        } catch {
            // Some callers already decode; a literal "%" in a decoded document is then not an escape.
            json = text;
        }
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(json);
    } catch (err) {
        return { problem: `is not JSON (${(err as Error).message})`, cause: err };
    }
    if (!isObject(parsed)) return { problem: "is not a JSON object" };
    const raw = parsed.Statement;
    if (raw === undefined) return { problem: "has no Statement" };
    const statements = Array.isArray(raw) ? raw : [raw];
    if (!statements.every(isObject)) return { problem: "has a Statement that holds something other than objects" };
    return { doc: { ...parsed, Statement: statements } as unknown as PolicyDocument };
}

/** `readPolicy`, throwing "the document …" when the text is not a policy. */
export function parsePolicy(text: string, urlEncoded = false): PolicyDocument {
    const read = readPolicy(text, urlEncoded);
    if ("problem" in read) throw new Error(`the document ${read.problem}`, { cause: read.cause });
    return read.doc;
}

/** A builder's statements as one stack's: each Sid becomes `${sidPrefix}${Sid}` (Sids allow no separator). */
export function prefixedStatements<T extends OwnStatement>(statements: readonly T[], sidPrefix: string): T[] {
    return statements.map((s) => ({ ...s, Sid: `${sidPrefix}${s.Sid}` }));
}

/** True for a statement a Sid prefix owns: its Sid starts with the prefix. */
export function isOwned<S extends PolicyStatement>(statement: S, sidPrefix: string): statement is S & OwnStatement {
    return typeof statement.Sid === "string" && statement.Sid.startsWith(sidPrefix);
}

/** The statements a Sid prefix owns in a (shared) document, in document order. */
export function ownStatements(doc: PolicyDocument | undefined, sidPrefix: string): OwnStatement[] {
    return (doc?.Statement ?? []).filter((s): s is OwnStatement => isOwned(s, sidPrefix));
}

// ---- equivalence ----
// AWS may return a document reformatted (white space, key order, a one-element list as a scalar, an account id as its
// root ARN), so statements are compared after normalizing what IAM treats as equal:
// - Action/NotAction, Resource/NotResource, principal and condition values: a scalar equals a one-element list, and
//   order and duplicates do not matter (grammar page above);
// - action names and condition keys are case-insensitive
//   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html,
//   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html);
// - an AWS principal given as an account id means that account's root
//   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-accounts);
// - condition values are strings to IAM ("false" and false are the same Bool condition).

function list(value: JsonValue | undefined): JsonValue[] {
    return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function sortedUnique(values: string[]): string[] {
    return [...new Set(values)].sort();
}

function scalarText(value: JsonValue): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}

function principalValue(kind: string, value: string): string {
    const root = kind === "AWS" ? /^arn:[a-z-]+:iam::(\d{12}):root$/.exec(value) : null;
    return root ? root[1] : value;
}

function normalizePrincipal(value: JsonValue): JsonValue {
    if (!isObject(value)) return value;
    const out: JsonObject = {};
    for (const [kind, v] of Object.entries(value))
        out[kind] = sortedUnique(list(v).map((x) => principalValue(kind, scalarText(x))));
    return out;
}

function normalizeCondition(value: JsonValue): JsonValue {
    if (!isObject(value)) return value;
    const out: JsonObject = {};
    for (const [operator, block] of Object.entries(value)) {
        if (!isObject(block)) {
            out[operator] = block;
            continue;
        }
        const keys: JsonObject = {};
        for (const [key, v] of Object.entries(block)) keys[key.toLowerCase()] = sortedUnique(list(v).map(scalarText));
        out[operator] = keys;
    }
    return out;
}

/** Stable JSON: object keys sorted, so key order never makes two equal statements differ. */
function stableJson(value: JsonValue): string {
    if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
    if (isObject(value)) {
        return `{${Object.keys(value)
            .sort()
            .map((k) => `${JSON.stringify(k)}:${stableJson(value[k])}`)
            .join(",")}}`;
    }
    return JSON.stringify(value);
}

/** A canonical text of a statement, Sid included: equal for two statements IAM reads the same way. */
export function canonicalStatement(statement: PolicyStatement | JsonObject): string {
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(statement as JsonObject)) {
        if (value === undefined) continue;
        if (key === "Action" || key === "NotAction")
            out[key] = sortedUnique(list(value).map((a) => scalarText(a).toLowerCase()));
        else if (key === "Resource" || key === "NotResource") out[key] = sortedUnique(list(value).map(scalarText));
        else if (key === "Principal" || key === "NotPrincipal") out[key] = normalizePrincipal(value);
        else if (key === "Condition") out[key] = normalizeCondition(value);
        else out[key] = value;
    }
    return stableJson(out);
}

/** The canonical text without the Sid: what the statement allows or denies, whatever it is called. */
export function canonicalContent(statement: PolicyStatement | JsonObject): string {
    const { Sid: _sid, ...content } = statement as JsonObject;
    return canonicalStatement(content);
}

/** True when both lists hold the same statements (as IAM reads them), in any order. */
export function sameStatements(
    a: ReadonlyArray<PolicyStatement | JsonObject>,
    b: ReadonlyArray<PolicyStatement | JsonObject>,
): boolean {
    const ca = a.map(canonicalStatement).sort();
    const cb = b.map(canonicalStatement).sort();
    return ca.length === cb.length && ca.every((c, i) => c === cb[i]);
}

/** Sids of `wanted` statements that `live` lacks or holds with other content: for messages. */
export function differingSids(wanted: readonly OwnStatement[], live: readonly PolicyStatement[]): string[] {
    const have = new Set(live.map(canonicalStatement));
    return wanted.filter((s) => !have.has(canonicalStatement(s))).map((s) => s.Sid);
}
