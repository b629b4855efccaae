// The statement shapes several grants share (./grants.ts): principals, conditions, and the pairs of statements an
// access takes on both sides. Pure.

import { executionRoleArn } from "../naming";
import type { ConditionBlock, OwnStatement } from "./document";
import type { GrantPart } from "./grantModel";
import { accountRootArn, bedrockViaService, type AccessParams } from "./params";

export function oneOrMany(values: readonly string[]): string | string[] {
    return values.length === 1 ? values[0] : [...values];
}

export function viaBedrock(p: Pick<AccessParams, "hostingRegion">): ConditionBlock {
    return { StringEquals: { "kms:ViaService": bedrockViaService(p) } };
}

// kms:GrantIsForAWSResource is true only when an AWS service integrated with KMS sends CreateGrant on the principal's
// behalf (https://docs.aws.amazon.com/kms/latest/developerguide/grant-authorization.html); the importer can then let
// Bedrock grant itself the key but cannot hand the key to anyone by calling CreateGrant directly.
function bedrockGrantOnly(p: AccessParams): ConditionBlock {
    return { ...viaBedrock(p), Bool: { "kms:GrantIsForAWSResource": "true" } };
}

// A role ARN as principal is stored as the role's unique id: a recreated role silently loses access and
// a role that does not exist yet makes the policy invalid. The hosting account root as principal plus an
// aws:PrincipalArn condition survives both and still admits only that role.
export function executionRolePrincipal(p: AccessParams): Pick<OwnStatement, "Principal" | "Condition"> {
    return {
        Principal: { AWS: accountRootArn(p.partition, p.hostingAccountId) },
        Condition: { ArnLike: { "aws:PrincipalArn": executionRoleArn(p) } },
    };
}

export function rootAdministration(p: AccessParams, accountId: string, sid: string): OwnStatement {
    // Without this statement the key becomes unmanageable, even by the account that owns it.
    return {
        Sid: sid,
        Effect: "Allow",
        Principal: { AWS: accountRootArn(p.partition, accountId) },
        Action: "kms:*",
        Resource: "*",
    };
}

/**
 * The execution role's access to the artifact bucket, on both sides: the bucket policy admits the role (root +
 * aws:PrincipalArn), and the execution policy allows it only in the development account. aws:ResourceAccount pins the
 * S3 grants to that account, so a bucket of the same name elsewhere (bucket names are global, but can be deleted and
 * re-created by anyone) is refused.
 */
export function executionRoleOnBucket(
    action: string,
    resources: (p: AccessParams) => string | string[],
    sids: { bucketPolicy: string; executionPolicy: string },
): GrantPart[] {
    return [
        {
            document: "bucketPolicy",
            statements: (p) => [
                {
                    Sid: sids.bucketPolicy,
                    Effect: "Allow",
                    ...executionRolePrincipal(p),
                    Action: action,
                    Resource: resources(p),
                },
            ],
        },
        {
            document: "executionPolicy",
            statements: (p) => [
                {
                    Sid: sids.executionPolicy,
                    Effect: "Allow",
                    Action: action,
                    Resource: resources(p),
                    Condition: { StringEquals: { "aws:ResourceAccount": p.developmentAccountId } },
                },
            ],
        },
    ];
}

/**
 * A principal's use of the hosting key, only through Bedrock, and CreateGrant only for Bedrock itself: `actions` with
 * kms:ViaService, then kms:CreateGrant with kms:GrantIsForAWSResource. `target` places the statements in their document
 * (`Resource`: the key in an identity policy; `Principal` and `Resource`: "*" in the key policy). `layout` is the key
 * order each pair was first deployed with: a policy is stored as its JSON text, so another order would show as a
 * change.
 */
export function hostingKeyUse(
    p: AccessParams,
    actions: readonly string[],
    target: Pick<OwnStatement, "Principal" | "Resource">,
    sids: { use: string; letBedrockGrant: string },
    layout: "targetFirst" | "actionFirst",
): OwnStatement[] {
    const { Principal, Resource } = target;
    const statement = (Sid: string, Action: string | string[], Condition: ConditionBlock): OwnStatement =>
        layout === "targetFirst"
            ? { Sid, Effect: "Allow", ...target, Action, Condition }
            : { Sid, Effect: "Allow", ...(Principal ? { Principal } : {}), Action, Resource, Condition };
    return [
        statement(sids.use, [...actions], viaBedrock(p)),
        statement(sids.letBedrockGrant, "kms:CreateGrant", bedrockGrantOnly(p)),
    ];
}

// Same-account principals are named by their role ARN in the hosting key policy, unlike the root + aws:PrincipalArn
// form of the bucket policy and the development key. In a key policy the account principal only delegates to IAM
// policies
// (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam),
// and the root statement already does that for the hosting account, so a root + aws:PrincipalArn statement would grant
// nothing. What the role-ARN form costs, and why it is acceptable:
// - a principal that does not exist makes KMS reject the policy
//   (https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html): `pulumi up` fails naming it, rather
//   than deploying a grant that silently does nothing. The importer always exists (it is the role the deployment itself
//   assumes); the execution role is created before the key; an invoker must exist before it is listed.
// - a role ARN principal is stored as the role's unique id, so a deleted and recreated role loses the statement
//   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-roles).
//   `pulumi refresh` then `pulumi up` rewrites it; verify-access reports the deployed key policy as drifted meanwhile.
//   For the execution role the execution policy's identical statements still hold (the root statement delegates to
//   IAM).

/** An importer's identity-only access: Bedrock has no resource policies, so only the deployer's side can grant it. */
export function importerAllows(
    sid: string,
    statement: (p: AccessParams) => Omit<OwnStatement, "Sid" | "Effect">,
): GrantPart {
    return { document: "importerIdentityPolicy", statements: (p) => [{ Sid: sid, Effect: "Allow", ...statement(p) }] };
}

export function bedrockArn(
    p: Pick<AccessParams, "partition" | "hostingRegion" | "hostingAccountId">,
    kind: string,
): string {
    return `arn:${p.partition}:bedrock:${p.hostingRegion}:${p.hostingAccountId}:${kind}/*`;
}
