// The sizes of the policy documents the program will write, measured on the resources' recorded inputs
// (the exact strings the AWS provider would send) with the rulebook's limits, so `plan` refuses what AWS
// would refuse at deploy time, after other resources already exist.

import type { StackConfig } from "../../components/config/stackConfig";
import { policyDocument, type PolicyStatement } from "../../components/policies/document";
import { DOCUMENT_LIMITS, documentProblems, documentSize, type DocumentKind } from "../../components/rules";
import type { RecordedResource } from "../common/mockProgram";

export interface DocumentReport {
    /** The document as a user finds it in AWS, e.g. "execution policy BedrockCMIExecutionPolicy-777788889999". */
    name: string;
    kind: DocumentKind;
    /** The resource that writes it: type and Pulumi name. */
    resource: string;
    size: number;
    limit: number;
    unit: string;
    ok: boolean;
    /** Why AWS would refuse it, with the limit, its source and what to change; empty when ok. */
    problems: string[];
}

/** This stack's statements in the shared bucket policy (a dynamic resource; its `statements` input is a list). */
export const BUCKET_POLICY_STATEMENTS = "pulumi-nodejs:dynamic/bedrock:BucketPolicyStatements";

/** Resource types whose input holds a policy document (or, for BUCKET_POLICY_STATEMENTS, its statements). */
export const POLICY_INPUTS: Readonly<Record<string, { input: string; kind: DocumentKind }>> = {
    [BUCKET_POLICY_STATEMENTS]: { input: "statements", kind: "bucketPolicy" },
    "aws:iam/role:Role": { input: "assumeRolePolicy", kind: "trustPolicy" },
    "aws:iam/policy:Policy": { input: "policy", kind: "managedPolicy" },
    "aws:kms/key:Key": { input: "policy", kind: "keyPolicy" },
};

function text(v: unknown, fallback: string): string {
    return typeof v === "string" && v !== "" ? v : fallback;
}

function documentName(r: RecordedResource, kind: DocumentKind): string {
    switch (kind) {
        case "bucketPolicy":
            return r.type === BUCKET_POLICY_STATEMENTS
                ? `this stack's statements in the bucket policy of ${text(r.inputs.bucket, r.name)}`
                : `bucket policy of ${text(r.inputs.bucket, r.name)}`;
        case "trustPolicy":
            return `trust policy of role ${text(r.inputs.name, r.name)}`;
        case "managedPolicy":
            return `execution policy ${text(r.inputs.name, r.name)}`;
        case "keyPolicy":
            return `key policy of ${r.name}`;
    }
}

// Which config keys make each document grow: the part of the fix only this program can name.
function growsWith(kind: DocumentKind, config: StackConfig): string {
    const prefixes = new Set(config.models.map((m) => m.s3Prefix)).size;
    switch (kind) {
        case "bucketPolicy":
        case "managedPolicy":
            return (
                `In this stack it grows with models[].s3Prefix (${prefixes} distinct prefix${prefixes === 1 ? "" : "es"}, ` +
                `one ARN each) and modelDevelopment.artifactBucket.name.`
            );
        case "trustPolicy":
            return (
                `In this stack it grows with modelHosting.troubleshooting.allowAssumeFrom (${config.modelHosting.troubleshooting.allowAssumeFrom.length} ` +
                `entries); remove the operators who no longer troubleshoot.`
            );
        case "keyPolicy":
            return "";
    }
}

// Registrations complete in no fixed order under the mocks; the plan lists documents as it lists policies.
const ORDER: readonly DocumentKind[] = ["bucketPolicy", "trustPolicy", "managedPolicy", "keyPolicy"];

/**
 * One report per policy document the program registered: bucket, trust, execution, then key policies by resource name.
 */
export function documentReports(resources: readonly RecordedResource[], config: StackConfig): DocumentReport[] {
    const reports: DocumentReport[] = [];
    for (const r of resources) {
        const spec = POLICY_INPUTS[r.type];
        const raw = spec ? r.inputs[spec.input] : undefined;
        // This stack's statements alone; the shared document also holds others' (measured again when deploying).
        const doc = Array.isArray(raw) ? policyDocument(raw as PolicyStatement[]) : raw;
        if (!spec || doc === undefined) continue;
        const name = documentName(r, spec.kind);
        const { limit, unit } = DOCUMENT_LIMITS[spec.kind];
        const size = documentSize(spec.kind, doc);
        const hint = size > limit ? growsWith(spec.kind, config) : "";
        // The size problem is the one the hint is about; character problems come from the values themselves.
        const problems = documentProblems(spec.kind, doc, name).map((p) =>
            hint && p.startsWith(`${name} is ${size} `) ? `${p} ${hint}` : p,
        );
        reports.push({
            name,
            kind: spec.kind,
            resource: `${r.type} ${r.name}`,
            size,
            limit,
            unit,
            ok: problems.length === 0,
            problems,
        });
    }
    return reports.sort(
        (a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind) || a.resource.localeCompare(b.resource),
    );
}

export function formatDocuments(reports: readonly DocumentReport[]): string[] {
    const out = ["Document sizes (as AWS counts them, on the documents the program will write)"];
    for (const d of reports) out.push(`  ${d.ok ? "✔" : "✘"} ${d.name}: ${d.size} of ${d.limit} ${d.unit}`);
    for (const d of reports) for (const p of d.problems) out.push(`    ✘ ${p}`);
    return out;
}
