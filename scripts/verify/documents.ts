// Drift between a deployed document and the program's. The equivalence is the one the bucket-policy provider's diff
// uses (components/policies/document.ts), so verify-access and `pulumi up` never disagree about a statement.

import {
    canonicalContent,
    policyDocument,
    type PolicyDocument,
    type PolicyStatement,
} from "../../components/policies/document";

export const EMPTY_POLICY: PolicyDocument = policyDocument([]);

export interface Drift {
    missing: string[];
    unexpected: string[];
    changed: string[];
}

/** Statement-level differences between the deployed and the expected document; empty lists when equivalent. */
export function compareDocuments(deployed: PolicyDocument, expected: PolicyDocument): Drift {
    const label = (s: PolicyStatement, i: number) => s.Sid || `statement #${i + 1}`;
    const deployedBySid = new Map(deployed.Statement.map((s, i) => [label(s, i), canonicalContent(s)]));
    const expectedBySid = new Map(expected.Statement.map((s, i) => [label(s, i), canonicalContent(s)]));
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
