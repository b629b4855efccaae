// The action sets the grants give, one list per use, named once, in the manner of aws-cdk's S3 permissions
// (https://github.com/aws/aws-cdk/blob/main/packages/aws-cdk-lib/aws-s3/lib/perms.ts).
// The access matrix's tables import some of them to enumerate rows; the verdicts they expect are their own.

// The key that encrypts imported models: two AWS sources name different identities, and until a real import shows which
// one Bedrock uses for the key, both get what their source asks, each only through Bedrock (kms:ViaService) and
// CreateGrant only for an AWS resource (kms:GrantIsForAWSResource):
// - "Using customer managed key (CMK)"
//   (https://docs.aws.amazon.com/bedrock/latest/userguide/import-model-using-cmk.html) gives "the model import API
//   invocation role" CreateGrant, DescribeKey, GenerateDataKey and Decrypt, and model users Decrypt. Its CloudTrail
//   example (https://docs.aws.amazon.com/bedrock/latest/userguide/import-model-monitor-encryption-keys.html) shows the
//   grant created by an assumed import role's session, invokedBy bedrock.amazonaws.com. The identity that calls
//   CreateModelImportJob (the hosting deployer, IMPORTER_KEY_ACTIONS) gets these.
// - AWS's cross-account CMI walkthrough
//   (https://aws.amazon.com/blogs/machine-learning/how-to-configure-cross-account-model-deployment-using-amazon-bedrock-custom-model-import/,
//   steps 4 and 5) lets the execution role Encrypt, Decrypt, ReEncrypt*, GenerateDataKey* and DescribeKey with the key,
//   in the key policy and in the execution policy (EXECUTION_ROLE_KEY_ACTIONS). The role also gets the CMK page's
//   CreateGrant, in case the "invocation role" there is the role Bedrock assumes.

/** What the importing identity does with the hosting key through Bedrock, besides CreateGrant. */
export const IMPORTER_KEY_ACTIONS: readonly string[] = ["kms:DescribeKey", "kms:GenerateDataKey", "kms:Decrypt"];

/** What the execution role does with the hosting key through Bedrock (the walkthrough's set), besides CreateGrant. */
export const EXECUTION_ROLE_KEY_ACTIONS: readonly string[] = [
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncrypt*",
    "kms:GenerateDataKey*",
    "kms:DescribeKey",
];

/** What a model invoker does with the hosting key through Bedrock ("Permissions for imported model users"). */
export const INVOKER_KEY_ACTIONS: readonly string[] = ["kms:Decrypt"];

/** The actions needed to read SSE-KMS objects encrypted with the development key (docs/access.md, item 4). */
export const DEVELOPMENT_KEY_ACTIONS: readonly string[] = ["kms:Decrypt", "kms:DescribeKey"];

/**
 * What the importer does to track its jobs and models after the create: job status, the model, its tags, its deletion.
 */
export const TRACK_MODEL_ACTIONS: readonly string[] = [
    "bedrock:GetModelImportJob",
    "bedrock:GetImportedModel",
    "bedrock:DeleteImportedModel",
    "bedrock:ListTagsForResource",
    "bedrock:TagResource",
    "bedrock:UntagResource",
];

/** Listing imports and models, and reading the imported-models quota. */
export const LIST_AND_QUOTA_ACTIONS: readonly string[] = [
    "bedrock:ListModelImportJobs",
    "bedrock:ListImportedModels",
    "servicequotas:GetServiceQuota",
];

/** What the importer does to the SSM pointers. */
export const POINTER_ACTIONS: readonly string[] = [
    "ssm:PutParameter",
    "ssm:GetParameter",
    "ssm:GetParameters",
    "ssm:DeleteParameter",
    "ssm:AddTagsToResource",
    "ssm:ListTagsForResource",
];
