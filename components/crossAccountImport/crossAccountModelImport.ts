// The component that sets up both accounts for a cross-account Bedrock Custom Model Import, in named parts read top to
// bottom (as awsx does): the development account (artifact key, bucket, this stack's statements in its policy), the
// hosting account (execution role, imported-models key, the role's policy, the research key's grant), the models and
// their pointers, and the CLI hints in the outputs.

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { accountOf } from "../awsSdk/inputs";
import { BucketPolicyStatements } from "../dynamic/bucketPolicyStatements";
import type { StackConfig } from "../config/stackConfig";
import { ImportedModel } from "../dynamic/importedModel";
import { ImportSweeper, importJobPrefix } from "../dynamic/importSweeper";
import { modelImportInputsExceptName, modelImportName, type ModelInputValues } from "./modelInputs";
import {
    COMPONENT_TYPE,
    executionRoleArn,
    manualJobName,
    pointerParameterName,
    resourceNames,
    type ResourceNames,
    type StackNames,
} from "../naming";
import {
    accessParams,
    bucketArn,
    bucketPolicy,
    developmentKeyPolicy,
    executionPolicy,
    hostingKeyPolicy,
    trustPolicy,
    type AccessParams,
} from "../policies/statements";
import { s3Uri } from "../rules";
import { invokerIdentityPolicy } from "../policies/invoker";
import { RESEARCH_KEY_GRANT } from "../policies/grants";
import { prefixedStatements, type OwnStatement, type PolicyDocument } from "../policies/document";
import { invokeExample, modelsByName, type ModelForApp } from "./appOutputs";

/**
 * The arguments of `CrossAccountModelImport`: the two accounts and the models, validated (config/stackConfig.ts
 * validates the stack config into these; the component reads no pulumi.Config), the stack's names, and one explicit
 * aws.Provider per account.
 */
export interface CrossAccountModelImportArgs {
    /**
     * The model development account, which holds the artifacts: its id and credentials, the artifact bucket (created by
     * the stack, or the research team's, of which only this stack's statements in its policy are managed) and the KMS
     * key that encrypts the artifacts (created by the stack, or the research team's, granted to the execution role).
     */
    modelDevelopment: StackConfig["modelDevelopment"];
    /**
     * The model hosting account, which imports and serves the models: its id, region and credentials, the names of the
     * execution role and its policy, the optional KMS key of the imported models and who may invoke them.
     */
    modelHosting: StackConfig["modelHosting"];
    /**
     * The models to import, in order: each becomes one imported model (versioned by its artifacts) and one SSM pointer
     * to it.
     */
    models: readonly StackConfig["models"][number][];
    /** Explicit provider for the model development account (allowedAccountIds pinned to it). */
    developmentProvider: aws.Provider;
    /** Explicit provider for the model hosting account (allowedAccountIds pinned to it). */
    hostingProvider: aws.Provider;
    /**
     * The stack's names (components/naming.ts). Its defaultTags go on the imported models too, under each model's own
     * tags: the AWS providers' defaultTags do not reach them (the imported-model resource is a dynamic provider with
     * its own SDK clients). Its owner tags them, so another stack's models are never adopted or deleted.
     */
    names: StackNames;
}

export interface ModelImportOutputs {
    /** The config name. */
    name: string;
    /** The Bedrock name: the config name plus the version of the import. */
    modelName: string;
    s3Uri: string;
    /** SSM parameter (hosting account) holding the live model ARN: what callers read. */
    pointerParameterName: string;
    modelArn: string;
    jobArn: string;
    jobName: string;
    modelArchitecture: string;
    /**
     * A ready-to-run shell line: read the pointer, then `aws bedrock-runtime invoke-model` (assuming
     * modelHosting.assumeRoleArn when set).
     */
    invokeExample: string;
    /** The AWS CLI command that performs this import by hand, for when the program cannot run it. */
    manualImportCommand: string;
}

