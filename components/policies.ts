// Pure builders for every policy document of the scenario (scenario.md, "The access that must exist").
// They take resolved strings and return plain objects; callers serialize with JSON.stringify or
// pulumi.jsonStringify. No I/O, no Pulumi runtime: the plan script and the tests call them directly.

import type * as aws from "@pulumi/aws";
import type { StackConfig } from "./config";
import { partitionOf, type Partition } from "./rules";

export type ConditionBlock = Record<string, Record<string, string | string[]>>;

export interface PolicyStatement {
    Sid: string;
    Effect: "Allow" | "Deny";
    Principal?: "*" | { AWS: string | string[] } | { Service: string | string[] };
    Action: string | string[];
    Resource?: string | string[];
    Condition?: ConditionBlock;
}

export interface PolicyDocument {
    Version: "2012-10-17";
    Statement: PolicyStatement[];
}

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
    /** Present when modelDevelopment.kms.enabled. */
    developmentKeyArn?: string;
    /** Present when modelHosting.kms.enabled. */
    hostingKeyArn?: string;
    /** Operators allowed to assume the execution role for troubleshooting (modelHosting.troubleshooting.allowAssumeFrom). */
    allowAssumeFrom?: readonly string[];
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
        ...(keys.hostingKeyArn ? { hostingKeyArn: keys.hostingKeyArn } : {}),
        allowAssumeFrom: config.modelHosting.troubleshooting.allowAssumeFrom,
    };
}

/** The actions Bedrock needs on the key that encrypts the imported model (scenario.md item 5). */
export const HOSTING_KEY_ACTIONS: readonly string[] = [
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncrypt*",
    "kms:GenerateDataKey*",
    "kms:DescribeKey",
    // Bedrock creates a grant through the execution role to use the key for the model's lifetime.
    "kms:CreateGrant",
];

/** The actions needed to read SSE-KMS objects encrypted with the development key (scenario.md item 4). */
export const DEVELOPMENT_KEY_ACTIONS: readonly string[] = ["kms:Decrypt", "kms:DescribeKey"];

export function accountRootArn(partition: Partition, accountId: string): string {
    return `arn:${partition}:iam::${accountId}:root`;
}

export function executionRoleArn(p: Pick<AccessParams, "partition" | "hostingAccountId" | "executionRoleName">): string {
    return `arn:${p.partition}:iam::${p.hostingAccountId}:role/${p.executionRoleName}`;
}

export function bucketArn(partition: Partition, bucketName: string): string {
    return `arn:${partition}:s3:::${bucketName}`;
}

/** Object ARNs readable by the role: one `<bucket>/<prefix>*` per distinct model prefix. */
export function modelObjectArns(p: Pick<AccessParams, "partition" | "bucketName" | "modelPrefixes">): string[] {
    return [...new Set(p.modelPrefixes)].map((prefix) => `${bucketArn(p.partition, p.bucketName)}/${prefix}*`);
}

/** The ARN pattern Bedrock uses as aws:SourceArn when it assumes the role for an import job. */
export function importJobSourceArn(p: Pick<AccessParams, "partition" | "hostingRegion" | "hostingAccountId">): string {
    return `arn:${p.partition}:bedrock:${p.hostingRegion}:${p.hostingAccountId}:model-import-job/*`;
}

// A role ARN as principal is stored as the role's unique id: a recreated role silently loses access and
// a role that does not exist yet makes the policy invalid. The hosting account root as principal plus an
// aws:PrincipalArn condition survives both and still admits only that role.
function executionRolePrincipal(p: AccessParams): Pick<PolicyStatement, "Principal" | "Condition"> {
    return {
        Principal: { AWS: accountRootArn(p.partition, p.hostingAccountId) },
        Condition: { ArnLike: { "aws:PrincipalArn": executionRoleArn(p) } },
    };
}

function rootAdministration(partition: Partition, accountId: string): PolicyStatement {
    // Without this statement the key becomes unmanageable, even by the account that owns it.
    return {
        Sid: "EnableRootAccountAdministration",
        Effect: "Allow",
        Principal: { AWS: accountRootArn(partition, accountId) },
        Action: "kms:*",
        Resource: "*",
    };
}

