// The rows of the access matrix: what a row says (principal, action, resource, context, expected verdict and the
// statements it depends on), the subjects every table shares, and the one function that turns a row into the request
// the simulator evaluates. The tables themselves are in ./tables, one per document.

import { executionRoleArn } from "../../components/naming";
import { bucketArn, SIDS, type AccessParams } from "../../components/policies/statements";
import type { PolicyDocument } from "../../components/policies/document";
import { AWS_REGIONS, partitionOf } from "../../components/rules";

/** The documents evaluated together; key policies only when the keys are enabled. */
export interface PolicySet {
    bucketPolicy: PolicyDocument;
    trustPolicy: PolicyDocument;
    executionPolicy: PolicyDocument;
    developmentKeyPolicy?: PolicyDocument;
    hostingKeyPolicy?: PolicyDocument;
}

export type DocumentName = keyof PolicySet;
export type Expectation = "allowed" | "denied";

/**
 * Where to look when a row fails: a document, and in it the statement (a Sid the builders export) or, for a row that
 * no single statement decides, what part of the document (a condition) matters.
 */
export interface StatementRef {
    document: DocumentName;
    sid?: string;
    note?: string;
}

/** The statement `key` of `document`, as the builders name it (SIDS). */
export function statement<D extends DocumentName>(document: D, key: keyof (typeof SIDS)[D]): StatementRef {
    const sids = SIDS[document] as Readonly<Record<keyof (typeof SIDS)[D], string>>;
    return { document, sid: sids[key] };
}

/** A reference as text: "document:Sid", "document (note)" or "document". */
export function refText(r: StatementRef): string {
    return r.sid ? `${r.document}:${r.sid}` : r.note ? `${r.document} (${r.note})` : r.document;
}

/**
 * Whose identity policies take part: the execution policy; a policy allowing everything (a role that is not this
 * program's, at its broadest); what the principal's own account must grant (alsoNeeds); the importer's identity
 * policy when given (OutsideIdentities); the app's invoker policy when given (OutsideIdentities); none.
 */
type Identity = "execution" | "broad" | "ownPolicy" | "importer" | "invoker" | "none";

/** One row of a table, as written there; the defaults are filled in by checkOf. */
export interface AccessRow {
    id: string;
    /**
     * The verdict the row requires. A "denied" row with `unenforceable` is one no policy of this program can enforce
     * (development and hosting are one account, where an identity policy alone grants access): Allowed is then
     * reported as a limitation, not a failure.
     */
    expect: Expectation;
    unenforceable?: string;
    description: string;
    /** Default: the execution role. */
    principal?: string;
    /**
     * A service principal acting for itself (Bedrock assuming the role): the request carries only the row's context,
     * none of the keys IAM fills in for a signed request.
     */
    service?: true;
    action: string;
    resource: string;
    resourceAccount: string;
    /** The resource's own policy, when it has one that takes part. */
    resourcePolicy?: DocumentName;
    /** Default: "execution". */
    identity?: Identity;
    /** Context keys beyond those IAM fills in (principal, resource account, TLS), overriding them. */
    context?: Record<string, string>;
    /** The statements the row depends on. */
    lookAt?: StatementRef[];
    /**
     * For a principal the stack names but does not manage (troubleshooting operator, model invoker): what its own
     * account must grant for the row to hold. The simulation assumes that grant (identity "ownPolicy").
     */
    alsoNeeds?: string;
}

/** A row with every default filled in and the full request context: what the simulator evaluates. */
export interface AccessCheck extends Omit<AccessRow, "principal" | "service" | "identity" | "context" | "lookAt"> {
    principal: string;
    identity: Identity;
    context: Record<string, string>;
    lookAt: StatementRef[];
}

