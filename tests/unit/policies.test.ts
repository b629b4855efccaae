import { expect } from "chai";
import { parseStackConfig } from "../../components/config/stackConfig";
import {
    accessParams,
    bucketPolicy,
    developmentKeyPolicy,
    executionPolicy,
    hostingKeyPolicy,
    importerIdentityPolicy,
    modelObjectArns,
    trustPolicy,
    type AccessParams,
} from "../../components/policies/statements";
import { executionRoleArn } from "../../components/naming";
import { contractConfig } from "../helpers/programHarness";

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
    invokers: [],
};

const IMPORTER = "arn:aws:iam::777788889999:role/bedrock-cmi-deployer";
const APP = "arn:aws:iam::777788889999:role/app";
const BATCH = "arn:aws:iam::777788889999:role/teams/ml/batch-scorer";
const VIA_BEDROCK = { StringEquals: { "kms:ViaService": "bedrock.us-east-1.amazonaws.com" } };
// The execution role's two statements on the hosting key (both AWS sources: the walkthrough's set and the CMK page's
// CreateGrant), only through Bedrock; in the execution policy on the key, in the key policy for the role.
const ROLE_KEY_ACTIONS = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"];
const BEDROCK_GRANT_ONLY = { ...VIA_BEDROCK, Bool: { "kms:GrantIsForAWSResource": "true" } };
const ROLE_IN_KEY_POLICY = [
    {
        Sid: "AllowBedrockExecutionRoleUseImportedModelKeyThroughBedrock",
        Effect: "Allow",
        Principal: { AWS: ROLE },
        Resource: "*",
        Action: ROLE_KEY_ACTIONS,
        Condition: VIA_BEDROCK,
    },
    {
        Sid: "AllowBedrockExecutionRoleLetBedrockGrantItselfImportedModelKey",
        Effect: "Allow",
        Principal: { AWS: ROLE },
        Resource: "*",
        Action: "kms:CreateGrant",
        Condition: BEDROCK_GRANT_ONLY,
    },
];
const HOSTING_ROOT = {
    Sid: "EnableRootAccountAdministration",
    Effect: "Allow",
    Principal: { AWS: "arn:aws:iam::777788889999:root" },
    Action: "kms:*",
    Resource: "*",
};

const rolePrincipal = {
    Principal: { AWS: "arn:aws:iam::777788889999:root" },
    Condition: { ArnLike: { "aws:PrincipalArn": ROLE } },
};

