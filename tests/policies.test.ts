import { expect } from "chai";
import {
    bucketPolicy,
    developmentKeyPolicy,
    executionPolicy,
    executionRoleArn,
    hostingKeyPolicy,
    modelObjectArns,
    trustPolicy,
    type AccessParams,
} from "../components/policies";

const ROLE = "arn:aws:iam::777788889999:role/BedrockCMIExecutionRole-777788889999";
const DEV_KEY = "arn:aws:kms:us-east-1:111122223333:key/1111aaaa-1111-aaaa-1111-aaaaaaaaaaaa";
const HOST_KEY = "arn:aws:kms:us-east-1:777788889999:key/2222bbbb-2222-bbbb-2222-bbbbbbbbbbbb";

const base: AccessParams = {
    partition: "aws",
    developmentAccountId: "111122223333",
    hostingAccountId: "777788889999",
    hostingRegion: "us-east-1",
    bucketName: "model-artifacts-111122223333",
    modelPrefixes: ["mistral-model-weights/"],
    executionRoleName: "BedrockCMIExecutionRole-777788889999",
};

const rolePrincipal = {
    Principal: { AWS: "arn:aws:iam::777788889999:root" },
    Condition: { ArnLike: { "aws:PrincipalArn": ROLE } },
};

describe("policy builders", () => {
    it("bucket policy: hosting root + aws:PrincipalArn, reads scoped to model prefixes, TLS only", () => {
        expect(bucketPolicy({ ...base, modelPrefixes: ["mistral-model-weights/", "llama/", "mistral-model-weights/"] })).to.deep.equal({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "AllowBedrockExecutionRoleList",
                    Effect: "Allow",
                    ...rolePrincipal,
                    Action: "s3:ListBucket",
                    Resource: "arn:aws:s3:::model-artifacts-111122223333",
                },
                {
                    Sid: "AllowBedrockExecutionRoleReadModels",
                    Effect: "Allow",
                    ...rolePrincipal,
                    Action: "s3:GetObject",
                    Resource: ["arn:aws:s3:::model-artifacts-111122223333/mistral-model-weights/*", "arn:aws:s3:::model-artifacts-111122223333/llama/*"],
                },
                {
                    Sid: "DenyInsecureTransport",
                    Effect: "Deny",
                    Principal: "*",
                    Action: "s3:*",
                    Resource: ["arn:aws:s3:::model-artifacts-111122223333", "arn:aws:s3:::model-artifacts-111122223333/*"],
                    Condition: { Bool: { "aws:SecureTransport": "false" } },
                },
            ],
        });
    });

    it("trust policy: Bedrock only, for this account's import jobs in this region", () => {
        expect(trustPolicy(base)).to.deep.equal({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "AllowBedrockModelImportJobs",
                    Effect: "Allow",
                    Principal: { Service: "bedrock.amazonaws.com" },
                    Action: "sts:AssumeRole",
                    Condition: {
                        StringEquals: { "aws:SourceAccount": "777788889999" },
                        ArnEquals: { "aws:SourceArn": "arn:aws:bedrock:us-east-1:777788889999:model-import-job/*" },
                    },
                },
            ],
        });
    });

    it("trust policy: operator statement only when allowAssumeFrom lists principals", () => {
        expect(trustPolicy({ ...base, allowAssumeFrom: [] }).Statement).to.have.length(1);
        const doc = trustPolicy({ ...base, allowAssumeFrom: ["arn:aws:iam::777788889999:role/Ops", "arn:aws:iam::444455556666:user/alice"] });
        expect(doc.Statement[1]).to.deep.equal({
            Sid: "AllowOperatorTroubleshooting",
            Effect: "Allow",
            Principal: { AWS: ["arn:aws:iam::444455556666:root", "arn:aws:iam::777788889999:root"] },
            Action: "sts:AssumeRole",
            Condition: { ArnEquals: { "aws:PrincipalArn": ["arn:aws:iam::777788889999:role/Ops", "arn:aws:iam::444455556666:user/alice"] } },
        });
    });

    it("execution policy without keys: S3 only, pinned to the development account", () => {
        expect(executionPolicy(base)).to.deep.equal({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "ListModelArtifactBucket",
                    Effect: "Allow",
                    Action: "s3:ListBucket",
                    Resource: "arn:aws:s3:::model-artifacts-111122223333",
                    Condition: { StringEquals: { "aws:ResourceAccount": "111122223333" } },
                },
                {
                    Sid: "ReadModelArtifacts",
                    Effect: "Allow",
                    Action: "s3:GetObject",
                    Resource: ["arn:aws:s3:::model-artifacts-111122223333/mistral-model-weights/*"],
                    Condition: { StringEquals: { "aws:ResourceAccount": "111122223333" } },
                },
            ],
        });
    });

    it("execution policy with keys: the exact key ARNs and actions", () => {
        const doc = executionPolicy({ ...base, developmentKeyArn: DEV_KEY, hostingKeyArn: HOST_KEY });
        expect(doc.Statement.slice(2)).to.deep.equal([
            { Sid: "DecryptModelArtifacts", Effect: "Allow", Action: ["kms:Decrypt", "kms:DescribeKey"], Resource: DEV_KEY },
            {
                Sid: "EncryptImportedModel",
                Effect: "Allow",
                Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey", "kms:CreateGrant"],
                Resource: HOST_KEY,
            },
        ]);
        expect(executionPolicy({ ...base, hostingKeyArn: HOST_KEY }).Statement.map((s) => s.Sid)).to.deep.equal([
            "ListModelArtifactBucket",
            "ReadModelArtifacts",
            "EncryptImportedModel",
        ]);
    });

    it("development key policy: owner root admin + the role's Decrypt/DescribeKey", () => {
        expect(developmentKeyPolicy(base)).to.deep.equal({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "EnableRootAccountAdministration",
                    Effect: "Allow",
                    Principal: { AWS: "arn:aws:iam::111122223333:root" },
                    Action: "kms:*",
                    Resource: "*",
                },
                { Sid: "AllowBedrockExecutionRoleDecrypt", Effect: "Allow", ...rolePrincipal, Action: ["kms:Decrypt", "kms:DescribeKey"], Resource: "*" },
            ],
        });
    });

    it("hosting key policy: owner root admin + what Bedrock needs, including CreateGrant", () => {
        expect(hostingKeyPolicy(base)).to.deep.equal({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "EnableRootAccountAdministration",
                    Effect: "Allow",
                    Principal: { AWS: "arn:aws:iam::777788889999:root" },
                    Action: "kms:*",
                    Resource: "*",
                },
                {
                    Sid: "AllowBedrockExecutionRoleUseOfKey",
                    Effect: "Allow",
                    ...rolePrincipal,
                    Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey", "kms:CreateGrant"],
                    Resource: "*",
                },
            ],
        });
    });

    it("uses the partition of the region in every ARN", () => {
        const cn: AccessParams = { ...base, partition: "aws-cn", hostingRegion: "cn-north-1" };
        expect(executionRoleArn(cn)).to.equal("arn:aws-cn:iam::777788889999:role/BedrockCMIExecutionRole-777788889999");
        expect(modelObjectArns(cn)).to.deep.equal(["arn:aws-cn:s3:::model-artifacts-111122223333/mistral-model-weights/*"]);
        const text = JSON.stringify([bucketPolicy(cn), trustPolicy(cn), executionPolicy(cn), developmentKeyPolicy(cn), hostingKeyPolicy(cn)]);
        expect(text).not.to.match(/arn:aws:/);
        expect(text).to.include("arn:aws-cn:bedrock:cn-north-1:777788889999:model-import-job/*");
    });
});