/** Bucket policy of the artifact bucket (development account), scenario.md item 1. */
export function bucketPolicy(p: AccessParams): PolicyDocument {
    const bucket = bucketArn(p.partition, p.bucketName);
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AllowBedrockExecutionRoleList",
                Effect: "Allow",
                ...executionRolePrincipal(p),
                Action: "s3:ListBucket",
                Resource: bucket,
            },
            {
                Sid: "AllowBedrockExecutionRoleReadModels",
                Effect: "Allow",
                ...executionRolePrincipal(p),
                Action: "s3:GetObject",
                Resource: modelObjectArns(p),
            },
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [bucket, `${bucket}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
        ],
    };
}

/** Trust policy of the execution role (hosting account), scenario.md item 2. */
export function trustPolicy(p: AccessParams): PolicyDocument {
    const statements: PolicyStatement[] = [
        {
            Sid: "AllowBedrockModelImportJobs",
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
            Sid: "AllowOperatorTroubleshooting",
            Effect: "Allow",
            Principal: { AWS: accounts.map((a) => accountRootArn(p.partition, a)) },
            Action: "sts:AssumeRole",
            Condition: { ArnEquals: { "aws:PrincipalArn": operators.length === 1 ? operators[0] : operators } },
        });
    }
    return { Version: "2012-10-17", Statement: statements };
}

/** Customer managed policy attached to the execution role (hosting account), scenario.md items 3-5. */
export function executionPolicy(p: AccessParams): PolicyDocument {
    // aws:ResourceAccount pins the S3 grants to the development account, so a bucket of the same name
    // elsewhere (bucket names are global, but can be deleted and re-created by anyone) is refused.
    const inDevelopmentAccount: ConditionBlock = { StringEquals: { "aws:ResourceAccount": p.developmentAccountId } };
    const statements: PolicyStatement[] = [
        {
            Sid: "ListModelArtifactBucket",
            Effect: "Allow",
            Action: "s3:ListBucket",
            Resource: bucketArn(p.partition, p.bucketName),
            Condition: inDevelopmentAccount,
        },
        {
            Sid: "ReadModelArtifacts",
            Effect: "Allow",
            Action: "s3:GetObject",
            Resource: modelObjectArns(p),
            Condition: inDevelopmentAccount,
        },
    ];
    if (p.developmentKeyArn) {
        statements.push({
            Sid: "DecryptModelArtifacts",
            Effect: "Allow",
            Action: [...DEVELOPMENT_KEY_ACTIONS],
            Resource: p.developmentKeyArn,
        });
    }
    if (p.hostingKeyArn) {
        statements.push({
            Sid: "EncryptImportedModel",
            Effect: "Allow",
            Action: [...HOSTING_KEY_ACTIONS],
            Resource: p.hostingKeyArn,
        });
    }
    return { Version: "2012-10-17", Statement: statements };
}

// Both key policies: the owner's root keeps administration, and the execution role gets exactly `actions`.
function roleKeyPolicy(p: AccessParams, ownerAccountId: string, sid: string, actions: readonly string[]): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            rootAdministration(p.partition, ownerAccountId),
            { Sid: sid, Effect: "Allow", ...executionRolePrincipal(p), Action: [...actions], Resource: "*" },
        ],
    };
}

/** Key policy of the development CMK that encrypts the artifacts, scenario.md item 4. */
export function developmentKeyPolicy(p: AccessParams): PolicyDocument {
    return roleKeyPolicy(p, p.developmentAccountId, "AllowBedrockExecutionRoleDecrypt", DEVELOPMENT_KEY_ACTIONS);
}

/** Key policy of the hosting CMK that encrypts imported models, scenario.md item 5. */
export function hostingKeyPolicy(p: AccessParams): PolicyDocument {
    return roleKeyPolicy(p, p.hostingAccountId, "AllowBedrockExecutionRoleUseOfKey", HOSTING_KEY_ACTIONS);
}
