// Pure builders for every policy document of the access contract (docs/access.md, its items 1 to 5).
// They take resolved strings and return plain objects; callers serialize with JSON.stringify or
// pulumi.jsonStringify. No I/O, no Pulumi runtime: the plan script and the tests call them directly.

import type * as aws from "@pulumi/aws";
import type { StackConfig } from "../config/stackConfig";
import { executionRoleArn, POINTER_PATH } from "../naming";
import type { ConditionBlock, OwnStatement, PolicyDocument as Document } from "./document";

/** What every builder returns: a document whose statements all have a Sid. */
type PolicyDocument = Document<OwnStatement>;
import { partitionOf, type Partition } from "../rules";

// Compile-time proof that our plain documents are valid inputs wherever @pulumi/aws takes a policy.
const _assignable: (d: PolicyDocument) => aws.iam.PolicyDocument = (d) => d;
void _assignable;

/** Everything the documents depend on, all resolved to plain strings. */
export interface AccessParams {
    partition: Partition;
    developmentAccountId: string;
    hostingAccountId: string;
    hostingRegion: string;
    bucketName: string;
    /** Model prefixes inside the bucket, each ending with "/". */
    modelPrefixes: readonly string[];
    executionRoleName: string;
    /** Present when modelDevelopment.kms.enabled, or the research team's key (modelDevelopment.kms.keyArn). */
    developmentKeyArn?: string;
    /**
     * The development key is the research team's existing key (modelDevelopment.kms.keyArn): the stack grants it to the
     * execution role with a KMS grant instead of writing its key policy.
     */
    developmentKeyGranted?: true;
    /** Present when modelHosting.kms.enabled. */
    hostingKeyArn?: string;
    /** Operators allowed to assume the execution role for troubleshooting (modelHosting.troubleshooting.allowAssumeFrom). */
    allowAssumeFrom?: readonly string[];
    /**
     * The identity that calls CreateModelImportJob: the hosting deployer role (modelHosting.assumeRoleArn). Unknown when
     * the deployer uses ambient credentials; its key permissions then come from IAM (importerIdentityPolicy).
     */
    importerArn?: string;
    /** IAM role ARNs that invoke the imported models and so must decrypt with the hosting key (modelHosting.kms.invokers). */
    invokers: readonly string[];
}

/** The access parameters of a validated stack config; key ARNs are added once the keys exist. */
export function accessParams(config: StackConfig, keys: { developmentKeyArn?: string; hostingKeyArn?: string } = {}): AccessParams {
    return {
        partition: partitionOf(config.modelHosting.region),
        developmentAccountId: config.modelDevelopment.accountId,
        hostingAccountId: config.modelHosting.accountId,
        hostingRegion: config.modelHosting.region,
        bucketName: config.modelDevelopment.artifactBucket.name,
        modelPrefixes: config.models.map((m) => m.s3Prefix),
        executionRoleName: config.modelHosting.executionRoleName,
        // A key the stack creates is known once it exists; the research team's existing key comes from config.
        ...((keys.developmentKeyArn ?? config.modelDevelopment.kms.keyArn)
            ? { developmentKeyArn: keys.developmentKeyArn ?? config.modelDevelopment.kms.keyArn }
            : {}),
        // The validator allows keyArn only without kms.enabled, so a keyArn is always the research team's key.
        ...(config.modelDevelopment.kms.keyArn ? { developmentKeyGranted: true as const } : {}),
        ...(keys.hostingKeyArn ? { hostingKeyArn: keys.hostingKeyArn } : {}),
        allowAssumeFrom: config.modelHosting.troubleshooting.allowAssumeFrom,
        ...(config.modelHosting.assumeRoleArn ? { importerArn: config.modelHosting.assumeRoleArn } : {}),
        invokers: config.modelHosting.kms.invokers,
    };
}

