// The component that sets up both accounts for a cross-account Bedrock Custom Model Import.
// Development account: artifact bucket (optional), this stack's statements in its policy, optional CMK for the artifacts.
// Hosting account: execution role, its policy, optional CMK for imported models, and the imported models.

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BucketPolicyStatements, prefixedStatements, sidPrefixFor } from "./bucketPolicyStatements";
import type { StackConfig } from "./config";
import { ImportedModel } from "./importedModel";
import { manualJobName } from "./importedModel/naming";
import { modelImportInputs } from "./modelInputs";
import { researchKeyGrantName } from "./providers";
import { kmsAliasNameFor, pointerParameterName } from "./rules";
import {
    accessParams,
    bucketArn,
    bucketPolicy,
    DEVELOPMENT_KEY_ACTIONS,
    developmentKeyPolicy,
    executionPolicy,
    executionRoleArn,
    hostingKeyPolicy,
    trustPolicy,
    type AccessParams,
} from "./policies";

export interface CrossAccountModelImportArgs {
    /** The validated stack config (components never read pulumi.Config). */
    config: StackConfig;
    /** Explicit provider for the model development account (allowedAccountIds pinned to it). */
    developmentProvider: aws.Provider;
    /** Explicit provider for the model hosting account (allowedAccountIds pinned to it). */
    hostingProvider: aws.Provider;
    /**
     * Tags for the imported models, under each model's own tags. The AWS providers' defaultTags do not reach
     * them: the imported-model resource is a dynamic provider with its own SDK clients.
     */
    defaultTags?: Record<string, string>;
    /** `<project>/<stack>`: the owner tag of this stack's imported models (another stack's are never adopted or deleted). */
    owner?: string;
    /** The stack name, for the SSM pointer names (defaults to the component's name). */
    stackName?: string;
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
    /** A ready-to-run `aws bedrock-runtime invoke-model` call against the imported model. */
    invokeExample: string;
    /** The AWS CLI command that performs this import by hand, for when the program cannot run it. */
    manualImportCommand: string;
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

    /** The resources that must exist before an import can succeed (bucket policy, role, attachment, keys). */
    public readonly accessResources: pulumi.Resource[];
    /** One per `models` entry, in config order. */
    public readonly importedModels: ImportedModel[];