describe("policy builders", () => {
    it("access params: the importer is the hosting deployer role, the invokers come from modelHosting.kms.invokers", () => {
        const prod = contractConfig("prod");
        (prod.modelHosting.kms as Record<string, unknown>).invokers = [APP, BATCH];
        const p = accessParams(parseStackConfig(prod));
        expect(p.importerArn).to.equal(IMPORTER);
        expect(p.invokers).to.deep.equal([APP, BATCH]);
        // Ambient credentials for the hosting account: the importer is unknown, so no key statement can name it.
        const dev = accessParams(parseStackConfig(contractConfig("dev")));
        expect(dev).not.to.have.property("importerArn");
        expect(dev.invokers).to.deep.equal([]);
    });

    it("bucket policy: hosting root + aws:PrincipalArn, reads scoped to model prefixes, TLS only", () => {
        expect(
            bucketPolicy({ ...base, modelPrefixes: ["mistral-model-weights/", "llama/", "mistral-model-weights/"] }),
        ).to.deep.equal({
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
                    Resource: [
                        "arn:aws:s3:::model-artifacts-111122223333/mistral-model-weights/*",
                        "arn:aws:s3:::model-artifacts-111122223333/llama/*",
                    ],
                },
                {
                    Sid: "DenyInsecureTransport",
                    Effect: "Deny",
                    Principal: "*",
                    Action: "s3:*",
                    Resource: [
                        "arn:aws:s3:::model-artifacts-111122223333",
                        "arn:aws:s3:::model-artifacts-111122223333/*",
                    ],
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
        const doc = trustPolicy({
            ...base,
            allowAssumeFrom: ["arn:aws:iam::777788889999:role/Ops", "arn:aws:iam::444455556666:user/alice"],
        });
        expect(doc.Statement[1]).to.deep.equal({
            Sid: "AllowOperatorTroubleshooting",
            Effect: "Allow",
            Principal: { AWS: ["arn:aws:iam::444455556666:root", "arn:aws:iam::777788889999:root"] },
            Action: "sts:AssumeRole",
            Condition: {
                ArnEquals: {
                    "aws:PrincipalArn": ["arn:aws:iam::777788889999:role/Ops", "arn:aws:iam::444455556666:user/alice"],
                },
            },
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

    it("execution policy with keys: Decrypt/DescribeKey on the development key; the hosting key only through Bedrock", () => {
        const doc = executionPolicy({
            ...base,
            developmentKeyArn: DEV_KEY,
            hostingKeyArn: HOST_KEY,
            importerArn: IMPORTER,
            invokers: [APP],
        });
        expect(doc.Statement.slice(2)).to.deep.equal([
            {
                Sid: "DecryptModelArtifacts",
                Effect: "Allow",
                Action: ["kms:Decrypt", "kms:DescribeKey"],
                Resource: DEV_KEY,
            },
            {
                Sid: "UseImportedModelKeyThroughBedrock",
                Effect: "Allow",
                Resource: HOST_KEY,
                Action: ROLE_KEY_ACTIONS,
                Condition: VIA_BEDROCK,
            },
            {
                Sid: "LetBedrockGrantItselfImportedModelKey",
                Effect: "Allow",
                Resource: HOST_KEY,
                Action: "kms:CreateGrant",
                Condition: BEDROCK_GRANT_ONLY,
            },
        ]);
        // Without the hosting key, nothing about it.
        expect(JSON.stringify(executionPolicy(base))).not.to.contain("ImportedModelKey");
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
                {
                    Sid: "AllowBedrockExecutionRoleDecrypt",
                    Effect: "Allow",
                    ...rolePrincipal,
                    Action: ["kms:Decrypt", "kms:DescribeKey"],
                    Resource: "*",
                },
            ],
        });
    });

    it(
        "hosting key policy without importer or invokers: the owner's root (delegates to IAM) and the execution role " +
            "through Bedrock",
        () => {
            expect(hostingKeyPolicy({ ...base, hostingKeyArn: HOST_KEY })).to.deep.equal({
                Version: "2012-10-17",
                Statement: [HOSTING_ROOT, ...ROLE_IN_KEY_POLICY],
            });
        },
    );

    it(
        "hosting key policy: the importer through Bedrock (CreateGrant only for AWS resources), invokers Decrypt " +
            "through Bedrock",
        () => {
            expect(hostingKeyPolicy({ ...base, importerArn: IMPORTER, invokers: [APP, BATCH, APP] })).to.deep.equal({
                Version: "2012-10-17",
                Statement: [
                    HOSTING_ROOT,
                    ...ROLE_IN_KEY_POLICY,
                    {
                        Sid: "AllowModelImporterUseThroughBedrock",
                        Effect: "Allow",
                        Principal: { AWS: IMPORTER },
                        Action: ["kms:DescribeKey", "kms:GenerateDataKey", "kms:Decrypt"],
                        Resource: "*",
                        Condition: VIA_BEDROCK,
                    },
                    {
                        Sid: "AllowModelImporterBedrockGrant",
                        Effect: "Allow",
                        Principal: { AWS: IMPORTER },
                        Action: "kms:CreateGrant",
                        Resource: "*",
                        Condition: { ...VIA_BEDROCK, Bool: { "kms:GrantIsForAWSResource": "true" } },
                    },
                    {
                        Sid: "AllowModelInvokersDecryptThroughBedrock",
                        Effect: "Allow",
                        // Role ARNs, paths included, in config order without duplicates.
                        Principal: { AWS: [APP, BATCH] },
                        Action: ["kms:Decrypt"],
                        Resource: "*",
                        Condition: VIA_BEDROCK,
                    },
                ],
            });
            // One invoker: a single principal string, like AWS writes it.
            const invokers = hostingKeyPolicy({ ...base, invokers: [APP] }).Statement.find(
                (st) => st.Sid === "AllowModelInvokersDecryptThroughBedrock",
            );
            expect(invokers?.Principal).to.deep.equal({ AWS: APP });
            // Every statement but the owner's root is conditioned on Bedrock; every CreateGrant on an AWS resource.
            for (const st of hostingKeyPolicy({ ...base, importerArn: IMPORTER, invokers: [APP] }).Statement.slice(1)) {
                expect(st.Condition?.StringEquals, st.Sid).to.deep.equal(VIA_BEDROCK.StringEquals);
                if (st.Action === "kms:CreateGrant")
                    expect(st.Condition?.Bool, st.Sid).to.deep.equal({ "kms:GrantIsForAWSResource": "true" });
            }
        },
    );

    it("ViaService names the hosting region's Bedrock endpoint", () => {
        const doc = hostingKeyPolicy({ ...base, hostingRegion: "us-west-2", importerArn: IMPORTER });
        expect(doc.Statement[1].Condition).to.deep.equal({
            StringEquals: { "kms:ViaService": "bedrock.us-west-2.amazonaws.com" },
        });
    });

    it(
        "importer identity policy (deployer not known to the program): Bedrock calls, PassRole to Bedrock only, the " +
            "hosting key through Bedrock",
        () => {
            expect(importerIdentityPolicy({ ...base, hostingKeyArn: HOST_KEY })).to.deep.equal({
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "StartModelImportJobs",
                        Effect: "Allow",
                        Action: "bedrock:CreateModelImportJob",
                        Resource: "*",
                    },
                    {
                        Sid: "TrackImportedModels",
                        Effect: "Allow",
                        Action: [
                            "bedrock:GetModelImportJob",
                            "bedrock:GetImportedModel",
                            "bedrock:DeleteImportedModel",
                            "bedrock:ListTagsForResource",
                            "bedrock:TagResource",
                            "bedrock:UntagResource",
                        ],
                        Resource: [
                            "arn:aws:bedrock:us-east-1:777788889999:model-import-job/*",
                            "arn:aws:bedrock:us-east-1:777788889999:imported-model/*",
                        ],
                    },
                    {
                        Sid: "ListImportsAndReadQuota",
                        Effect: "Allow",
                        Action: [
                            "bedrock:ListModelImportJobs",
                            "bedrock:ListImportedModels",
                            "servicequotas:GetServiceQuota",
                        ],
                        Resource: "*",
                    },
                    {
                        Sid: "SmokeTestImportedModels",
                        Effect: "Allow",
                        Action: "bedrock:InvokeModel",
                        Resource: "arn:aws:bedrock:us-east-1:777788889999:imported-model/*",
                    },
                    {
                        Sid: "ManageModelPointers",
                        Effect: "Allow",
                        Action: [
                            "ssm:PutParameter",
                            "ssm:GetParameter",
                            "ssm:GetParameters",
                            "ssm:DeleteParameter",
                            "ssm:AddTagsToResource",
                            "ssm:ListTagsForResource",
                        ],
                        Resource: "arn:aws:ssm:us-east-1:777788889999:parameter/bedrock-cmi/*",
                    },
                    {
                        Sid: "PassExecutionRoleToBedrock",
                        Effect: "Allow",
                        Action: "iam:PassRole",
                        Resource: ROLE,
                        Condition: { StringEquals: { "iam:PassedToService": "bedrock.amazonaws.com" } },
                    },
                    {
                        Sid: "UseHostingKeyThroughBedrock",
                        Effect: "Allow",
                        Action: ["kms:DescribeKey", "kms:GenerateDataKey", "kms:Decrypt"],
                        Resource: HOST_KEY,
                        Condition: VIA_BEDROCK,
                    },
                    {
                        Sid: "LetBedrockGrantItselfTheHostingKey",
                        Effect: "Allow",
                        Action: "kms:CreateGrant",
                        Resource: HOST_KEY,
                        Condition: { ...VIA_BEDROCK, Bool: { "kms:GrantIsForAWSResource": "true" } },
                    },
                ],
            });
        },
    );

    it("importer identity policy: no key statements without a hosting key, or when the key policy names the importer", () => {
        const sids = (p: AccessParams) => importerIdentityPolicy(p).Statement.map((s) => s.Sid);
        const bedrockOnly = [
            "StartModelImportJobs",
            "TrackImportedModels",
            "ListImportsAndReadQuota",
            "SmokeTestImportedModels",
            "ManageModelPointers",
            "PassExecutionRoleToBedrock",
        ];
        expect(sids(base)).to.deep.equal(bedrockOnly);
        expect(sids({ ...base, hostingKeyArn: HOST_KEY, importerArn: IMPORTER })).to.deep.equal(bedrockOnly);
    });

    it("uses the partition of the region in every ARN", () => {
        const cn: AccessParams = { ...base, partition: "aws-cn", hostingRegion: "cn-north-1" };
        expect(executionRoleArn(cn)).to.equal("arn:aws-cn:iam::777788889999:role/BedrockCMIExecutionRole-777788889999");
        expect(modelObjectArns(cn)).to.deep.equal([
            "arn:aws-cn:s3:::model-artifacts-111122223333/mistral-model-weights/*",
        ]);
        const text = JSON.stringify([
            bucketPolicy(cn),
            trustPolicy(cn),
            executionPolicy(cn),
            developmentKeyPolicy(cn),
            hostingKeyPolicy(cn),
            importerIdentityPolicy(cn),
        ]);
        expect(text).not.to.match(/arn:aws:/);
        expect(text).to.include("arn:aws-cn:bedrock:cn-north-1:777788889999:model-import-job/*");
    });
});
