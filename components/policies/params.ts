// What the policy documents depend on, resolved to plain strings, and the ARNs and condition values derived from it.
// Pure: the grants (./grants.ts), the access matrix and the provider's failure checklists use the same derivations.

import type { StackConfig } from "../config/stackConfig";
import { partitionOf, type Partition } from "../rules";

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
    /**
     * Operators allowed to assume the execution role for troubleshooting
     * (modelHosting.troubleshooting.allowAssumeFrom).
     */
    allowAssumeFrom?: readonly string[];
    /**
     * The identity that calls CreateModelImportJob: the hosting deployer role (modelHosting.assumeRoleArn). Unknown
     * when the deployer uses ambient credentials; its key permissions then come from IAM (importerIdentityPolicy).
     */
    importerArn?: string;
    /**
     * IAM role ARNs that invoke the imported models and so must decrypt with the hosting key
     * (modelHosting.kms.invokers).
     */
    invokers: readonly string[];
}

/** The access parameters of a validated stack config; key ARNs are added once the keys exist. */
export function accessParams(
    config: StackConfig,
    keys: { developmentKeyArn?: string; hostingKeyArn?: string } = {},
): AccessParams {
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

/** What an app that invokes the models reaches: the stack's pointers, and its models once they exist. */
export interface InvokerTarget {
    /** The SSM parameter names of the stack's model pointers (components/naming.ts pointerParameterName). */
    pointerParameterNames: readonly string[];
    /**
     * The imported models' ARNs (the stack output). Unknown before `up` (the plan): the statement then names every
     * imported model of the hosting account and region, which the output narrows to this stack's.
     */
    modelArns?: readonly string[];
}

/** What the invoker's identity policy depends on. */
export type InvokerParams = Pick<AccessParams, "partition" | "hostingAccountId" | "hostingRegion" | "hostingKeyArn">;

export function accountRootArn(partition: Partition, accountId: string): string {
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
export function importJobSourceArn(p: Pick<AccessParams, "partition" | "hostingRegion" | "hostingAccountId">): string {
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

/**
 * The ARN of an SSM parameter, `…:parameter/${ParameterNameWithoutLeadingSlash}`
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssystemsmanager.html).
 */
export function pointerParameterArn(p: InvokerParams, name: string): string {
    return `arn:${p.partition}:ssm:${p.hostingRegion}:${p.hostingAccountId}:parameter/${name.replace(/^\//, "")}`;
}
