// The grant model, in the spirit of aws-cdk's BucketGrants.grant() and its action lists
// (https://github.com/aws/aws-cdk/blob/main/packages/aws-cdk-lib/aws-s3/lib/bucket-grants.ts; ours are in ./perms.ts):
// each access of the access contract (docs/access.md) is one Grant, and the grant writes every statement that access
// takes, on each side: the grantee's identity policy, the resource's own policy (bucket policy, trust policy), the key
// policy, or a KMS grant. The documents (./statements.ts, ./invoker.ts) are the grants' statements gathered per
// document, in GRANTS order; the provider's failure checklists and verify-access's fix texts are generated from the
// same grants (./checklist.ts). The access matrix (scripts/access/tables) does not read them: it is the check.
// Pure: plain strings in, plain objects out.

import { executionRoleArn, POINTER_PATH } from "../naming";
import type { OwnStatement } from "./document";
import { partStatements, type DocumentParams, type Grant, type GrantDocument, type KmsGrantPart } from "./grantModel";
import {
    bedrockArn,
    executionRoleOnBucket,
    executionRolePrincipal,
    hostingKeyUse,
    importerAllows,
    oneOrMany,
    rootAdministration,
    viaBedrock,
} from "./grantShapes";
import { accountRootArn, bucketArn, importJobSourceArn, modelObjectArns, pointerParameterArn } from "./params";
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

/**
 * The research team's existing key is granted, not edited (crossAccountModelImport.ts researchKeyGrant): the grant
 * allows the execution role the operations reading SSE-KMS objects needs, and no more.
 */
export const RESEARCH_KEY_GRANT: KmsGrantPart = {
    operations: DEVELOPMENT_KEY_ACTIONS.map((action) => action.replace(/^kms:/, "")),
};

// ---- the grants, in the order their statements appear in each document ----

export const GRANTS: readonly Grant[] = [
    {
        id: "developmentRootAdministersKey",
        grantee: "the development account",
        access: "administers the development key",
        parts: [
            {
                document: "developmentKeyPolicy",
                statements: (p) => [
                    rootAdministration(p, p.developmentAccountId, SIDS.developmentKeyPolicy.rootAdministration),
                ],
            },
        ],
        checklists: [],
    },
    {
        // The hosting root keeps kms:* so the key stays manageable; it also lets IAM policies of the hosting account
        // grant the importer's permissions when the importer is not known here (importerIdentityPolicy).
        id: "hostingRootAdministersKey",
        grantee: "the hosting account",
        access: "administers the hosting key",
        parts: [
            {
                document: "hostingKeyPolicy",
                statements: (p) => [
                    rootAdministration(p, p.hostingAccountId, SIDS.hostingKeyPolicy.rootAdministration),
                ],
            },
        ],
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
                    // Opt-in, for `npm run verify-access` probes only. Root-of-each-account plus aws:PrincipalArn, for
                    // the same reason as the bucket policy: a principal that is recreated or not yet there keeps the
                    // policy valid.
                    const accounts = [...new Set(operators.map((arn) => arn.split(":")[4]))].sort();
                    return [
                        {
                            Sid: SIDS.trustPolicy.operatorTroubleshooting,
                            Effect: "Allow",
                            Principal: { AWS: accounts.map((a) => accountRootArn(p.partition, a)) },
                            Action: "sts:AssumeRole",
                            Condition: {
                                ArnEquals: { "aws:PrincipalArn": operators.length === 1 ? operators[0] : operators },
                            },
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
                        ? [
                              {
                                  Sid: SIDS.executionPolicy.decryptArtifacts,
                                  Effect: "Allow",
                                  Action: [...DEVELOPMENT_KEY_ACTIONS],
                                  Resource: p.developmentKeyArn,
                              },
                          ]
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
                              {
                                  use: SIDS.executionPolicy.useHostingKey,
                                  letBedrockGrant: SIDS.executionPolicy.letBedrockGrantHostingKey,
                              },
                              "targetFirst",
                          )
                        : [],
            },
            {
                // The role is named by ARN, so it must exist before the key policy is written: the component creates
                // the key after it.
                document: "hostingKeyPolicy",
                statements: (p) =>
                    hostingKeyUse(
                        p,
                        EXECUTION_ROLE_KEY_ACTIONS,
                        { Principal: { AWS: executionRoleArn(p) }, Resource: "*" },
                        {
                            use: SIDS.hostingKeyPolicy.executionRoleUse,
                            letBedrockGrant: SIDS.hostingKeyPolicy.executionRoleLetBedrockGrant,
                        },
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
        parts: [
            importerAllows(SIDS.importerIdentityPolicy.startImports, () => ({
                Action: "bedrock:CreateModelImportJob",
                Resource: "*",
            })),
        ],
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
        parts: [
            importerAllows(SIDS.importerIdentityPolicy.listAndReadQuota, () => ({
                Action: [...LIST_AND_QUOTA_ACTIONS],
                Resource: "*",
            })),
        ],
        checklists: [],
    },
    {
        // The smoke test invokes each new version once before the pointer moves to it.
        id: "importerSmokeTests",
        grantee: "the identity that runs the imports",
        access: "invokes each new model version once (the smoke test)",
        parts: [
            importerAllows(SIDS.importerIdentityPolicy.smokeTest, (p) => ({
                Action: "bedrock:InvokeModel",
                Resource: bedrockArn(p, "imported-model"),
            })),
        ],
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
                              {
                                  use: SIDS.hostingKeyPolicy.importerUse,
                                  letBedrockGrant: SIDS.hostingKeyPolicy.importerBedrockGrant,
                              },
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
                              {
                                  use: SIDS.importerIdentityPolicy.useHostingKey,
                                  letBedrockGrant: SIDS.importerIdentityPolicy.letBedrockGrantHostingKey,
                              },
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
                        Resource: oneOrMany([
                            ...new Set(p.target.pointerParameterNames.map((name) => pointerParameterArn(p, name))),
                        ]),
                    },
                ],
            },
        ],
        checklists: [],
    },
    {
        // InvokeModel takes the imported model's ARN as modelId
        // (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_InvokeModel.html) and is authorized on
        // the imported-model resource type
        // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonbedrock.html), so the
        // statement names the models themselves; before `up` (the plan) every imported model of the hosting account and
        // region, which the output narrows to this stack's. Streaming callers add
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
                            p.target.modelArns && p.target.modelArns.length > 0
                                ? oneOrMany([...new Set(p.target.modelArns)])
                                : bedrockArn(p, "imported-model"),
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

/** The statements every grant writes into `document`, in GRANTS order. */
export function grantStatements<D extends GrantDocument>(document: D, p: DocumentParams[D]): OwnStatement[] {
    return GRANTS.flatMap((grant) =>
        grant.parts.filter((part) => part.document === document).flatMap((part) => partStatements(part, p)),
    );
}

/** The grant named `id`. */
export function grantById(id: string): Grant {
    const grant = GRANTS.find((g) => g.id === id);
    if (!grant) throw new Error(`no grant ${id} in components/policies/grants.ts`);
    return grant;
}
