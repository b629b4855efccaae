// Parsing and comparing deployed policy documents. IAM returns documents URL-encoded (RFC 3986) JSON;
// S3 and KMS return them as plain JSON. All of them may come back reformatted, with single-element
// arrays collapsed to strings or statements reordered, so comparison is on a normalized form.

import type { PolicyDocument, PolicyStatement } from "../../../components/policies";

/** Parses a policy document as AWS returns it; throws with a short reason when it is not a policy. */
export function parsePolicy(text: string, urlEncoded = false): PolicyDocument {
    let json = text;
    if (urlEncoded) {
        try {
            json = decodeURIComponent(text);
        } catch {
            // Some callers already decode; a literal "%" in a decoded document is then not an escape.
            json = text;
        }
    }
    const doc: unknown = JSON.parse(json);
    if (typeof doc !== "object" || doc === null || Array.isArray(doc)) throw new Error("the document is not a JSON object");
    const statement = (doc as { Statement?: unknown }).Statement;
    if (statement === undefined) throw new Error("the document has no Statement");
    // IAM accepts a single statement object in place of the array.
    const statements = Array.isArray(statement) ? statement : [statement];
    return { ...(doc as object), Statement: statements } as PolicyDocument;
}

export const EMPTY_POLICY: PolicyDocument = { Version: "2012-10-17", Statement: [] };

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

// Values where order and single-vs-array form carry no meaning in IAM.
function canonical(value: unknown, setLike: boolean): Json {
    if (Array.isArray(value)) {
        const items = value.map((v) => canonical(v, false));
        return setLike ? [...items].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))) : items;
    }
    if (typeof value === "object" && value !== null) {
        const out: { [k: string]: Json } = {};
        for (const k of Object.keys(value).sort()) out[k] = canonical((value as Record<string, unknown>)[k], setLike);
        return out;
    }
    if (setLike && (typeof value === "string" || typeof value === "number" || typeof value === "boolean")) return [String(value)];
    return value as Json;
}

function canonicalStatement(s: PolicyStatement | Record<string, unknown>): string {
    const out: { [k: string]: Json } = {};
    const st = s as Record<string, unknown>;
    for (const k of Object.keys(st).sort()) {
        if (k === "Sid") continue;
        // Action/Resource/Principal values and condition values are sets.
        const setLike = ["Action", "NotAction", "Resource", "NotResource", "Principal", "NotPrincipal", "Condition"].includes(k);
        out[k] = k === "Principal" && st[k] === "*" ? "*" : canonical(st[k], setLike);
    }
    return JSON.stringify(out);
}

export interface Drift {
    missing: string[];
    unexpected: string[];
    changed: string[];
}

/** Statement-level differences between the deployed and the expected document; empty lists when equivalent. */
export function compareDocuments(deployed: PolicyDocument, expected: PolicyDocument): Drift {
    const label = (s: PolicyStatement, i: number) => s.Sid || `statement #${i + 1}`;
    const deployedBySid = new Map(deployed.Statement.map((s, i) => [label(s, i), canonicalStatement(s)]));
    const expectedBySid = new Map(expected.Statement.map((s, i) => [label(s, i), canonicalStatement(s)]));
    const drift: Drift = { missing: [], unexpected: [], changed: [] };
    // A statement whose Sid was changed but whose content matches counts as present.
    const deployedContents = new Set(deployedBySid.values());
    const expectedContents = new Set(expectedBySid.values());
    for (const [sid, content] of expectedBySid) {
        const there = deployedBySid.get(sid);
        if (there === undefined) {
            if (!deployedContents.has(content)) drift.missing.push(sid);
        } else if (there !== content) drift.changed.push(sid);
    }
    for (const [sid, content] of deployedBySid) {
        if (!expectedBySid.has(sid) && !expectedContents.has(content)) drift.unexpected.push(sid);
    }
    return drift;
}

export function hasDrift(d: Drift): boolean {
    return d.missing.length + d.unexpected.length + d.changed.length > 0;
}

export function describeDrift(d: Drift): string {
    const parts: string[] = [];
    if (d.missing.length) parts.push(`missing statements: ${d.missing.join(", ")}`);
    if (d.changed.length) parts.push(`changed statements: ${d.changed.join(", ")}`);
    if (d.unexpected.length) parts.push(`statements the program does not write: ${d.unexpected.join(", ")}`);
    return parts.join("; ");
}
