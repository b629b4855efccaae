// The grant model, in the spirit of aws-cdk's BucketGrants.grant() and its action lists
// (https://github.com/aws/aws-cdk/blob/main/packages/aws-cdk-lib/aws-s3/lib/bucket-grants.ts; ours are in ./perms.ts):
// each access of the access contract (docs/access.md) is one Grant, and the grant writes every statement that access
// takes, on each side: the grantee's identity policy, the resource's own policy (bucket policy, trust policy), the key
// policy, or a KMS grant. The documents (./statements.ts, ./invoker.ts) are the grants' statements gathered per
// document, in GRANTS order; the provider's failure checklists and verify-access's fix texts are generated from the
// same grants (./checklist.ts). The access matrix (scripts/access/tables) does not read them: it is the check.
// Pure: plain strings in, plain objects out.

import { executionRoleArn, POINTER_PATH } from "../naming";
import type { ConditionBlock, OwnStatement } from "./document";
import {
    accountRootArn,
    bedrockViaService,
    bucketArn,
    importJobSourceArn,
    modelObjectArns,
    pointerParameterArn,
    type AccessParams,
    type InvokerParams,
    type InvokerTarget,
} from "./params";
import {
    DEVELOPMENT_KEY_ACTIONS,
    EXECUTION_ROLE_KEY_ACTIONS,
    IMPORTER_KEY_ACTIONS,
    INVOKER_KEY_ACTIONS,
    LIST_AND_QUOTA_ACTIONS,
    POINTER_ACTIONS,
    TRACK_MODEL_ACTIONS,
} from "./perms";
import { SIDS } from "./sids";

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
export type GrantPart = { [D in GrantDocument]: { document: D; statements(p: DocumentParams[D]): OwnStatement[] } }[GrantDocument];

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

// ---- the shapes statements share ----

function oneOrMany(values: readonly string[]): string | string[] {
    return values.length === 1 ? values[0] : [...values];
}