/** What every part reads: the config, the names, the access parameters, and the options of each account's resources. */
interface Parts {
    config: StackConfig;
    names: StackNames;
    /** The Pulumi names of the children, derived from the component's name. */
    r: ResourceNames;
    params: AccessParams;
    dev: pulumi.CustomResourceOptions;
    host: pulumi.CustomResourceOptions;
    parent: pulumi.Resource;
}

export class CrossAccountModelImport extends pulumi.ComponentResource {
    public readonly bucketName: pulumi.Output<string>;
    public readonly bucketArn: pulumi.Output<string>;
    public readonly executionRoleArn: pulumi.Output<string>;
    public readonly executionRoleName: pulumi.Output<string>;
    public readonly executionPolicyArn: pulumi.Output<string>;
    public readonly developmentKeyArn: pulumi.Output<string | undefined>;
    public readonly hostingKeyArn: pulumi.Output<string | undefined>;
    public readonly models: pulumi.Output<ModelImportOutputs[]>;
    /** The models keyed by their config name, for apps (appOutputs.ts). */
    public readonly modelsByName: pulumi.Output<Record<string, ModelForApp>>;
    /** The identity policy of an app that invokes the models (components/policies/invoker.ts). */
    public readonly invokerPolicy: pulumi.Output<PolicyDocument<OwnStatement>>;

    /** The resources that must exist before an import can succeed (bucket policy, role, attachment, keys). */
    public readonly accessResources: pulumi.Resource[];
    /** One per `models` entry, in config order. */
    public readonly importedModels: ImportedModel[];

    constructor(name: string, args: CrossAccountModelImportArgs, opts?: pulumi.ComponentResourceOptions) {
        super(COMPONENT_TYPE, name, {}, opts);
        const { names, developmentProvider, hostingProvider } = args;
        const config: StackConfig = {
            modelDevelopment: args.modelDevelopment,
            modelHosting: args.modelHosting,
            models: [...args.models],
        };
        if (!aws.Provider.isInstance(developmentProvider) || !aws.Provider.isInstance(hostingProvider)) {
            // Falling back to a default provider would put resources in whichever account the ambient credentials
            // reach.
            throw new pulumi.ResourceError(
                "CrossAccountModelImport needs explicit developmentProvider and hostingProvider (aws.Provider), " +
                    "one per account",
                this,
            );
        }
        const parts: Parts = {
            config,
            names,
            r: resourceNames(name),
            params: accessParams(config),
            dev: { parent: this, provider: developmentProvider },
            host: { parent: this, provider: hostingProvider },
            parent: this,
        };

        const development = developmentAccount(parts);
        const hosting = hostingAccount(parts, development.key);
        const grant = researchKeyGrant(parts, hosting.role);
        this.accessResources = [
            development.bucketPolicy,
            hosting.role,
            hosting.policy,
            hosting.attachment,
            ...(development.key ? [development.key] : []),
            ...(grant ? [grant] : []),
            ...(hosting.key ? [hosting.key] : []),
        ];

        this.bucketName = pulumi.output(development.bucketId);
        this.bucketArn = pulumi.output(bucketArn(parts.params.partition, config.modelDevelopment.artifactBucket.name));
        this.executionRoleArn = hosting.role.arn;
        this.executionRoleName = hosting.role.name;
        this.executionPolicyArn = hosting.policy.arn;
        this.developmentKeyArn = development.key
            ? development.key.arn
            : pulumi.output(config.modelDevelopment.kms.keyArn);
        this.hostingKeyArn = hosting.key ? hosting.key.arn : pulumi.output(undefined);

        this.importedModels = importedModels(parts, hosting, this.accessResources);
        const pointers = modelPointers(parts, this.importedModels);
        this.models = pulumi.all(
            this.importedModels.map((model, i) =>
                modelOutputs(parts, model, pointers[i], hosting.role, this.hostingKeyArn, i),
            ),
        );
        this.modelsByName = this.models.apply((models) => modelsByName(models, config.modelHosting.region));
        this.invokerPolicy = pulumi.all([this.models, this.hostingKeyArn]).apply(([models, hostingKeyArn]) =>
            invokerIdentityPolicy(
                { ...parts.params, ...(hostingKeyArn ? { hostingKeyArn } : {}) },
                {
                    pointerParameterNames: models.map((m) => m.pointerParameterName),
                    modelArns: models.map((m) => m.modelArn),
                },
            ),
        );

        this.registerOutputs({
            bucketName: this.bucketName,
            bucketArn: this.bucketArn,
            executionRoleArn: this.executionRoleArn,
            executionRoleName: this.executionRoleName,
            executionPolicyArn: this.executionPolicyArn,
            developmentKeyArn: this.developmentKeyArn,
            hostingKeyArn: this.hostingKeyArn,
            models: this.models,
            modelsByName: this.modelsByName,
            invokerPolicy: this.invokerPolicy,
        });
    }
}