// The key that encrypts imported models: two AWS sources name different identities, and until a real import shows which
// one Bedrock uses for the key, both get what their source asks, each only through Bedrock (kms:ViaService) and
// CreateGrant only for an AWS resource (kms:GrantIsForAWSResource):
// - "Using customer managed key (CMK)" (https://docs.aws.amazon.com/bedrock/latest/userguide/import-model-using-cmk.html)
//   gives "the model import API invocation role" CreateGrant, DescribeKey, GenerateDataKey and Decrypt, and model users
//   Decrypt. Its CloudTrail example (https://docs.aws.amazon.com/bedrock/latest/userguide/import-model-monitor-encryption-keys.html)
//   shows the grant created by an assumed import role's session, invokedBy bedrock.amazonaws.com. The identity that calls
//   CreateModelImportJob (the hosting deployer, IMPORTER_KEY_ACTIONS) gets these.
// - AWS's cross-account CMI walkthrough (https://aws.amazon.com/blogs/machine-learning/how-to-configure-cross-account-model-deployment-using-amazon-bedrock-custom-model-import/,
//   steps 4 and 5) lets the execution role Encrypt, Decrypt, ReEncrypt*, GenerateDataKey* and DescribeKey with the key,
//   in the key policy and in the execution policy (EXECUTION_ROLE_KEY_ACTIONS). The role also gets the CMK page's
//   CreateGrant, in case the "invocation role" there is the role Bedrock assumes.

/** What the importing identity does with the hosting key through Bedrock, besides CreateGrant. */
export const IMPORTER_KEY_ACTIONS: readonly string[] = ["kms:DescribeKey", "kms:GenerateDataKey", "kms:Decrypt"];

/** What the execution role does with the hosting key through Bedrock (the walkthrough's set), besides CreateGrant. */
const EXECUTION_ROLE_KEY_ACTIONS: readonly string[] = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"];

/** What a model invoker does with the hosting key through Bedrock ("Permissions for imported model users"). */
export const INVOKER_KEY_ACTIONS: readonly string[] = ["kms:Decrypt"];

/** The actions needed to read SSE-KMS objects encrypted with the development key (docs/access.md, item 4). */
export const DEVELOPMENT_KEY_ACTIONS: readonly string[] = ["kms:Decrypt", "kms:DescribeKey"];

/**
 * The Sid of every statement the builders write, by document. The builders use these, and so do the access matrix (which
 * statement a row depends on) and verify-access (which statement to look at): one spelling of each.
 */
export const SIDS = {
    bucketPolicy: {
        list: "AllowBedrockExecutionRoleList",
        readModels: "AllowBedrockExecutionRoleReadModels",
        denyInsecureTransport: "DenyInsecureTransport",
    },
    trustPolicy: {
        bedrockImportJobs: "AllowBedrockModelImportJobs",
        operatorTroubleshooting: "AllowOperatorTroubleshooting",
    },
    executionPolicy: {
        listBucket: "ListModelArtifactBucket",
        readArtifacts: "ReadModelArtifacts",
        decryptArtifacts: "DecryptModelArtifacts",
        useHostingKey: "UseImportedModelKeyThroughBedrock",
        letBedrockGrantHostingKey: "LetBedrockGrantItselfImportedModelKey",
    },
    developmentKeyPolicy: {
        rootAdministration: "EnableRootAccountAdministration",
        executionRoleDecrypt: "AllowBedrockExecutionRoleDecrypt",
    },
    hostingKeyPolicy: {
        rootAdministration: "EnableRootAccountAdministration",
        executionRoleUse: "AllowBedrockExecutionRoleUseImportedModelKeyThroughBedrock",
        executionRoleLetBedrockGrant: "AllowBedrockExecutionRoleLetBedrockGrantItselfImportedModelKey",
        importerUse: "AllowModelImporterUseThroughBedrock",
        importerBedrockGrant: "AllowModelImporterBedrockGrant",
        invokersDecrypt: "AllowModelInvokersDecryptThroughBedrock",
    },
    importerIdentityPolicy: {
        startImports: "StartModelImportJobs",
        trackModels: "TrackImportedModels",
        listAndReadQuota: "ListImportsAndReadQuota",
        smokeTest: "SmokeTestImportedModels",
        managePointers: "ManageModelPointers",
        passExecutionRole: "PassExecutionRoleToBedrock",
        useHostingKey: "UseHostingKeyThroughBedrock",
        letBedrockGrantHostingKey: "LetBedrockGrantItselfTheHostingKey",
    },
    invokerIdentityPolicy: {
        readPointers: "ReadModelPointers",
        invokeModels: "InvokeImportedModels",
        decryptThroughBedrock: "DecryptImportedModelsThroughBedrock",
    },
} as const;

function accountRootArn(partition: Partition, accountId: string): string {
    return `arn:${partition}:iam::${accountId}:root`;
}

export function bucketArn(partition: Partition, bucketName: string): string {
    return `arn:${partition}:s3:::${bucketName}`;
}