function viaBedrock(p: Pick<AccessParams, "hostingRegion">): ConditionBlock {
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
function executionRolePrincipal(p: AccessParams): Pick<OwnStatement, "Principal" | "Condition"> {
    return {
        Principal: { AWS: accountRootArn(p.partition, p.hostingAccountId) },
        Condition: { ArnLike: { "aws:PrincipalArn": executionRoleArn(p) } },
    };
}

function rootAdministration(p: AccessParams, accountId: string, sid: string): OwnStatement {
    // Without this statement the key becomes unmanageable, even by the account that owns it.
    return { Sid: sid, Effect: "Allow", Principal: { AWS: accountRootArn(p.partition, accountId) }, Action: "kms:*", Resource: "*" };
}

/**
 * The execution role's access to the artifact bucket, on both sides: the bucket policy admits the role (root +
 * aws:PrincipalArn), and the execution policy allows it only in the development account. aws:ResourceAccount pins the
 * S3 grants to that account, so a bucket of the same name elsewhere (bucket names are global, but can be deleted and
 * re-created by anyone) is refused.
 */
function executionRoleOnBucket(
    action: string,
    resources: (p: AccessParams) => string | string[],
    sids: { bucketPolicy: string; executionPolicy: string },
): GrantPart[] {
    return [
        {
            document: "bucketPolicy",
            statements: (p) => [{ Sid: sids.bucketPolicy, Effect: "Allow", ...executionRolePrincipal(p), Action: action, Resource: resources(p) }],
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
 * order each pair was first deployed with: a policy is stored as its JSON text, so another order would show as a change.
 */
function hostingKeyUse(
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
    return [statement(sids.use, [...actions], viaBedrock(p)), statement(sids.letBedrockGrant, "kms:CreateGrant", bedrockGrantOnly(p))];
}

// Same-account principals are named by their role ARN in the hosting key policy, unlike the root + aws:PrincipalArn
// form of the bucket policy and the development key. In a key policy the account principal only delegates to IAM
// policies (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam),
// and the root statement already does that for the hosting account, so a root + aws:PrincipalArn statement would
// grant nothing. What the role-ARN form costs, and why it is acceptable:
// - a principal that does not exist makes KMS reject the policy (https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html):
//   `pulumi up` fails naming it, rather than deploying a grant that silently does nothing. The importer always exists
//   (it is the role the deployment itself assumes); the execution role is created before the key; an invoker must
//   exist before it is listed.
// - a role ARN principal is stored as the role's unique id, so a deleted and recreated role loses the statement
//   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-roles).
//   `pulumi refresh` then `pulumi up` rewrites it; verify-access reports the deployed key policy as drifted meanwhile.
//   For the execution role the execution policy's identical statements still hold (the root statement delegates to IAM).

/** An importer's identity-only access: Bedrock has no resource policies, so only the deployer's side can grant it. */
function importerAllows(sid: string, statement: (p: AccessParams) => Omit<OwnStatement, "Sid" | "Effect">): GrantPart {
    return { document: "importerIdentityPolicy", statements: (p) => [{ Sid: sid, Effect: "Allow", ...statement(p) }] };
}

function bedrockArn(p: Pick<AccessParams, "partition" | "hostingRegion" | "hostingAccountId">, kind: string): string {
    return `arn:${p.partition}:bedrock:${p.hostingRegion}:${p.hostingAccountId}:${kind}/*`;
}

/**
 * The research team's existing key is granted, not edited (crossAccountModelImport.ts researchKeyGrant): the grant allows
 * the execution role the operations reading SSE-KMS objects needs, and no more.
 */
export const RESEARCH_KEY_GRANT: KmsGrantPart = { operations: DEVELOPMENT_KEY_ACTIONS.map((action) => action.replace(/^kms:/, "")) };

// ---- the grants, in the order their statements appear in each document ----

export const GRANTS: readonly Grant[] = [
    {
        id: "developmentRootAdministersKey",
        grantee: "the development account",
        access: "administers the development key",
        parts: [
            {
                document: "developmentKeyPolicy",
                statements: (p) => [rootAdministration(p, p.developmentAccountId, SIDS.developmentKeyPolicy.rootAdministration)],
            },
        ],
        checklists: [],
    },
    {
        // The hosting root keeps kms:* so the key stays manageable; it also lets IAM policies of the hosting account grant
        // the importer's permissions when the importer is not known here (importerIdentityPolicy).
        id: "hostingRootAdministersKey",
        grantee: "the hosting account",
        access: "administers the hosting key",
        parts: [{ document: "hostingKeyPolicy", statements: (p) => [rootAdministration(p, p.hostingAccountId, SIDS.hostingKeyPolicy.rootAdministration)] }],
        checklists: [],
    },
    {
        id: "executionRoleListsBucket",
        grantee: "the execution role",
        access: "lists the artifact bucket",
        parts: executionRoleOnBucket("s3:ListBucket", (p) => bucketArn(p.partition, p.bucketName), {
            bucketPolicy: SIDS.bucketPolicy.list,
            executionPolicy: SIDS.executionPolicy.listBucket,
        }),
        checklists: ["importJob"],
    },
    {
        id: "executionRoleReadsModels",
        grantee: "the execution role",
        access: "reads the model prefixes",
        parts: executionRoleOnBucket("s3:GetObject", (p) => modelObjectArns(p), {
            bucketPolicy: SIDS.bucketPolicy.readModels,
            executionPolicy: SIDS.executionPolicy.readArtifacts,
        }),
        checklists: ["importJob"],
    },
    {
        id: "bucketRefusesInsecureTransport",
        grantee: "everyone",
        access: "is refused the bucket without TLS",
        parts: [
            {
                document: "bucketPolicy",
                statements: (p) => {
                    const bucket = bucketArn(p.partition, p.bucketName);
                    return [
                        {
                            Sid: SIDS.bucketPolicy.denyInsecureTransport,
                            Effect: "Deny",
                            Principal: "*",
                            Action: "s3:*",
                            Resource: [bucket, `${bucket}/*`],
                            Condition: { Bool: { "aws:SecureTransport": "false" } },
                        },
                    ];
                },
            },
        ],
        checklists: [],
    },
    {
        id: "bedrockAssumesExecutionRole",
        grantee: "Bedrock's service principal",
        access: "assumes the execution role for the hosting account's import jobs",
        parts: [
            {
                document: "trustPolicy",
                statements: (p) => [
                    {
                        Sid: SIDS.trustPolicy.bedrockImportJobs,
                        Effect: "Allow",
                        Principal: { Service: "bedrock.amazonaws.com" },
                        Action: "sts:AssumeRole",
                        // Confused-deputy protection: only import jobs of the hosting account, in the hosting region.
                        Condition: {
                            StringEquals: { "aws:SourceAccount": p.hostingAccountId },
                            ArnEquals: { "aws:SourceArn": importJobSourceArn(p) },
                        },
                    },
                ],
            },
        ],
        checklists: ["importJob"],
    },
    {
        id: "operatorsAssumeExecutionRole",
        grantee: "the operators in modelHosting.troubleshooting.allowAssumeFrom",
        access: "assume the execution role to probe its access",
        parts: [
            {
                document: "trustPolicy",
                statements: (p) => {
                    const operators = [...(p.allowAssumeFrom ?? [])];
                    if (operators.length === 0) return [];
                    // Opt-in, for `npm run verify-access` probes only. Root-of-each-account plus aws:PrincipalArn, for the
                    // same reason as the bucket policy: a principal that is recreated or not yet there keeps the policy valid.
                    const accounts = [...new Set(operators.map((arn) => arn.split(":")[4]))].sort();
                    return [
                        {
                            Sid: SIDS.trustPolicy.operatorTroubleshooting,
                            Effect: "Allow",
                            Principal: { AWS: accounts.map((a) => accountRootArn(p.partition, a)) },
                            Action: "sts:AssumeRole",
                            Condition: { ArnEquals: { "aws:PrincipalArn": operators.length === 1 ? operators[0] : operators } },
                        },
                    ];
                },
            },
        ],
        checklists: [],
    },
    {
        id: "executionRoleDecryptsArtifacts",
        grantee: "the execution role",
        access: "decrypts the artifacts with the development key (when they are SSE-KMS encrypted)",
        parts: [
            {
                document: "executionPolicy",
                statements: (p) =>
                    p.developmentKeyArn
                        ? [{ Sid: SIDS.executionPolicy.decryptArtifacts, Effect: "Allow", Action: [...DEVELOPMENT_KEY_ACTIONS], Resource: p.developmentKeyArn }]
                        : [],
            },
            {
                document: "developmentKeyPolicy",
                statements: (p) => [
                    {
                        Sid: SIDS.developmentKeyPolicy.executionRoleDecrypt,
                        Effect: "Allow",
                        ...executionRolePrincipal(p),
                        Action: [...DEVELOPMENT_KEY_ACTIONS],
                        Resource: "*",
                    },
                ],
            },
        ],
        kmsGrant: RESEARCH_KEY_GRANT,
        checklists: ["importJob"],
    },
    {
        id: "executionRoleUsesHostingKey",
        grantee: "the execution role",
        access: "uses the hosting key through Bedrock",
        parts: [
            {
                document: "executionPolicy",
                statements: (p) =>
                    p.hostingKeyArn
                        ? hostingKeyUse(
                              p,
                              EXECUTION_ROLE_KEY_ACTIONS,
                              { Resource: p.hostingKeyArn },
                              { use: SIDS.executionPolicy.useHostingKey, letBedrockGrant: SIDS.executionPolicy.letBedrockGrantHostingKey },
                              "targetFirst",
                          )
                        : [],
            },
            {
                // The role is named by ARN, so it must exist before the key policy is written: the component creates the key after it.
                document: "hostingKeyPolicy",
                statements: (p) =>
                    hostingKeyUse(
                        p,
                        EXECUTION_ROLE_KEY_ACTIONS,
                        { Principal: { AWS: executionRoleArn(p) }, Resource: "*" },
                        { use: SIDS.hostingKeyPolicy.executionRoleUse, letBedrockGrant: SIDS.hostingKeyPolicy.executionRoleLetBedrockGrant },
                        "targetFirst",
                    ),
            },
        ],
        checklists: ["importJob"],
    },
    {
        // CreateModelImportJob supports no resource-level permissions
        // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonbedrock.html).
        id: "importerStartsImports",
        grantee: "the identity that runs the imports",
        access: "starts import jobs",
        parts: [importerAllows(SIDS.importerIdentityPolicy.startImports, () => ({ Action: "bedrock:CreateModelImportJob", Resource: "*" }))],
        checklists: ["createImportJob"],
    },
    {
        // What the imported-model provider calls after the create: job status, the model, its tags, its deletion.
        id: "importerTracksModels",
        grantee: "the identity that runs the imports",
        access: "tracks its import jobs and imported models",
        parts: [
            importerAllows(SIDS.importerIdentityPolicy.trackModels, (p) => ({
                Action: [...TRACK_MODEL_ACTIONS],
                Resource: [bedrockArn(p, "model-import-job"), bedrockArn(p, "imported-model")],
            })),
        ],
        checklists: [],
    },
    {
        // Listing (the running-import and room checks) has no resource-level permissions either; the quota read is
        // optional (without it the provider assumes the default of 3).
        id: "importerListsAndReadsQuota",
        grantee: "the identity that runs the imports",
        access: "lists import jobs and imported models and reads the quota",
        parts: [importerAllows(SIDS.importerIdentityPolicy.listAndReadQuota, () => ({ Action: [...LIST_AND_QUOTA_ACTIONS], Resource: "*" }))],
        checklists: [],
    },
    {
        // The smoke test invokes each new version once before the pointer moves to it.
        id: "importerSmokeTests",
        grantee: "the identity that runs the imports",
        access: "invokes each new model version once (the smoke test)",
        parts: [importerAllows(SIDS.importerIdentityPolicy.smokeTest, (p) => ({ Action: "bedrock:InvokeModel", Resource: bedrockArn(p, "imported-model") }))],
        checklists: [],
    },
    {
        // The SSM pointers (one per model) that callers read.
        id: "importerManagesPointers",
        grantee: "the identity that runs the imports",
        access: "writes the model pointers",
        parts: [
            importerAllows(SIDS.importerIdentityPolicy.managePointers, (p) => ({
                Action: [...POINTER_ACTIONS],
                Resource: `arn:${p.partition}:ssm:${p.hostingRegion}:${p.hostingAccountId}:parameter${POINTER_PATH}*`,
            })),
        ],
        checklists: [],
    },
    {
        // The caller of CreateModelImportJob passes the execution role to Bedrock
        // (https://docs.aws.amazon.com/bedrock/latest/userguide/security-iam-sr.html); iam:PassedToService keeps
        // the permission from passing it to any other service
        // (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html).
        id: "importerPassesExecutionRole",
        grantee: "the identity that runs the imports",
        access: "passes the execution role to Bedrock",
        parts: [
            importerAllows(SIDS.importerIdentityPolicy.passExecutionRole, (p) => ({
                Action: "iam:PassRole",
                Resource: executionRoleArn(p),
                Condition: { StringEquals: { "iam:PassedToService": "bedrock.amazonaws.com" } },
            })),
        ],
        checklists: ["createImportJob"],
    },
    {
        // When the program knows the importer (modelHosting.assumeRoleArn), the key policy grants it; otherwise its own
        // IAM policy must (the hosting root statement lets it), never both: a second path only widens what is audited.
        id: "importerUsesHostingKey",
        grantee: "the identity that runs the imports",
        access: "lets Bedrock use the hosting key for the imported model",
        parts: [
            {
                document: "hostingKeyPolicy",
                statements: (p) =>
                    p.importerArn
                        ? hostingKeyUse(
                              p,
                              IMPORTER_KEY_ACTIONS,
                              { Principal: { AWS: p.importerArn }, Resource: "*" },
                              { use: SIDS.hostingKeyPolicy.importerUse, letBedrockGrant: SIDS.hostingKeyPolicy.importerBedrockGrant },
                              "actionFirst",
                          )
                        : [],
            },
            {
                document: "importerIdentityPolicy",
                statements: (p) =>
                    p.hostingKeyArn && !p.importerArn
                        ? hostingKeyUse(
                              p,
                              IMPORTER_KEY_ACTIONS,
                              { Resource: p.hostingKeyArn },
                              { use: SIDS.importerIdentityPolicy.useHostingKey, letBedrockGrant: SIDS.importerIdentityPolicy.letBedrockGrantHostingKey },
                              "actionFirst",
                          )
                        : [],
            },
        ],
        checklists: ["importJob", "createImportJob"],
    },
    {
        // GetParameter alone: the app reads the live ARN and can neither move the pointer nor read other parameters.
        id: "invokersReadPointers",
        grantee: "an app that invokes the models",
        access: "reads the model pointers",
        parts: [
            {
                document: "invokerIdentityPolicy",
                statements: (p) => [
                    {
                        Sid: SIDS.invokerIdentityPolicy.readPointers,
                        Effect: "Allow",
                        Action: "ssm:GetParameter",
                        Resource: oneOrMany([...new Set(p.target.pointerParameterNames.map((name) => pointerParameterArn(p, name)))]),
                    },
                ],
            },
        ],
        checklists: [],
    },
    {
        // InvokeModel takes the imported model's ARN as modelId
        // (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_InvokeModel.html) and is authorized on
        // the imported-model resource type (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonbedrock.html),
        // so the statement names the models themselves; before `up` (the plan) every imported model of the hosting
        // account and region, which the output narrows to this stack's. Streaming callers add
        // bedrock:InvokeModelWithResponseStream.
        id: "invokersInvokeModels",
        grantee: "an app that invokes the models",
        access: "invokes the imported models",
        parts: [
            {
                document: "invokerIdentityPolicy",
                statements: (p) => [
                    {
                        Sid: SIDS.invokerIdentityPolicy.invokeModels,
                        Effect: "Allow",
                        Action: "bedrock:InvokeModel",
                        Resource:
                            p.target.modelArns && p.target.modelArns.length > 0 ? oneOrMany([...new Set(p.target.modelArns)]) : bedrockArn(p, "imported-model"),
                    },
                ],
            },
        ],
        checklists: [],
    },
    {
        // Models encrypted with a customer managed key need their users to decrypt with it ("Permissions for imported
        // model users", https://docs.aws.amazon.com/bedrock/latest/userguide/import-model-using-cmk.html), only through
        // Bedrock. The key policy's root statement lets the invoker policy grant it to any role of the hosting account;
        // roles listed in modelHosting.kms.invokers have it from the key policy as well.
        id: "invokersDecrypt",
        grantee: "an app that invokes the models",
        access: "decrypts the imported models through Bedrock",
        parts: [
            {
                document: "hostingKeyPolicy",
                statements: (p) => {
                    const invokers = [...new Set(p.invokers)];
                    if (invokers.length === 0) return [];
                    return [
                        {
                            Sid: SIDS.hostingKeyPolicy.invokersDecrypt,
                            Effect: "Allow",
                            Principal: { AWS: oneOrMany(invokers) },
                            Action: [...INVOKER_KEY_ACTIONS],
                            Resource: "*",
                            Condition: viaBedrock(p),
                        },
                    ];
                },
            },
            {
                document: "invokerIdentityPolicy",
                statements: (p) =>
                    p.hostingKeyArn
                        ? [
                              {
                                  Sid: SIDS.invokerIdentityPolicy.decryptThroughBedrock,
                                  Effect: "Allow",
                                  Action: [...INVOKER_KEY_ACTIONS],
                                  Resource: p.hostingKeyArn,
                                  Condition: viaBedrock(p),
                              },
                          ]
                        : [],
            },
        ],
        checklists: [],
    },
];

/** The statements `part` writes, from the parameters of its document. */
export function partStatements(part: GrantPart, p: DocumentParams[GrantDocument]): OwnStatement[] {
    // A part's parameter type is its document's; callers pass the parameters of part.document.
    return (part as { statements(p: DocumentParams[GrantDocument]): OwnStatement[] }).statements(p);
}

/** The statements every grant writes into `document`, in GRANTS order. */
export function grantStatements<D extends GrantDocument>(document: D, p: DocumentParams[D]): OwnStatement[] {
    return GRANTS.flatMap((grant) => grant.parts.filter((part) => part.document === document).flatMap((part) => partStatements(part, p)));
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

/** The grant named `id`. */
export function grantById(id: string): Grant {
    const grant = GRANTS.find((g) => g.id === id);
    if (!grant) throw new Error(`no grant ${id} in components/policies/grants.ts`);
    return grant;
}