// ---- development account: artifact key, bucket, this stack's statements in the bucket policy ----

interface DevelopmentAccount {
    key?: aws.kms.Key;
    bucketId: pulumi.Input<string>;
    bucketPolicy: BucketPolicyStatements;
}

function developmentAccount(parts: Parts): DevelopmentAccount {
    const { config, names, params, dev, r } = parts;
    const bucketName = config.modelDevelopment.artifactBucket.name;
    // The artifact key, the bucket and its settings outlive the stack: `destroy`, `artifactBucket.create: false`
    // or `kms.enabled: false` drop them from state and leave them in AWS, as they are, instead of deleting the
    // key (its artifacts unreadable) or stripping the bucket's protections. Also on a replace (the old one is kept).
    // https://www.pulumi.com/docs/iac/concepts/resources/options/retainondelete/
    const kept: pulumi.CustomResourceOptions = { ...dev, retainOnDelete: true };
    let key: aws.kms.Key | undefined;
    if (config.modelDevelopment.kms.enabled) {
        key = new aws.kms.Key(
            r.developmentKey,
            {
                description:
                    `Encrypts Bedrock model artifacts in s3://${bucketName}; decryptable by ` +
                    `${executionRoleArn(params)}`,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                policy: JSON.stringify(developmentKeyPolicy(params)),
            },
            kept,
        );
        new aws.kms.Alias(r.developmentKeyAlias, { name: names.keyAliases.development, targetKeyId: key.keyId }, kept);
    }

    const bucketPolicyDeps: pulumi.Resource[] = [];
    let bucketId: pulumi.Input<string> = bucketName;
    if (config.modelDevelopment.artifactBucket.create) {
        const bucket = new aws.s3.Bucket(r.bucket, { bucket: bucketName, forceDestroy: false }, kept);
        bucketId = bucket.id;
        bucketPolicyDeps.push(
            new aws.s3.BucketPublicAccessBlock(
                r.bucketPublicAccess,
                {
                    bucket: bucket.id,
                    blockPublicAcls: true,
                    blockPublicPolicy: true,
                    ignorePublicAcls: true,
                    restrictPublicBuckets: true,
                },
                kept,
            ),
            new aws.s3.BucketOwnershipControls(
                r.bucketOwnership,
                { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
                kept,
            ),
        );
        new aws.s3.BucketServerSideEncryptionConfiguration(
            r.bucketEncryption,
            {
                bucket: bucket.id,
                rules: [
                    key
                        ? {
                              applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn },
                              // S3 Bucket Keys cut KMS request costs for the many reads of a large import.
                              bucketKeyEnabled: true,
                          }
                        : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
                ],
            },
            kept,
        );
        new aws.s3.BucketVersioning(
            r.bucketVersioning,
            { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
            kept,
        );
    }
    // The bucket policy is shared: the research team's statements and those of the other stacks (dev, staging,
    // prod) live in the same document. This stack adds, updates and removes only its own statements, marked by
    // a Sid prefix unique to the stack and component; the DenyInsecureTransport statement is per stack too
    // (identical copies are harmless). The same resource whether the stack created the bucket or not.
    // S3 rejects concurrent configuration calls on one bucket ("conflicting conditional operation"), and the
    // public access block must be in place before a policy is judged; so the policy goes last.
    // No `provider`: a dynamic resource runs with its inputs' credentials (the development account's).
    const ownStatements = new BucketPolicyStatements(
        r.bucketPolicy,
        {
            ...accountOf(config.modelDevelopment),
            bucket: bucketId,
            sidPrefix: names.sidPrefix,
            statements: prefixedStatements(bucketPolicy(params).Statement, names.sidPrefix),
        },
        { parent: parts.parent, dependsOn: bucketPolicyDeps },
    );
    return { ...(key ? { key } : {}), bucketId, bucketPolicy: ownStatements };
}

// ---- hosting account: execution role, imported-models key, the role's policy ----

interface HostingAccount {
    key?: aws.kms.Key;
    role: aws.iam.Role;
    policy: aws.iam.Policy;
    attachment: aws.iam.RolePolicyAttachment;
}

function hostingAccount(parts: Parts, developmentKey: aws.kms.Key | undefined): HostingAccount {
    const { config, names, params, host, r } = parts;
    const role = new aws.iam.Role(
        r.executionRole,
        {
            name: config.modelHosting.executionRoleName,
            description:
                `Assumed by Amazon Bedrock import jobs to read model artifacts from s3://${config.modelDevelopment.artifactBucket.name} ` +
                `in account ${config.modelDevelopment.accountId}`,
            assumeRolePolicy: JSON.stringify(trustPolicy(params)),
        },
        // A rename replaces the role, and IAM names are not distinguished by case
        // (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html): created first, a case-only rename
        // fails with EntityAlreadyExists. Delete-first; no import starts before the new role, its policy and the bucket
        // statements that name it exist (every ImportedModel depends on them).
        { ...host, deleteBeforeReplace: true },
    );
    let key: aws.kms.Key | undefined;
    if (config.modelHosting.kms.enabled) {
        key = new aws.kms.Key(
            r.hostingKey,
            {
                description:
                    `Encrypts Bedrock imported models of stack ${names.component}; used through Bedrock by the ` +
                    `execution role, the importing identity and the configured invokers`,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                policy: JSON.stringify(hostingKeyPolicy(params)),
            },
            // Its key policy names the execution role, and KMS refuses a policy naming a principal that does not exist.
            { ...host, dependsOn: [role] },
        );
        new aws.kms.Alias(r.hostingKeyAlias, { name: names.keyAliases.hosting, targetKeyId: key.keyId }, host);
    }

    const policy = new aws.iam.Policy(
        r.executionPolicy,
        {
            name: config.modelHosting.executionPolicyName,
            description: EXECUTION_POLICY_DESCRIPTION,
            policy: pulumi.jsonStringify(
                pulumi
                    .all([developmentKey?.arn, key?.arn])
                    .apply(([developmentKeyArn, hostingKeyArn]) =>
                        executionPolicy(withKeys(params, developmentKeyArn, hostingKeyArn)),
                    ),
            ),
        },
        // IAM never changes a managed policy's description ("The policy description is immutable",
        // https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html), so the AWS provider replaces the
        // policy when it differs, create-first under the same name: EntityAlreadyExists. The description is therefore
        // not managed (ignoreChanges): a policy whose description names the role keeps it, and a role rename leaves the
        // policy. Delete-first on a rename, as the role (names not distinguished by case,
        // https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html).
        { ...host, ignoreChanges: ["description"], deleteBeforeReplace: true },
    );
    const attachment = new aws.iam.RolePolicyAttachment(
        r.executionPolicyAttachment,
        { role: role.name, policyArn: policy.arn },
        host,
    );
    return { ...(key ? { key } : {}), role, policy, attachment };
}

/** Names no role or stack: a description can never change in place (see the policy's options). */
const EXECUTION_POLICY_DESCRIPTION =
    "Least-privilege access of the Bedrock Custom Model Import execution role to the model artifacts";

function withKeys(
    p: AccessParams,
    developmentKeyArn: string | undefined,
    hostingKeyArn: string | undefined,
): AccessParams {
    return { ...p, ...(developmentKeyArn ? { developmentKeyArn } : {}), ...(hostingKeyArn ? { hostingKeyArn } : {}) };
}

/**
 * The research team's existing key is granted, not edited: a grant is additive and belongs to this stack alone, so
 * other stacks' grants and the key policy stay as they are. It allows only the two operations that reading SSE-KMS
 * objects needs. https://docs.aws.amazon.com/kms/latest/developerguide/grants.html
 */
function researchKeyGrant(parts: Parts, role: aws.iam.Role): aws.kms.Grant | undefined {
    const keyArn = parts.config.modelDevelopment.kms.keyArn;
    if (!keyArn) return undefined;
    return new aws.kms.Grant(
        parts.r.researchKeyGrant,
        {
            name: parts.names.researchKeyGrant,
            keyId: keyArn,
            granteePrincipal: role.arn,
            operations: [...RESEARCH_KEY_GRANT.operations],
        },
        // KMS checks that the grantee principal exists, so the role comes first.
        { ...parts.dev, dependsOn: [role] },
    );
}

// ---- models and their pointers ----

/**
 * One import at a time per account (a Bedrock quota that cannot be raised): each model waits for the previous one.
 * None starts before every policy and key it needs exists.
 */
function importedModels(parts: Parts, hosting: HostingAccount, accessResources: pulumi.Resource[]): ImportedModel[] {
    const { config, names } = parts;
    const args = config.models.map((_, i) => importedModelArgs(parts, hosting, i));
    const sweeper = importSweeper(parts, args);
    const models: ImportedModel[] = [];
    for (const [i, m] of config.models.entries()) {
        const previous = models[models.length - 1];
        models.push(
            new ImportedModel(
                parts.r.model(m.name),
                { ...args[i].inputs, modelName: args[i].modelName, stackName: names.stack },
                // No `provider`: a dynamic resource runs with its inputs' credentials, not an aws.Provider.
                // The sweeper is created first and deleted last (see importSweeper).
                { parent: parts.parent, dependsOn: [...accessResources, sweeper, ...(previous ? [previous] : [])] },
            ),
        );
    }
    return models;
}

/** What one model registers: the inputs known from the config, and those that wait for the role and the key. */
interface ModelArgs {
    inputs: Omit<ModelInputValues, "modelName" | "roleArn" | "kmsKeyArn"> & {
        roleArn: pulumi.Input<string>;
        kmsKeyArn?: pulumi.Input<string>;
    };
    modelName: pulumi.Input<string>;
}

function importedModelArgs(parts: Parts, hosting: HostingAccount, i: number): ModelArgs {
    const { config, names } = parts;
    // Role and key ARNs are outputs: the pure builder's placeholders are overridden with them.
    const known = modelImportInputsExceptName(config, i, {
        roleArn: "",
        defaultTags: names.defaultTags,
        owner: names.owner,
    });
    return {
        inputs: { ...known, roleArn: hosting.role.arn, ...(hosting.key ? { kmsKeyArn: hosting.key.arn } : {}) },
        // The name carries the hosting key's ARN: a new key is a new name, so the re-import is created before the old
        // model goes (not delete-first). It is known at preview unless the key itself is new.
        modelName: hosting.key
            ? hosting.key.arn.apply((arn) => modelImportName(config, i, arn))
            : modelImportName(config, i, undefined),
    };
}

/**
 * Records each import's job-name prefix before its job can start; on destroy, after every model, it deletes what an
 * interrupted `up` left running with no state entry (components/dynamic/importedModel/sweeper.ts). The prefixes come
 * from the very inputs the models register (their names and key included).
 */
function importSweeper(parts: Parts, models: readonly ModelArgs[]): ImportSweeper {
    const { config, names } = parts;
    const jobPrefixes = models.map((m) =>
        pulumi
            .all([m.modelName, m.inputs.kmsKeyArn])
            .apply(([modelName, kmsKeyArn]) => importJobPrefix({ ...m.inputs, roleArn: "", modelName, kmsKeyArn })),
    );
    // The longest wait of any model; a model without timeoutMinutes waits the default, so then does the sweeper.
    const timeouts = config.models.map((m) => m.timeoutMinutes);
    const timeoutMinutes =
        timeouts.every((t): t is number => t !== undefined) && timeouts.length > 0 ? Math.max(...timeouts) : undefined;
    return new ImportSweeper(
        parts.r.importSweeper,
        {
            ...accountOf(config.modelHosting),
            owner: names.owner,
            jobPrefixes,
            ...(timeoutMinutes !== undefined ? { timeoutMinutes } : {}),
        },
        { parent: parts.parent },
    );
}

/**
 * One stable pointer per model: callers read the live ARN from SSM, because every version is a new imported model
 * with a new ARN. It depends on the model, so on a new version Pulumi creates the new model, then updates the
 * pointer, and deletes the old model last (create-before-delete: the old version answers until the pointer moved).
 */
function modelPointers(parts: Parts, models: readonly ImportedModel[]): aws.ssm.Parameter[] {
    const { config, names } = parts;
    return models.map((model, i) => {
        const configName = config.models[i].name;
        return new aws.ssm.Parameter(
            parts.r.pointer(configName),
            {
                name: pointerParameterName(names.stack, configName),
                type: "String",
                value: model.modelArn,
                description:
                    `Live ARN of imported model ${configName} (Bedrock Custom Model Import); read it instead of ` +
                    `hard-coding the ARN`,
            },
            parts.host,
        );
    });
}

// ---- CLI hints ----

function modelOutputs(
    parts: Parts,
    model: ImportedModel,
    pointer: aws.ssm.Parameter,
    role: aws.iam.Role,
    hostingKeyArn: pulumi.Output<string | undefined>,
    i: number,
): pulumi.Output<ModelImportOutputs> {
    const { config } = parts;
    const m = config.models[i];
    const uri = s3Uri(config.modelDevelopment.artifactBucket.name, m.s3Prefix);
    return pulumi
        .all([
            role.arn,
            hostingKeyArn,
            model.modelArn,
            model.jobArn,
            model.jobName,
            model.modelArchitecture,
            model.modelName,
            pointer.name,
        ])
        .apply(([roleArn, keyArn, modelArn, jobArn, jobName, modelArchitecture, modelName, pointerName]) => ({
            name: m.name,
            modelName,
            s3Uri: uri,
            pointerParameterName: pointerName,
            modelArn,
            jobArn,
            jobName,
            modelArchitecture,
            invokeExample: invokeExample(config, pointerName),
            manualImportCommand: manualImportCommand(config, modelName, uri, roleArn, keyArn),
        }));
}

/** The `aws bedrock create-model-import-job` command equivalent to what the program does for one model. */
function manualImportCommand(
    config: StackConfig,
    modelName: string,
    s3Uri: string,
    roleArn: string,
    hostingKeyArn?: string,
): string {
    const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    const parts = [
        "aws bedrock create-model-import-job",
        `--job-name ${manualJobName(modelName)}`,
        `--imported-model-name ${modelName}`,
        `--role-arn ${roleArn}`,
        `--model-data-source ${quote(JSON.stringify({ s3DataSource: { s3Uri } }))}`,
        ...(hostingKeyArn ? [`--imported-model-kms-key-id ${hostingKeyArn}`] : []),
        `--region ${config.modelHosting.region}`,
        ...(config.modelHosting.profile ? [`--profile ${config.modelHosting.profile}`] : []),
    ];
    return parts.join(" ");
}
