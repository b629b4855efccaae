// The access matrix: every access the contract (docs/access.md) requires and every access it must refuse, evaluated by
// an IAM policy simulator over the five documents together (identity side and resource side).
// Used by the tests, `npm run plan` (synthesized documents) and `npm run verify-access` (deployed documents).
// The simulator (@cloud-copilot/iam-simulate, AGPL) is a devDependency: the Pulumi program never imports this.

import { getDenialReasons, getGrantReasons, runSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import type { AccessParams } from "../../components/policies/statements";
import { policyDocument, type PolicyDocument } from "../../components/policies/document";
import { checkOf, refText, subjectsOf, type AccessCheck, type PolicySet } from "./rows";
import { bucketPolicyRows, executionPolicyRows } from "./tables/bucketPolicy";
import { developmentKeyRows } from "./tables/developmentKey";
import { hostingKeyRows } from "./tables/hostingKey";
import { trustPolicyRows } from "./tables/trustPolicy";
import { invokerRows } from "./tables/invoker";
import type { InvokerTarget } from "../../components/policies/invoker";

export type { DocumentName, PolicySet } from "./rows";
export { grantAsKeyPolicy } from "./tables/developmentKey";

/**
 * Identity policies the program does not deploy but a test or the README may want judged: the importing identity's
 * own IAM policy (importerIdentityPolicy, for a deployer the program does not know). Without it the importer rows show
 * what the key policy alone grants, which is what the plan and verify-access evaluate.
 */
export interface OutsideIdentities {
    importerIdentityPolicy?: PolicyDocument;
    /** The app's identity policy (invokerIdentityPolicy) and what it must reach: adds the invoker rows. */
    invoker?: { policy: PolicyDocument; target: InvokerTarget };
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

const ALLOW_ALL: PolicyDocument = policyDocument([
    { Sid: "BroadAdministrator", Effect: "Allow", Action: "*", Resource: "*" },
]);

/** Every row of every table, in the order the matrix shows them. */
function accessChecks(p: AccessParams, outside: OutsideIdentities): AccessCheck[] {
    const s = subjectsOf(p);
    const tables = [trustPolicyRows, bucketPolicyRows, executionPolicyRows, developmentKeyRows, hostingKeyRows];
    const invoker = outside.invoker ? invokerRows(s, outside.invoker.target) : [];
    return [...tables.flatMap((table) => table(s)), ...invoker].map((row) => checkOf(row, s));
}

function identityPolicies(
    check: AccessCheck,
    docs: PolicySet,
    outside: OutsideIdentities,
): Simulation["identityPolicies"] {
    switch (check.identity) {
        case "execution":
            return [{ name: "executionPolicy", policy: docs.executionPolicy }];
        case "broad":
            return [{ name: "BroadAdministrator", policy: ALLOW_ALL }];
        case "ownPolicy":
            // What the principal's own account must grant (check.alsoNeeds); assumed, so the row isolates this
            // program's documents.
            return [
                {
                    name: "OwnAccountAllows",
                    policy: policyDocument([{ Effect: "Allow", Action: check.action, Resource: check.resource }]),
                },
            ];
        case "importer":
            return outside.importerIdentityPolicy
                ? [{ name: "importerIdentityPolicy", policy: outside.importerIdentityPolicy }]
                : [];
        case "invoker":
            return outside.invoker ? [{ name: "invokerIdentityPolicy", policy: outside.invoker.policy }] : [];
        case "none":
            return [];
    }
}

function describeReason(
    r: {
        policyType: string;
        policyIdentifier?: string;
        statementId?: string;
        statementIndex?: number;
        identifier?: string;
    },
    check: AccessCheck,
): string {
    const where =
        r.policyType === "resource"
            ? (check.resourcePolicy ?? "resource policy")
            : r.policyType === "identity"
              ? (r.policyIdentifier ?? "identity policy")
              : r.policyType;
    const statement =
        r.statementId ?? (r.statementIndex !== undefined ? `statement #${r.statementIndex + 1}` : "no matching Allow");
    return `${where}: ${statement}`;
}

async function evaluateCheck(
    check: AccessCheck,
    docs: PolicySet,
    outside: OutsideIdentities = {},
): Promise<AccessResult> {
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

export async function evaluateAccess(
    p: AccessParams,
    docs: PolicySet,
    outside: OutsideIdentities = {},
): Promise<AccessResult[]> {
    const results: AccessResult[] = [];
    for (const check of accessChecks(p, outside)) results.push(await evaluateCheck(check, docs, outside));
    return results;
}

/** The invoker rows alone, over the same documents: what a test of the invoker policy needs, in a tenth of the time. */
export async function evaluateInvokerAccess(
    p: AccessParams,
    docs: PolicySet,
    invoker: NonNullable<OutsideIdentities["invoker"]>,
): Promise<AccessResult[]> {
    const s = subjectsOf(p);
    const results: AccessResult[] = [];
    for (const row of invokerRows(s, invoker.target))
        results.push(await evaluateCheck(checkOf(row, s), docs, { invoker }));
    return results;
}

/** One line per check, ✔ when as it should be; failing lines name what was decided and where to look. */
export function formatMatrix(results: readonly AccessResult[]): string {
    const lines: string[] = [];
    for (const r of results) {
        const mark = r.limitation ? "⚠" : r.ok ? "✔" : "✘";
        const want = r.limitation
            ? "must be denied, cannot be in one account"
            : r.expect === "allowed"
              ? "must be allowed"
              : "must be denied";
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
    const note = limited
        ? ` ${limited} must-deny row${limited === 1 ? "" : "s"} cannot be enforced within one account (⚠).`
        : "";
    lines.push(
        (failed === 0
            ? `All ${results.length} access checks are as they should be.`
            : `${failed} of ${results.length} access checks are NOT as they should be.`) + note,
    );
    return lines.join("\n");
}