    constructor(name: string, args: CrossAccountModelImportArgs, opts?: pulumi.ComponentResourceOptions) {
        super("bedrock-cmi:index:CrossAccountModelImport", name, {}, opts);
        const { config, developmentProvider, hostingProvider } = args;
        if (!(developmentProvider instanceof aws.Provider) || !(hostingProvider instanceof aws.Provider)) {
            // Falling back to a default provider would put resources in whichever account the ambient credentials reach.
            throw new pulumi.ResourceError(
                "CrossAccountModelImport needs explicit developmentProvider and hostingProvider (aws.Provider), one per account",
                this,
            );
        }
        const dev = { parent: this, provider: developmentProvider };
        const host = { parent: this, provider: hostingProvider };
        const staticParams = accessParams(config);
        const bucketName = config.modelDevelopment.artifactBucket.name;
        const aliasBase = kmsAliasNameFor(name);

        // ---- development account: key, bucket, bucket policy ----
        let developmentKey: aws.kms.Key | undefined;
        if (config.modelDevelopment.kms.enabled) {
            developmentKey = new aws.kms.Key(
                `${name}-artifacts-key`,
                {
                    description: `Encrypts Bedrock model artifacts in s3://${bucketName}; decryptable by ${executionRoleArn(staticParams)}`,
                    enableKeyRotation: true,
                    deletionWindowInDays: 30,
                    policy: JSON.stringify(developmentKeyPolicy(staticParams)),
                },
                dev,
            );
            new aws.kms.Alias(`${name}-artifacts-key-alias`, { name: `${aliasBase}-artifacts`, targetKeyId: developmentKey.keyId }, dev);
        }

        const bucketPolicyDeps: pulumi.Resource[] = [];
        let bucketId: pulumi.Input<string> = bucketName;
        if (config.modelDevelopment.artifactBucket.create) {
            const bucket = new aws.s3.Bucket(`${name}-artifacts`, { bucket: bucketName, forceDestroy: false }, dev);
            bucketId = bucket.id;
            bucketPolicyDeps.push(
                new aws.s3.BucketPublicAccessBlock(
                    `${name}-artifacts-public-access`,
                    { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
                    dev,
                ),
                new aws.s3.BucketOwnershipControls(`${name}-artifacts-ownership`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, dev),
            );
            new aws.s3.BucketServerSideEncryptionConfiguration(
                `${name}-artifacts-encryption`,
                {
                    bucket: bucket.id,
                    rules: [
                        developmentKey
                            ? {
                                  applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: developmentKey.arn },
                                  // S3 Bucket Keys cut KMS request costs for the many reads of a large import.
                                  bucketKeyEnabled: true,
                              }
                            : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
                    ],
                },
                dev,
            );
            new aws.s3.BucketVersioning(`${name}-artifacts-versioning`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, dev);
        }
        // The bucket policy is shared: the research team's statements and those of the other stacks (dev, staging,
        // prod) live in the same document. This stack adds, updates and removes only its own statements, marked by
        // a Sid prefix unique to the stack and component; the DenyInsecureTransport statement is per stack too
        // (identical copies are harmless). The same resource whether the stack created the bucket or not.
        // S3 rejects concurrent configuration calls on one bucket ("conflicting conditional operation"), and the
        // public access block must be in place before a policy is judged; so the policy goes last.
        // No `provider`: a dynamic resource runs with its inputs' credentials (the development account's).
        const sidPrefix = sidPrefixFor(pulumi.getProject(), pulumi.getStack(), name);
        const artifactBucketPolicy = new BucketPolicyStatements(
            `${name}-artifacts-policy`,
            {
                accountId: config.modelDevelopment.accountId,
                region: config.modelDevelopment.region,
                ...(config.modelDevelopment.profile ? { profile: config.modelDevelopment.profile } : {}),
                ...(config.modelDevelopment.assumeRoleArn ? { assumeRoleArn: config.modelDevelopment.assumeRoleArn } : {}),
                bucket: bucketId,
                sidPrefix,
                statements: prefixedStatements(bucketPolicy(staticParams).Statement, sidPrefix),
            },
            { parent: this, dependsOn: bucketPolicyDeps },
        );

        // ---- hosting account: role, key, policy ----
        const role = new aws.iam.Role(
            `${name}-execution-role`,
            {
                name: config.modelHosting.executionRoleName,
                description: `Assumed by Amazon Bedrock import jobs to read model artifacts from s3://${bucketName} in account ${config.modelDevelopment.accountId}`,
                assumeRolePolicy: JSON.stringify(trustPolicy(staticParams)),
            },
            host,
        );
        let hostingKey: aws.kms.Key | undefined;
        if (config.modelHosting.kms.enabled) {
            hostingKey = new aws.kms.Key(
                `${name}-imported-models-key`,
                {
                    description: `Encrypts Bedrock imported models of stack ${name}; used through Bedrock by the execution role, the importing identity and the configured invokers`,
                    enableKeyRotation: true,
                    deletionWindowInDays: 30,
                    policy: JSON.stringify(hostingKeyPolicy(staticParams)),
                },
                // Its key policy names the execution role, and KMS refuses a policy naming a principal that does not exist.
                { ...host, dependsOn: [role] },
            );
            new aws.kms.Alias(`${name}-imported-models-key-alias`, { name: `${aliasBase}-imported-models`, targetKeyId: hostingKey.keyId }, host);
        }

        const policy = new aws.iam.Policy(
            `${name}-execution-policy`,
            {
                name: config.modelHosting.executionPolicyName,
                description: `Least-privilege access of ${config.modelHosting.executionRoleName} for Bedrock Custom Model Import`,
                policy: pulumi.jsonStringify(
                    pulumi
                        .all([developmentKey?.arn, hostingKey?.arn])
                        .apply(([developmentKeyArn, hostingKeyArn]) => executionPolicy(withKeys(staticParams, developmentKeyArn, hostingKeyArn))),
                ),
            },
            host,
        );
        const attachment = new aws.iam.RolePolicyAttachment(`${name}-execution-policy-attachment`, { role: role.name, policyArn: policy.arn }, host);

        // The research team's existing key is granted, not edited: a grant is additive and belongs to this stack
        // alone, so other stacks' grants and the key policy stay as they are. It allows only the two operations that
        // reading SSE-KMS objects needs. https://docs.aws.amazon.com/kms/latest/developerguide/grants.html
        const existingKeyArn = config.modelDevelopment.kms.keyArn;
        const developmentKeyGrant = existingKeyArn
            ? new aws.kms.Grant(
                  `${name}-artifacts-key-grant`,
                  {
                      name: researchKeyGrantName(name),
                      keyId: existingKeyArn,
                      granteePrincipal: role.arn,
                      operations: [...DEVELOPMENT_KEY_ACTIONS].map((action) => action.replace(/^kms:/, "")),
                  },
                  // KMS checks that the grantee principal exists, so the role comes first.
                  { ...dev, dependsOn: [role] },
              )
            : undefined;

        this.accessResources = [
            artifactBucketPolicy,
            role,
            policy,
            attachment,
            ...(developmentKey ? [developmentKey] : []),
            ...(developmentKeyGrant ? [developmentKeyGrant] : []),
            ...(hostingKey ? [hostingKey] : []),
        ];

        this.bucketName = pulumi.output(bucketId);
        this.bucketArn = pulumi.output(bucketArn(staticParams.partition, bucketName));
        this.executionRoleArn = role.arn;
        this.executionRoleName = role.name;
        this.executionPolicyArn = policy.arn;
        this.developmentKeyArn = developmentKey ? developmentKey.arn : pulumi.output(existingKeyArn);
        this.hostingKeyArn = hostingKey ? hostingKey.arn : pulumi.output(undefined);
        // One import at a time per account (a Bedrock quota that cannot be raised): each model waits for the
        // previous one. None starts before every policy and key it needs exists.
        this.importedModels = [];
        for (const [i, m] of config.models.entries()) {
            const previous = this.importedModels[this.importedModels.length - 1];
            this.importedModels.push(
                new ImportedModel(
                    `${name}-${m.name}`,
                    {
                        // Role and key ARNs are outputs: the pure builder's placeholders are overridden with them.
                        ...modelImportInputs(config, i, { roleArn: "", defaultTags: args.defaultTags, ...(args.owner ? { owner: args.owner } : {}) }),
                        roleArn: role.arn,
                        ...(hostingKey ? { kmsKeyArn: hostingKey.arn } : {}),
                    },
                    // No `provider`: a dynamic resource runs with its inputs' credentials, not an aws.Provider.
                    { parent: this, dependsOn: [...this.accessResources, ...(previous ? [previous] : [])] },
                ),
            );
        }
        // One stable pointer per model: callers read the live ARN from SSM, because every version is a new imported model
        // with a new ARN. It depends on the model, so on a new version Pulumi creates the new model, then updates the
        // pointer, and deletes the old model last (create-before-delete: the old version answers until the pointer moved).
        const pointers = this.importedModels.map(
            (model, i) =>
                new aws.ssm.Parameter(
                    `${name}-${config.models[i].name}-pointer`,
                    {
                        name: pointerParameterName(args.stackName ?? name, config.models[i].name),
                        type: "String",
                        value: model.modelArn,
                        description: `Live ARN of imported model ${config.models[i].name} (Bedrock Custom Model Import); read it instead of hard-coding the ARN`,
                    },
                    host,
                ),
        );
        const modelOutputs = this.importedModels.map((model, i) => {
            const m = config.models[i];
            const s3Uri = `s3://${bucketName}/${m.s3Prefix}`;
            return pulumi
                .all([role.arn, this.hostingKeyArn, model.modelArn, model.jobArn, model.jobName, model.modelArchitecture, model.modelName, pointers[i].name])
                .apply(([roleArn, keyArn, modelArn, jobArn, jobName, modelArchitecture, modelName, pointerName]) => ({
                    name: m.name,
                    modelName,
                    s3Uri,
                    pointerParameterName: pointerName,
                    modelArn,
                    jobArn,
                    jobName,
                    modelArchitecture,
                    invokeExample: invokeExample(config, modelArn),
                    manualImportCommand: manualImportCommand(config, modelName, s3Uri, roleArn, keyArn),
                }));
        });
        this.models = pulumi.all(modelOutputs);

        this.registerOutputs({
            bucketName: this.bucketName,
            bucketArn: this.bucketArn,
            executionRoleArn: this.executionRoleArn,
            executionRoleName: this.executionRoleName,
            executionPolicyArn: this.executionPolicyArn,
            developmentKeyArn: this.developmentKeyArn,
            hostingKeyArn: this.hostingKeyArn,
            models: this.models,
        });
    }
}

function withKeys(p: AccessParams, developmentKeyArn: string | undefined, hostingKeyArn: string | undefined): AccessParams {
    return { ...p, ...(developmentKeyArn ? { developmentKeyArn } : {}), ...(hostingKeyArn ? { hostingKeyArn } : {}) };
}

/** An `aws bedrock-runtime invoke-model` call with a minimal prompt body (the shape Llama/Mistral-family imports accept). */
export function invokeExample(config: StackConfig, modelArn: string): string {
    const body = JSON.stringify({ prompt: "Hello, who are you?", max_tokens: 128, temperature: 0.5 });
    return [
        "aws bedrock-runtime invoke-model",
        `--model-id ${modelArn}`,
        `--body '${body}'`,
        "--cli-binary-format raw-in-base64-out",
        `--region ${config.modelHosting.region}`,
        ...(config.modelHosting.profile ? [`--profile ${config.modelHosting.profile}`] : []),
        "invoke-output.json",
    ].join(" ");
}

/** The `aws bedrock create-model-import-job` command equivalent to what the program does for one model. */
export function manualImportCommand(config: StackConfig, modelName: string, s3Uri: string, roleArn: string, hostingKeyArn?: string): string {
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
