// The access matrix: every access the scenario requires and every access it must refuse, evaluated by
// an IAM policy simulator over the five documents together (identity side and resource side).
// Used by the tests, `npm run plan` (synthesized documents) and `npm run verify-access` (deployed documents).
// The simulator (@cloud-copilot/iam-simulate, AGPL) is a devDependency: the Pulumi program never imports this.

import { getDenialReasons, getGrantReasons, runSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import type { AccessParams } from "../../components/policies";
import type { PolicyDocument } from "../../components/policies/document";
import { checkOf, refText, subjectsOf, type AccessCheck, type PolicySet } from "./rows";
import { bucketPolicyRows, executionPolicyRows } from "./tables/bucketPolicy";
import { developmentKeyRows } from "./tables/developmentKey";
import { hostingKeyRows } from "./tables/hostingKey";
import { trustPolicyRows } from "./tables/trustPolicy";

export type { DocumentName, PolicySet } from "./rows";
export { grantAsKeyPolicy } from "./tables/developmentKey";

/**
 * Identity policies the program does not deploy but a test or the README may want judged: the importing identity's
 * own IAM policy (importerIdentityPolicy, for a deployer the program does not know). Without it the importer rows show
 * what the key policy alone grants, which is what the plan and verify-access evaluate.
 */
export interface OutsideIdentities {
    importerIdentityPolicy?: PolicyDocument;
}

type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied" | "Error";

export interface AccessResult extends AccessCheck {
    decision: Decision;
    ok: boolean;
    /** ok only because the row is unenforceable (see AccessRow.unenforceable): a warning, not a pass. */
    limitation?: boolean;
    /** The statements the simulator names as granting or denying, e.g. "resource policy DenyInsecureTransport". */
    reasons: string[];
    error?: string;
}

const ALLOW_ALL: PolicyDocument = {
    Version: "2012-10-17",
    Statement: [{ Sid: "BroadAdministrator", Effect: "Allow", Action: "*", Resource: "*" }],
};

/** Every row of every table, in the order the matrix shows them. */
function accessChecks(p: AccessParams): AccessCheck[] {
    const s = subjectsOf(p);
    const tables = [trustPolicyRows, bucketPolicyRows, executionPolicyRows, developmentKeyRows, hostingKeyRows];
    return tables.flatMap((table) => table(s)).map((row) => checkOf(row, s));
}

function identityPolicies(check: AccessCheck, docs: PolicySet, outside: OutsideIdentities): Simulation["identityPolicies"] {
    switch (check.identity) {
        case "execution":
            return [{ name: "executionPolicy", policy: docs.executionPolicy }];
        case "broad":
            return [{ name: "BroadAdministrator", policy: ALLOW_ALL }];
        case "ownPolicy":
            // What the principal's own account must grant (check.alsoNeeds); assumed, so the row isolates this program's documents.
            return [
                {
                    name: "OwnAccountAllows",
                    policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: check.action, Resource: check.resource }] },
                },
            ];
        case "importer":
            return outside.importerIdentityPolicy ? [{ name: "importerIdentityPolicy", policy: outside.importerIdentityPolicy }] : [];
        case "none":
            return [];
    }
}

function describeReason(
    r: { policyType: string; policyIdentifier?: string; statementId?: string; statementIndex?: number; identifier?: string },
    check: AccessCheck,
): string {
    const where =
        r.policyType === "resource"
            ? (check.resourcePolicy ?? "resource policy")
            : r.policyType === "identity"
              ? (r.policyIdentifier ?? "identity policy")
              : r.policyType;
    const statement = r.statementId ?? (r.statementIndex !== undefined ? `statement #${r.statementIndex + 1}` : "no matching Allow");
    return `${where}: ${statement}`;
}

async function evaluateCheck(check: AccessCheck, docs: PolicySet, outside: OutsideIdentities = {}): Promise<AccessResult> {
    const resourcePolicy = check.resourcePolicy ? docs[check.resourcePolicy] : undefined;
    if (check.resourcePolicy && !resourcePolicy) {
        return { ...check, decision: "Error", ok: false, reasons: [], error: `${check.resourcePolicy} is missing` };
    }
    const simulation: Simulation = {
        identityPolicies: identityPolicies(check, docs, outside),
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        ...(resourcePolicy ? { resourcePolicy } : {}),
        request: {
            principal: check.principal,
            action: check.action,
            resource: { accountId: check.resourceAccount, resource: check.resource },
            contextVariables: check.context,
        },
    };
    const result = await runSimulation(simulation, {});
    if (result.resultType === "error") {
        return { ...check, decision: "Error", ok: false, reasons: [], error: result.errors.message };
    }
    const decision = result.overallResult;
    const analysis = result.resultType === "single" ? result.result.analysis : result.results[0]?.analysis;
    const reasons = analysis
        ? decision === "Allowed"
            ? getGrantReasons(analysis).map((r) => describeReason(r, check))
            : getDenialReasons(analysis).map((r) => describeReason(r, check))
        : [];
    const limitation = check.expect === "denied" && decision === "Allowed" && check.unenforceable !== undefined;
    const ok = limitation || (check.expect === "allowed" ? decision === "Allowed" : decision !== "Allowed");
    return { ...check, decision, ok, reasons, ...(limitation ? { limitation } : {}) };
}

export async function evaluateAccess(p: AccessParams, docs: PolicySet, outside: OutsideIdentities = {}): Promise<AccessResult[]> {
    const results: AccessResult[] = [];
    for (const check of accessChecks(p)) results.push(await evaluateCheck(check, docs, outside));
    return results;
}

/** One line per check, ✔ when as it should be; failing lines name what was decided and where to look. */
export function formatMatrix(results: readonly AccessResult[]): string {
    const lines: string[] = [];
    for (const r of results) {
        const mark = r.limitation ? "⚠" : r.ok ? "✔" : "✘";
        const want = r.limitation ? "must be denied, cannot be in one account" : r.expect === "allowed" ? "must be allowed" : "must be denied";
        lines.push(`${mark} [${want}] ${r.description}`);
        if (r.limitation) lines.push(`    ${r.unenforceable}`);
        if (!r.ok) {
            lines.push(`    ${r.action} by ${r.principal} on ${r.resource}: ${r.error ?? r.decision}`);
            if (r.reasons.length) lines.push(`    decided by: ${r.reasons.join("; ")}`);
            if (r.lookAt.length) lines.push(`    look at: ${r.lookAt.map(refText).join(", ")}`);
        }
    }
    const failed = results.filter((r) => !r.ok).length;
    const limited = results.filter((r) => r.limitation).length;
    const note = limited ? ` ${limited} must-deny row${limited === 1 ? "" : "s"} cannot be enforced within one account (⚠).` : "";
    lines.push(
        (failed === 0
            ? `All ${results.length} access checks are as they should be.`
            : `${failed} of ${results.length} access checks are NOT as they should be.`) + note,
    );
    return lines.join("\n");
}
