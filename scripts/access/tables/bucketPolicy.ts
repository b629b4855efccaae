// The artifact bucket's policy (docs/access.md, item 1) together with the execution policy's S3 statements (item 3):
// the execution role reads the model prefixes and nothing else; nobody else reads them.

import { bucketArn } from "../../../components/policies/statements";
import { statement, type AccessRow, type Subjects } from "../rows";

const MODEL_FILES = ["config.json", "model-00001-of-00002.safetensors", "tokenizer.json"];

/** Requests on the artifact bucket, which its bucket policy judges together with the caller's identity policy. */
export function bucketPolicyRows(s: Subjects): AccessRow[] {
    const { p, bucket, third, modelObject } = s;
    const onBucket = { resourceAccount: p.developmentAccountId, resourcePolicy: "bucketPolicy" } as const;
    const reads = [statement("bucketPolicy", "readModels"), statement("executionPolicy", "readArtifacts")];
    return [
        {
            id: "s3.list-bucket",
            expect: "allowed",
            description: "The execution role lists the artifact bucket",
            action: "s3:ListBucket",
            resource: bucket,
            ...onBucket,
            lookAt: [statement("bucketPolicy", "list"), statement("executionPolicy", "listBucket")],
        },
        ...[...new Set(p.modelPrefixes)].flatMap((prefix) =>
            MODEL_FILES.map((file): AccessRow => ({
                id: `s3.read:${prefix}${file}`,
                expect: "allowed",
                description: `The execution role reads s3://${p.bucketName}/${prefix}${file}`,
                action: "s3:GetObject",
                resource: `${bucket}/${prefix}${file}`,
                ...onBucket,
                lookAt: reads,
            })),
        ),
        {
            id: "s3.write",
            expect: "denied",
            description: "The execution role cannot write model artifacts",
            action: "s3:PutObject",
            resource: modelObject,
            ...onBucket,
        },
        {
            id: "s3.delete",
            expect: "denied",
            description: "The execution role cannot delete model artifacts",
            action: "s3:DeleteObject",
            resource: modelObject,
            ...onBucket,
        },
        {
            id: "s3.put-bucket-policy",
            expect: "denied",
            description: "The execution role cannot change the bucket policy",
            action: "s3:PutBucketPolicy",
            resource: bucket,
            ...onBucket,
        },
        {
            id: "s3.read-outside-prefixes",
            expect: "denied",
            description: "The execution role cannot read outside the model prefixes",
            action: "s3:GetObject",
            resource: `${bucket}/not-a-model-prefix/config.json`,
            ...onBucket,
            lookAt: reads,
        },
        {
            id: "s3.insecure-transport",
            expect: "denied",
            description: "Reads without TLS are refused",
            action: "s3:GetObject",
            resource: modelObject,
            ...onBucket,
            context: { "aws:SecureTransport": "false" },
            lookAt: [statement("bucketPolicy", "denyInsecureTransport")],
        },
        {
            id: "s3.other-hosting-role",
            expect: "denied",
            ...s.oneAccount(
                "an identity policy alone grants S3 access there, and the bucket policy cannot refuse a role " +
                    "whose own policy allows it",
            ),
            description: "Another role of the hosting account, even with s3:* on *, cannot read the artifacts",
            principal: s.otherRole,
            identity: "broad",
            action: "s3:GetObject",
            resource: modelObject,
            ...onBucket,
            lookAt: [{ document: "bucketPolicy", note: "aws:PrincipalArn condition" }],
        },
        {
            id: "s3.same-role-name-third-account",
            expect: "denied",
            description: `A role with the same name in another account (${third}) cannot read the artifacts`,
            principal: s.sameNameElsewhere,
            identity: "broad",
            action: "s3:GetObject",
            resource: modelObject,
            ...onBucket,
            lookAt: [{ document: "bucketPolicy", note: "principal and aws:PrincipalArn condition" }],
        },
        {
            id: "s3.same-role-name-third-account-list",
            expect: "denied",
            description: `A role with the same name in another account (${third}) cannot list the bucket`,
            principal: s.sameNameElsewhere,
            identity: "broad",
            action: "s3:ListBucket",
            resource: bucket,
            ...onBucket,
        },
    ];
}

/** S3 requests no bucket policy of this program takes part in: only the execution policy can refuse them. */
export function executionPolicyRows(s: Subjects): AccessRow[] {
    const { p, third } = s;
    const otherBucket = bucketArn(p.partition, `other-bucket-${p.developmentAccountId}`);
    return [
        {
            id: "s3.other-bucket-read",
            expect: "denied",
            description: "The execution role cannot read another bucket of the development account",
            action: "s3:GetObject",
            resource: `${otherBucket}/${s.firstPrefix}config.json`,
            resourceAccount: p.developmentAccountId,
        },
        {
            id: "s3.other-bucket-list",
            expect: "denied",
            description: "The execution role cannot list another bucket",
            action: "s3:ListBucket",
            resource: otherBucket,
            resourceAccount: p.developmentAccountId,
        },
        {
            id: "s3.same-name-bucket-elsewhere",
            expect: "denied",
            description: `The execution role cannot read a bucket of the same name owned by another account (${third})`,
            action: "s3:GetObject",
            resource: s.modelObject,
            resourceAccount: third,
            lookAt: [{ document: "executionPolicy", note: "aws:ResourceAccount condition" }],
        },
    ];
}