/** Object ARNs readable by the role: one `<bucket>/<prefix>*` per distinct model prefix. */
export function modelObjectArns(p: Pick<AccessParams, "partition" | "bucketName" | "modelPrefixes">): string[] {
    return [...new Set(p.modelPrefixes)].map((prefix) => `${bucketArn(p.partition, p.bucketName)}/${prefix}*`);
}

/** The ARN pattern Bedrock uses as aws:SourceArn when it assumes the role for an import job. */
function importJobSourceArn(p: Pick<AccessParams, "partition" | "hostingRegion" | "hostingAccountId">): string {
    return `arn:${p.partition}:bedrock:${p.hostingRegion}:${p.hostingAccountId}:model-import-job/*`;
}

/**
 * kms:ViaService value for requests Bedrock makes to KMS on a principal's behalf in the hosting region. AWS recommends
 * this condition for every statement on a key that encrypts custom models, with "bedrock.${region}.amazonaws.com"
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/encryption-custom-job.html). Custom Model Import runs only in
 * commercial regions (https://docs.aws.amazon.com/bedrock/latest/userguide/model-customization-import-model.html), so
 * the amazonaws.com suffix is the only one needed.
 */
export function bedrockViaService(p: Pick<AccessParams, "hostingRegion">): string {
    return `bedrock.${p.hostingRegion}.amazonaws.com`;
}

function viaBedrock(p: AccessParams): ConditionBlock {
    return { StringEquals: { "kms:ViaService": bedrockViaService(p) } };
}

// kms:GrantIsForAWSResource is true only when an AWS service integrated with KMS sends CreateGrant on the principal's
// behalf (https://docs.aws.amazon.com/kms/latest/developerguide/grant-authorization.html); the importer can then let
// Bedrock grant itself the key but cannot hand the key to anyone by calling CreateGrant directly.
function bedrockGrantOnly(p: AccessParams): ConditionBlock {
    return { ...viaBedrock(p), Bool: { "kms:GrantIsForAWSResource": "true" } };
}

