// One simulated access row over the deployed documents as a verify-access result: where to look (the row's statements,
// the documents the simulator names) and why it fails (a drifted or missing document, a policy the program does not
// manage, or the program itself).

import type { StackConfig } from "../../components/config/stackConfig";
import { executionRoleArn } from "../../components/naming";
import type { AccessParams } from "../../components/policies/statements";
import type { AccessResult, DocumentName } from "../access/matrix";
import type { StatementRef } from "../access/rows";
import { policyArnOf } from "./read/executionPolicy";
import { fail, pass, warn, type CheckResult } from "./types";

export const LABELS: Record<DocumentName, string> = {
    bucketPolicy: "bucket policy",
    trustPolicy: "execution role trust policy",
    executionPolicy: "execution role's policies",
    developmentKeyPolicy: "development key policy",
    hostingKeyPolicy: "hosting key policy",
};

export function documentResource(name: DocumentName, config: StackConfig, p: AccessParams): string {
    switch (name) {
        case "bucketPolicy":
            return `s3://${p.bucketName}`;
        case "trustPolicy":
            return executionRoleArn(p);
        case "executionPolicy":
            return policyArnOf(config, p.partition);
        case "developmentKeyPolicy":
            return p.developmentKeyArn ?? "development key";
        case "hostingKeyPolicy":
            return p.hostingKeyArn ?? "hosting key";
    }
}

const DOCUMENT_NAMES: readonly DocumentName[] = [
    "bucketPolicy",
    "trustPolicy",
    "executionPolicy",
    "developmentKeyPolicy",
    "hostingKeyPolicy",
];

/**
 * Which documents a failing matrix row points at (its lookAt entries, its resource policy, the simulator's reasons).
 */
export function implicated(r: AccessResult): Set<DocumentName> {
    const names = new Set<DocumentName>();
    for (const l of r.lookAt) names.add(l.document);
    for (const n of DOCUMENT_NAMES) if (r.reasons.some((t) => t.startsWith(n))) names.add(n);
    if (r.resourcePolicy) names.add(r.resourcePolicy);
    return names;
}

export interface Causes {
    drifted: ReadonlySet<DocumentName>;
    absent: ReadonlySet<DocumentName>;
    /** The role has policies besides the execution policy. */
    otherPolicies: boolean;
}

export function accessResult(r: AccessResult, config: StackConfig, p: AccessParams, causes: Causes): CheckResult {
    const id = `access.${r.id}`;
    const title = `${r.expect === "allowed" ? "must be allowed" : "must be denied"}: ${r.description}`;
    if (r.limitation) {
        return warn(
            id,
            title,
            `${r.action} by ${r.principal} is Allowed: ${r.unenforceable ?? ""}`,
            "Nothing in this program's documents can refuse it; review the account's other IAM policies.",
        );
    }
    if (r.ok) return pass(id, title);
    const refs: StatementRef[] = r.lookAt.length ? r.lookAt : [...implicated(r)].map((document) => ({ document }));
    const look = refs.map(
        (l) =>
            `${LABELS[l.document]} of ${documentResource(l.document, config, p)}${l.sid ? ` (statement ${l.sid})` : l.note ? ` (${l.note})` : ""}`,
    );
    const detail = [
        `${r.action} by ${r.principal} on ${r.resource} is ${r.error ?? r.decision} in the deployed documents`,
        ...(r.reasons.length ? [`decided by ${r.reasons.join("; ")}`] : []),
    ].join("; ");
    const docs = [...implicated(r)];
    const why = docs.some((n) => causes.drifted.has(n))
        ? "The deployed document differs from what the program deploys (edited out of band, or overwritten by " +
          "someone else): run pulumi refresh to see the drift, then pulumi up to restore it."
        : docs.some((n) => causes.absent.has(n))
          ? "A document is missing (see above): run pulumi up to restore it."
          : causes.otherPolicies && r.identity === "execution"
            ? "A policy the program does not manage decides this (see deployed.otherRolePolicies): remove it from " +
              "the role."
            : "The deployed documents match the program's, so the program itself produces this (npm run plan shows " +
              "it too): report it as a bug.";
    return fail(id, title, detail, `Look at ${look.join(", ") || "the documents above"}. ${why}`);
}