/** The principals and resources every table refers to, derived once from the access parameters. */
export interface Subjects {
    p: AccessParams;
    role: string;
    bucket: string;
    /** An account id different from both accounts, for "same role name elsewhere" and confused-deputy cases. */
    third: string;
    /** Another role of the hosting account. */
    otherRole: string;
    /** A role named like the execution role in the third account. */
    sameNameElsewhere: string;
    /** The first model's config.json. */
    modelObject: string;
    firstPrefix: string;
    /** Another region of the hosting region's partition, or the hosting region when there is none. */
    otherRegion: string;
    /**
     * What a must-deny row that one account cannot enforce carries: `unenforceable`, only when the accounts are one.
     */
    oneAccount(why: string): { unenforceable?: string };
}

function thirdAccount(p: AccessParams): string {
    for (const candidate of ["999999999999", "888888888888", "123456789012"]) {
        if (candidate !== p.developmentAccountId && candidate !== p.hostingAccountId) return candidate;
    }
    return "210987654321";
}

function otherRegion(p: AccessParams): string {
    const partition = partitionOf(p.hostingRegion);
    return AWS_REGIONS.find((r) => r !== p.hostingRegion && partitionOf(r) === partition) ?? p.hostingRegion;
}

export function subjectsOf(p: AccessParams): Subjects {
    const bucket = bucketArn(p.partition, p.bucketName);
    const third = thirdAccount(p);
    const firstPrefix = p.modelPrefixes[0] ?? "";
    return {
        p,
        role: executionRoleArn(p),
        bucket,
        third,
        otherRole: `arn:${p.partition}:iam::${p.hostingAccountId}:role/SomeOtherRole`,
        sameNameElsewhere: `arn:${p.partition}:iam::${third}:role/${p.executionRoleName}`,
        modelObject: `${bucket}/${firstPrefix}config.json`,
        firstPrefix,
        otherRegion: otherRegion(p),
        // Within one account an identity policy alone grants access
        // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-basics.html):
        // no bucket or key policy of this program can then keep out a role whose own policy allows everything.
        oneAccount: (why) =>
            p.developmentAccountId === p.hostingAccountId
                ? {
                      unenforceable:
                          `development and hosting are one account (${p.hostingAccountId}): ${why}. Keep broad ` +
                          `policies off that account's other roles ` +
                          `(or use two accounts).`,
                  }
                : {},
    };
}

/**
 * One rule for every principal the stack names but does not manage (troubleshooting operators, model invokers): the
 * resource's policy, which this program writes, is not enough when the principal is in another account than the
 * resource (cross-account access needs both sides,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html) or when the
 * resource's statement names the principal's account root rather than the principal (the root delegates to IAM policies
 * of that account, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html). The
 * principal's own account must then allow the action too: the row says what, and the simulation assumes it does.
 */
export function outsideGrant(
    principal: string,
    action: string,
    resource: string,
    where: { resourceAccount: string; namesPrincipalItself: boolean; condition?: string },
): { identity: "ownPolicy" | "none"; alsoNeeds?: string } {
    const account = principal.split(":")[4];
    if (account === where.resourceAccount && where.namesPrincipalItself) return { identity: "none" };
    return {
        identity: "ownPolicy",
        alsoNeeds:
            `account ${account} must also allow ${action} on ${resource}${where.condition ? ` ${where.condition}` : ""} ` +
            `in the IAM policy of ${principal}` +
            (account === where.resourceAccount
                ? " (the statement here names the account, which delegates to IAM)"
                : " (cross-account access needs both sides)"),
    };
}

/** A row as the simulator's request: the execution role unless stated, with the context keys IAM fills in. */
export function checkOf(row: AccessRow, s: Subjects): AccessCheck {
    const { principal = s.role, service, identity = "execution", context = {}, lookAt = [], ...rest } = row;
    const signed: Record<string, string> = service
        ? {}
        : {
              "aws:PrincipalArn": principal,
              "aws:PrincipalAccount": principal.split(":")[4],
              "aws:ResourceAccount": row.resourceAccount,
              "aws:SecureTransport": "true",
          };
    return { ...rest, principal, identity, context: { ...signed, ...context }, lookAt };
}
