// The grant model: what a grant is (one access, its statements on every side it takes, one part per document) and
// what each document's statements are computed from. The grants themselves are in ./grants.ts.

import type { OwnStatement } from "./document";
import type { AccessParams, InvokerParams, InvokerTarget } from "./params";

/** What each document's statements are computed from. */
export interface DocumentParams {
    bucketPolicy: AccessParams;
    trustPolicy: AccessParams;
    executionPolicy: AccessParams;
    developmentKeyPolicy: AccessParams;
    hostingKeyPolicy: AccessParams;
    importerIdentityPolicy: AccessParams;
    invokerIdentityPolicy: InvokerParams & { target: InvokerTarget };
}

/**
 * The documents a grant writes into. Identity side: executionPolicy, importerIdentityPolicy, invokerIdentityPolicy;
 * resource side: bucketPolicy, trustPolicy; key side: developmentKeyPolicy, hostingKeyPolicy (or a KmsGrantPart).
 */
export type GrantDocument = keyof DocumentParams;

/** The statements one grant writes into one document (none when the access does not apply to the stack). */
export type GrantPart = {
    [D in GrantDocument]: { document: D; statements(p: DocumentParams[D]): OwnStatement[] };
}[GrantDocument];

/** A KMS grant on a key whose policy is not the stack's (the research team's key): its grantee and operations. */
export interface KmsGrantPart {
    /** The KMS operations, without the "kms:" prefix, as CreateGrant takes them. */
    operations: readonly string[];
}

/** Which failure checklist names the grant: a failed import job, a refused CreateModelImportJob. */
export type Checklist = "importJob" | "createImportJob";

export interface Grant {
    /** Stable name, for tests and for the fix texts that point at one access. */
    id: string;
    /** Who gets the access, in words ("the execution role"). */
    grantee: string;
    /** What it may do, in words ("reads the model prefixes"). */
    access: string;
    /** Every statement of the access, one part per document, in the order the document lists them. */
    parts: readonly GrantPart[];
    /** Set when the access is also given by a KMS grant (the research team's key). */
    kmsGrant?: KmsGrantPart;
    /** The failure checklists that list this access; none when no failure the user sees depends on it. */
    checklists: readonly Checklist[];
}

/** The statements `part` writes, from the parameters of its document. */
export function partStatements(part: GrantPart, p: DocumentParams[GrantDocument]): OwnStatement[] {
    // A part's parameter type is its document's; callers pass the parameters of part.document.
    return (part as { statements(p: DocumentParams[GrantDocument]): OwnStatement[] }).statements(p);
}

/** Every document's parameters from the access parameters (the invoker policy: for `target`, by default none). */
export function documentParams(p: AccessParams, target: InvokerTarget = { pointerParameterNames: [] }): DocumentParams {
    return {
        bucketPolicy: p,
        trustPolicy: p,
        executionPolicy: p,
        developmentKeyPolicy: p,
        hostingKeyPolicy: p,
        importerIdentityPolicy: p,
        invokerIdentityPolicy: { ...p, target },
    };
}
