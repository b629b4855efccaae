// The development key that encrypts the artifacts (docs/access.md, item 4): its key policy when the stack creates the
// key, or the grant on the research team's existing key (grantAsKeyPolicy), both evaluated as developmentKeyPolicy.

import { DEVELOPMENT_KEY_ACTIONS } from "../../../components/policies/statements";
import { policyDocument, type PolicyDocument } from "../../../components/policies/document";
import { statement, type AccessRow, type StatementRef, type Subjects } from "../rows";

/** The Sid of the one statement of a grant modelled as a key policy (grantAsKeyPolicy). */
const GRANT_SID = "GrantToExecutionRole";

/**
 * A KMS grant on the research team's existing key, as a key-policy document the simulator can evaluate: a grant
 * allows its grantee principal exactly its operations on that key, with no conditions
 * (https://docs.aws.amazon.com/kms/latest/developerguide/grants.html). The key's own policy is the research
 * team's and not known offline; only what this stack adds is modelled.
 */
export function grantAsKeyPolicy(grant: { granteePrincipal: string; operations: readonly string[] }): PolicyDocument {
    return policyDocument([
        {
            Sid: GRANT_SID,
            Effect: "Allow",
            Principal: { AWS: grant.granteePrincipal },
            Action: grant.operations.map((o) => `kms:${o}`),
            Resource: "*",
        },
    ]);
}

/** What the key must never let the execution role do. */
const DENIED_ACTIONS = [
    "kms:Encrypt",
    "kms:CreateGrant",
    "kms:ScheduleKeyDeletion",
    "kms:PutKeyPolicy",
    "kms:DisableKey",
];

export function developmentKeyRows(s: Subjects): AccessRow[] {
    const { p, third } = s;
    if (!p.developmentKeyArn) return [];
    const onKey = {
        resource: p.developmentKeyArn,
        resourceAccount: p.developmentAccountId,
        resourcePolicy: "developmentKeyPolicy",
    } as const;
    // The same rows hold for the stack's key and the research team's: only what grants the role differs.
    const grants: StatementRef = p.developmentKeyGranted
        ? { document: "developmentKeyPolicy", sid: GRANT_SID }
        : statement("developmentKeyPolicy", "executionRoleDecrypt");
    return [
        ...DEVELOPMENT_KEY_ACTIONS.map((action): AccessRow => ({
            id: `kms.development.${action}`,
            expect: "allowed",
            description: `The execution role can ${action} with the development key`,
            action,
            ...onKey,
            lookAt: [grants, statement("executionPolicy", "decryptArtifacts")],
        })),
        ...DENIED_ACTIONS.map((action): AccessRow => ({
            id: `kms.development.deny.${action}`,
            expect: "denied",
            description: `The execution role cannot ${action} on the development key`,
            action,
            ...onKey,
        })),
        {
            id: "kms.development.other-hosting-role",
            expect: "denied",
            ...s.oneAccount(
                "the key policy's root statement (which keeps the key manageable) delegates to IAM policies " +
                    "there, so a role whose own policy allows kms:Decrypt can use the key",
            ),
            description: "Another role of the hosting account cannot decrypt with the development key",
            principal: s.otherRole,
            identity: "broad",
            action: "kms:Decrypt",
            ...onKey,
        },
        {
            id: "kms.development.same-role-name-third-account",
            expect: "denied",
            description: `A role with the same name in another account (${third}) cannot decrypt`,
            principal: s.sameNameElsewhere,
            identity: "broad",
            action: "kms:Decrypt",
            ...onKey,
        },
    ];
}
