// The failure checklists and fix texts, generated from the grants (./grants.ts): what a user must check is the very
// statements the program writes, put in words, so the prose cannot drift from the documents. Pure.

import type { OwnStatement } from "./document";
import { documentParams, partStatements, type Checklist, type Grant, type GrantDocument } from "./grantModel";
import { GRANTS } from "./grants";
import type { AccessParams } from "./params";

/**
 * Where each document is, in the reader's terms ("bucket policy of my-bucket"); a document without a label is left out.
 */
export type DocumentLabels = Partial<Record<GrantDocument, string>>;

function list(value: string | string[] | undefined): string[] {
    return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function principalText(principal: OwnStatement["Principal"]): string | undefined {
    if (principal === undefined) return undefined;
    if (principal === "*") return "everyone";
    return Object.values(principal).flatMap(list).join(", ");
}

/** A statement in words: "Allow s3:ListBucket on arn:… for arn:…:root where aws:PrincipalArn = arn:…". */
function describeStatement(s: OwnStatement): string {
    const principal = principalText(s.Principal);
    const conditions = Object.values(s.Condition ?? {}).flatMap((block) =>
        Object.entries(block).map(([key, value]) => `${key} = ${list(value).join(" or ")}`),
    );
    const resources = list(s.Resource);
    return [
        `${s.Effect} ${list(s.Action).join(", ")}${resources.length ? ` on ${resources.join(", ")}` : ""}`,
        ...(principal ? [`for ${principal}`] : []),
        ...(conditions.length ? [`where ${conditions.join(" and ")}`] : []),
    ].join(" ");
}

/** The statements one grant writes, per labelled document: "<label>, statement <Sid>: <statement in words>". */
function grantLines(grant: Grant, p: AccessParams, labels: DocumentLabels): string[] {
    return grant.parts.flatMap((part) => {
        const label = labels[part.document];
        if (label === undefined) return [];
        return partStatements(part, documentParams(p)[part.document]).map(
            (s) => `${label}, statement ${s.Sid}: ${describeStatement(s)}`,
        );
    });
}

/** The grants a checklist names, in GRANTS order. */
export function grantsOf(checklist: Checklist): Grant[] {
    return GRANTS.filter((g) => g.checklists.includes(checklist));
}

/**
 * A checklist as lines: each grant of `checklist` as " - <grantee> <access>:" followed by its statements in the
 * labelled documents (and `extra` lines a caller adds for a grant, e.g. the research key's KMS grant). A grant with
 * nothing to show under these labels is left out.
 */
function checklistLines(
    checklist: Checklist,
    p: AccessParams,
    labels: DocumentLabels,
    extra: (grant: Grant) => string[] = () => [],
): string[] {
    return grantsOf(checklist).flatMap((grant) => {
        const lines = [...grantLines(grant, p, labels), ...extra(grant)];
        return lines.length ? [`  - ${grant.grantee} ${grant.access}:`, ...lines.map((l) => `      ${l}`)] : [];
    });
}

/**
 * The Sids of a grant's statements in the labelled documents, for a fix text: "the bucket policy statement X and …".
 */
export function grantSidsText(grant: Grant, p: AccessParams, labels: DocumentLabels): string {
    const refs = grant.parts.flatMap((part) => {
        const label = labels[part.document];
        if (label === undefined) return [];
        return partStatements(part, documentParams(p)[part.document]).map((s) => `the ${label} statement ${s.Sid}`);
    });
    return refs.length <= 1 ? refs.join("") : `${refs.slice(0, -1).join(", ")} and ${refs[refs.length - 1]}`;
}

/** What the imported-model provider knows of one import: enough to put the grants' statements in the user's terms. */
export interface ImportFacts {
    partition: AccessParams["partition"];
    /** The execution role's ARN (the job's roleArn). */
    roleArn: string;
    hostingAccountId: string;
    region: string;
    bucket: string;
    /** The model's prefix in the bucket. */
    prefix: string;
    /** The key that encrypts the imported model, when there is one. */
    hostingKeyArn?: string;
}

/**
 * The access parameters of one import. What the provider cannot know is named in words (the bucket owner's account,
 * the artifacts' key, the importing identity), so each statement reads as what to look for.
 */
function importParams(f: ImportFacts, importer: "named" | "unknown"): AccessParams {
    return {
        partition: f.partition,
        developmentAccountId: "the bucket owner's account",
        hostingAccountId: f.hostingAccountId,
        hostingRegion: f.region,
        bucketName: f.bucket,
        modelPrefixes: [f.prefix],
        // The role's name, path included, is everything after "role/".
        executionRoleName: f.roleArn.replace(/^arn:[^:]*:iam::[^:]*:role\//, ""),
        developmentKeyArn: "the artifacts' key",
        ...(f.hostingKeyArn ? { hostingKeyArn: f.hostingKeyArn } : {}),
        ...(importer === "named" ? { importerArn: "the identity that ran the import" } : {}),
        invokers: [],
    };
}

/** What to check when Bedrock's import job fails for access: each grant the job depends on, as written. */
export function importJobChecklist(f: ImportFacts): string[] {
    const labels: DocumentLabels = {
        bucketPolicy: `bucket policy of ${f.bucket}`,
        executionPolicy: "the execution role's policy",
        developmentKeyPolicy: "if the artifacts are SSE-KMS encrypted, that key's policy",
        trustPolicy: `trust policy of ${f.roleArn}`,
        ...(f.hostingKeyArn
            ? { hostingKeyPolicy: `key policy of ${f.hostingKeyArn} (encrypts the imported model)` }
            : {}),
    };
    const kmsGrant = (grant: Grant) =>
        grant.kmsGrant
            ? [
                  `or, for the research team's key, this stack's KMS grant to ${f.roleArn}: ` +
                      `${grant.kmsGrant.operations.join(", ")}`,
              ]
            : [];
    return checklistLines("importJob", importParams(f, "named"), labels, kmsGrant);
}

/**
 * What the identity that called CreateModelImportJob needs, as its own policy states it (`npm run plan` prints all of
 * it).
 */
export function createImportJobChecklist(f: ImportFacts): string[] {
    return checklistLines("createImportJob", importParams(f, "unknown"), { importerIdentityPolicy: "its policy" });
}