function oneOrMany(values: readonly string[]): string | string[] {
    return values.length === 1 ? values[0] : [...values];
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

function rootAdministration(partition: Partition, accountId: string, sid: string): OwnStatement {
    // Without this statement the key becomes unmanageable, even by the account that owns it.
    return {
        Sid: sid,
        Effect: "Allow",
        Principal: { AWS: accountRootArn(partition, accountId) },
        Action: "kms:*",
        Resource: "*",
    };
}

/** Bucket policy of the artifact bucket (development account), docs/access.md, item 1. */
export function bucketPolicy(p: AccessParams): PolicyDocument {
    const bucket = bucketArn(p.partition, p.bucketName);
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: SIDS.bucketPolicy.list,
                Effect: "Allow",
                ...executionRolePrincipal(p),
                Action: "s3:ListBucket",
                Resource: bucket,
            },
            {
                Sid: SIDS.bucketPolicy.readModels,
                Effect: "Allow",
                ...executionRolePrincipal(p),
                Action: "s3:GetObject",
                Resource: modelObjectArns(p),
            },
            {
                Sid: SIDS.bucketPolicy.denyInsecureTransport,
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [bucket, `${bucket}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
        ],
    };
}

/** Trust policy of the execution role (hosting account), docs/access.md, item 2. */
export function trustPolicy(p: AccessParams): PolicyDocument {
    const statements: OwnStatement[] = [
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
    ];
    const operators = [...(p.allowAssumeFrom ?? [])];
    if (operators.length > 0) {
        // Opt-in, for `npm run verify-access` probes only. Root-of-each-account plus aws:PrincipalArn, for the
        // same reason as the bucket policy: a principal that is recreated or not yet there keeps the policy valid.
        const accounts = [...new Set(operators.map((arn) => arn.split(":")[4]))].sort();
        statements.push({
            Sid: SIDS.trustPolicy.operatorTroubleshooting,
            Effect: "Allow",
            Principal: { AWS: accounts.map((a) => accountRootArn(p.partition, a)) },
            Action: "sts:AssumeRole",
            Condition: { ArnEquals: { "aws:PrincipalArn": operators.length === 1 ? operators[0] : operators } },
        });
    }
    return { Version: "2012-10-17", Statement: statements };
}

/** Customer managed policy attached to the execution role (hosting account), docs/access.md, items 3 and 4. */
export function executionPolicy(p: AccessParams): PolicyDocument {
    // aws:ResourceAccount pins the S3 grants to the development account, so a bucket of the same name
    // elsewhere (bucket names are global, but can be deleted and re-created by anyone) is refused.
    const inDevelopmentAccount: ConditionBlock = { StringEquals: { "aws:ResourceAccount": p.developmentAccountId } };
    const statements: OwnStatement[] = [
        {
            Sid: SIDS.executionPolicy.listBucket,
            Effect: "Allow",
            Action: "s3:ListBucket",
            Resource: bucketArn(p.partition, p.bucketName),
            Condition: inDevelopmentAccount,
        },
        {
            Sid: SIDS.executionPolicy.readArtifacts,
            Effect: "Allow",
            Action: "s3:GetObject",
            Resource: modelObjectArns(p),
            Condition: inDevelopmentAccount,
        },
    ];
    if (p.developmentKeyArn) {
        statements.push({
            Sid: SIDS.executionPolicy.decryptArtifacts,
            Effect: "Allow",
            Action: [...DEVELOPMENT_KEY_ACTIONS],
            Resource: p.developmentKeyArn,
        });
    }
    if (p.hostingKeyArn) {
        const sids = { use: SIDS.executionPolicy.useHostingKey, letBedrockGrant: SIDS.executionPolicy.letBedrockGrantHostingKey };
        statements.push(...executionRoleHostingKeyStatements(p, { Resource: p.hostingKeyArn }, sids));
    }
    return { Version: "2012-10-17", Statement: statements };
}

/**
 * The execution role's use of the hosting key, only through Bedrock (see EXECUTION_ROLE_KEY_ACTIONS): the same two
 * statements in the execution policy (`Resource`: the key) and in the key policy (`Principal`: the role, `Resource`: "*"),
 * each document with its own Sids.
 */
function executionRoleHostingKeyStatements(
    p: AccessParams,
    target: Pick<OwnStatement, "Principal" | "Resource">,
    sids: { use: string; letBedrockGrant: string },
): OwnStatement[] {
    return [
        { Sid: sids.use, Effect: "Allow", ...target, Action: [...EXECUTION_ROLE_KEY_ACTIONS], Condition: viaBedrock(p) },
        { Sid: sids.letBedrockGrant, Effect: "Allow", ...target, Action: "kms:CreateGrant", Condition: bedrockGrantOnly(p) },
    ];
}

/** Key policy of the development CMK that encrypts the artifacts, docs/access.md, item 4. */
export function developmentKeyPolicy(p: AccessParams): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            rootAdministration(p.partition, p.developmentAccountId, SIDS.developmentKeyPolicy.rootAdministration),
            {
                Sid: SIDS.developmentKeyPolicy.executionRoleDecrypt,
                Effect: "Allow",
                ...executionRolePrincipal(p),
                Action: [...DEVELOPMENT_KEY_ACTIONS],
                Resource: "*",
            },
        ],
    };
}

// Same-account principals are named by their role ARN here, unlike the root + aws:PrincipalArn form of the bucket
// policy and the development key. In a key policy the account principal only delegates to IAM policies
// (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam),
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

/** Key policy of the hosting CMK that encrypts imported models, docs/access.md, item 5. */
export function hostingKeyPolicy(p: AccessParams): PolicyDocument {
    // The hosting root keeps kms:* so the key stays manageable; it also lets IAM policies of the hosting account grant
    // the importer's permissions when the importer is not known here (importerIdentityPolicy).
    const statements: OwnStatement[] = [rootAdministration(p.partition, p.hostingAccountId, SIDS.hostingKeyPolicy.rootAdministration)];
    // The role is named by ARN, so it must exist before the key policy is written: the component creates the key after it.
    statements.push(
        ...executionRoleHostingKeyStatements(
            p,
            { Principal: { AWS: executionRoleArn(p) }, Resource: "*" },
            { use: SIDS.hostingKeyPolicy.executionRoleUse, letBedrockGrant: SIDS.hostingKeyPolicy.executionRoleLetBedrockGrant },
        ),
    );
    if (p.importerArn) {
        statements.push(
            {
                Sid: SIDS.hostingKeyPolicy.importerUse,
                Effect: "Allow",
                Principal: { AWS: p.importerArn },
                Action: [...IMPORTER_KEY_ACTIONS],
                Resource: "*",
                Condition: viaBedrock(p),
            },
            {
                Sid: SIDS.hostingKeyPolicy.importerBedrockGrant,
                Effect: "Allow",
                Principal: { AWS: p.importerArn },
                Action: "kms:CreateGrant",
                Resource: "*",
                Condition: bedrockGrantOnly(p),
            },
        );
    }
    const invokers = [...new Set(p.invokers)];
    if (invokers.length > 0) {
        statements.push({
            Sid: SIDS.hostingKeyPolicy.invokersDecrypt,
            Effect: "Allow",
            Principal: { AWS: oneOrMany(invokers) },
            Action: [...INVOKER_KEY_ACTIONS],
            Resource: "*",
            Condition: viaBedrock(p),
        });
    }
    return { Version: "2012-10-17", Statement: statements };
}

/**
 * The identity policy the hosting deployer needs to run the imports (it calls CreateModelImportJob and tracks the job
 * and model). Bedrock has no resource policies, so this can only be granted on the deployer's side; `npm run plan` prints
 * it (README "The deploying identity"). The hosting-key statements are included only when the importer is not known to the program: when it is, the
 * key policy grants them directly and a second path would only widen what has to be audited.
 */
export function importerIdentityPolicy(p: AccessParams): PolicyDocument {
    const bedrockArn = (kind: string) => `arn:${p.partition}:bedrock:${p.hostingRegion}:${p.hostingAccountId}:${kind}/*`;
    const statements: OwnStatement[] = [
        {
            // CreateModelImportJob supports no resource-level permissions
            // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonbedrock.html).
            Sid: SIDS.importerIdentityPolicy.startImports,
            Effect: "Allow",
            Action: "bedrock:CreateModelImportJob",
            Resource: "*",
        },
        {
            // What the imported-model provider calls after the create: job status, the model, its tags, its deletion.
            Sid: SIDS.importerIdentityPolicy.trackModels,
            Effect: "Allow",
            Action: [
                "bedrock:GetModelImportJob",
                "bedrock:GetImportedModel",
                "bedrock:DeleteImportedModel",
                "bedrock:ListTagsForResource",
                "bedrock:TagResource",
                "bedrock:UntagResource",
            ],
            Resource: [bedrockArn("model-import-job"), bedrockArn("imported-model")],
        },
        {
            // Listing (the running-import and room checks) has no resource-level permissions either; the quota read is
            // optional (without it the provider assumes the default of 3).
            Sid: SIDS.importerIdentityPolicy.listAndReadQuota,
            Effect: "Allow",
            Action: ["bedrock:ListModelImportJobs", "bedrock:ListImportedModels", "servicequotas:GetServiceQuota"],
            Resource: "*",
        },
        {
            // The smoke test invokes each new version once before the pointer moves to it.
            Sid: SIDS.importerIdentityPolicy.smokeTest,
            Effect: "Allow",
            Action: "bedrock:InvokeModel",
            Resource: bedrockArn("imported-model"),
        },
        {
            // The SSM pointers (one per model) that callers read.
            Sid: SIDS.importerIdentityPolicy.managePointers,
            Effect: "Allow",
            Action: ["ssm:PutParameter", "ssm:GetParameter", "ssm:GetParameters", "ssm:DeleteParameter", "ssm:AddTagsToResource", "ssm:ListTagsForResource"],
            Resource: `arn:${p.partition}:ssm:${p.hostingRegion}:${p.hostingAccountId}:parameter${POINTER_PATH}*`,
        },
        {
            // The caller of CreateModelImportJob passes the execution role to Bedrock
            // (https://docs.aws.amazon.com/bedrock/latest/userguide/security-iam-sr.html); iam:PassedToService keeps
            // the permission from passing it to any other service
            // (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html).
            Sid: SIDS.importerIdentityPolicy.passExecutionRole,
            Effect: "Allow",
            Action: "iam:PassRole",
            Resource: executionRoleArn(p),
            Condition: { StringEquals: { "iam:PassedToService": "bedrock.amazonaws.com" } },
        },
    ];
    if (p.hostingKeyArn && !p.importerArn) {
        statements.push(
            {
                Sid: SIDS.importerIdentityPolicy.useHostingKey,
                Effect: "Allow",
                Action: [...IMPORTER_KEY_ACTIONS],
                Resource: p.hostingKeyArn,
                Condition: viaBedrock(p),
            },
            {
                Sid: SIDS.importerIdentityPolicy.letBedrockGrantHostingKey,
                Effect: "Allow",
                Action: "kms:CreateGrant",
                Resource: p.hostingKeyArn,
                Condition: bedrockGrantOnly(p),
            },
        );
    }
    return { Version: "2012-10-17", Statement: statements };
}
