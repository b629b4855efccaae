// Access simulation: the documents the program synthesizes (read from the resources it registers under
// mocks) evaluated together by the IAM policy simulator; then each document broken in a typical way,
// showing the matrix catches it.

import { expect } from "chai";
import { parseStackConfig } from "../../components/config/stackConfig";
import {
    accessParams,
    bucketPolicy,
    developmentKeyPolicy,
    executionPolicy,
    hostingKeyPolicy,
    importerIdentityPolicy,
    trustPolicy,
    type AccessParams,
} from "../../components/policies/statements";
import type { PolicyDocument, PolicyStatement } from "../../components/policies/document";
import { evaluateAccess, type AccessResult, type PolicySet } from "../../scripts/access/matrix";
import { policySetOf } from "../../scripts/plan/plan";
import { contractConfig, runProgram, type ContractConfig } from "../helpers/programHarness";

const DEV_KEY = "arn:aws:kms:us-east-1:111122223333:key/1111aaaa-1111-aaaa-1111-aaaaaaaaaaaa";
const HOST_KEY = "arn:aws:kms:us-east-1:777788889999:key/2222bbbb-2222-bbbb-2222-bbbbbbbbbbbb";
// The prod stack's hosting deployer role (modelHosting.assumeRoleArn): the identity that calls CreateModelImportJob.
const IMPORTER = "arn:aws:iam::777788889999:role/bedrock-cmi-deployer";
const APP = "arn:aws:iam::777788889999:role/app";
const BATCH = "arn:aws:iam::777788889999:role/teams/ml/batch-scorer";

function withInvokers<T extends ContractConfig>(config: T, invokers: string[]): T {
    (config.modelHosting.kms as Record<string, unknown>).invokers = invokers;
    return config;
}

function failing(results: AccessResult[]): string[] {
    return results.filter((r) => !r.ok).map((r) => r.id);
}

function fullParams(): AccessParams {
    return accessParams(parseStackConfig(withInvokers(contractConfig("prod"), [APP, BATCH])), {
        developmentKeyArn: DEV_KEY,
        hostingKeyArn: HOST_KEY,
    });
}

function builtDocs(p: AccessParams): PolicySet {
    return {
        bucketPolicy: bucketPolicy(p),
        trustPolicy: trustPolicy(p),
        executionPolicy: executionPolicy(p),
        developmentKeyPolicy: developmentKeyPolicy(p),
        hostingKeyPolicy: hostingKeyPolicy(p),
    };
}

/** The access parameters and the documents the program registers for a config, under mocks. */
async function synthesized(config: ContractConfig): Promise<{ params: AccessParams; docs: PolicySet }> {
    const run = await runProgram(config);
    expect(run.error).to.equal(undefined);
    const params = accessParams(parseStackConfig(config), {
        developmentKeyArn: run.outputs.developmentKeyArn as string | undefined,
        hostingKeyArn: run.outputs.hostingKeyArn as string | undefined,
    });
    return { params, docs: policySetOf(run.resources) };
}

function editStatement(
    doc: PolicyDocument,
    sid: string,
    edit: (s: PolicyStatement) => PolicyStatement | undefined,
): PolicyDocument {
    expect(
        doc.Statement.map((s) => s.Sid),
        `statement ${sid}`,
    ).to.include(sid);
    return {
        ...doc,
        Statement: doc.Statement.flatMap((s) => {
            if (s.Sid !== sid) return [s];
            const edited = edit(JSON.parse(JSON.stringify(s)) as PolicyStatement);
            return edited ? [edited] : [];
        }),
    };
}

describe("access simulation over the synthesized policies", function () {
    this.timeout(30000);

    for (const stack of ["dev", "prod"]) {
        it(`${stack} stack: every required access allowed, every forbidden one denied`, async () => {
            const config = withInvokers(contractConfig(stack), stack === "prod" ? [APP, BATCH] : []);
            config.modelHosting.troubleshooting = { allowAssumeFrom: ["arn:aws:iam::777788889999:role/Ops"] };
            const { params, docs } = await synthesized(config);
            const results = await evaluateAccess(params, docs);
            expect(failing(results)).to.deep.equal([]);
            expect(results.filter((r) => r.decision === "Error")).to.deep.equal([]);
            const ids = results.map((r) => r.id);
            expect(ids).to.include.members([
                "trust.bedrock-import-job",
                "trust.other-account-job",
                "trust.other-job-kind",
                "trust.no-source",
                "trust.other-principal",
                "trust.operator:arn:aws:iam::777788889999:role/Ops",
                "s3.list-bucket",
                "s3.read:mistral-model-weights/config.json",
                "s3.write",
                "s3.delete",
                "s3.read-outside-prefixes",
                "s3.other-bucket-read",
                "s3.other-hosting-role",
                "s3.same-role-name-third-account",
                "s3.insecure-transport",
            ]);
            if (stack === "prod") {
                expect(ids).to.include.members([
                    "kms.development.kms:Decrypt",
                    "kms.development.kms:DescribeKey",
                    "kms.development.deny.kms:ScheduleKeyDeletion",
                    "kms.hosting.kms:CreateGrant",
                    "kms.hosting.kms:GenerateDataKey",
                    "kms.hosting.kms:Decrypt",
                    "kms.hosting.kms:DescribeKey",
                    "kms.hosting.importer.deny.create-grant-direct",
                    "kms.hosting.importer.deny.create-grant-other-service",
                    "kms.hosting.importer.deny.decrypt-direct",
                    `kms.hosting.invoker:${APP}`,
                    `kms.hosting.invoker:${BATCH}`,
                    `kms.hosting.invoker-direct:${APP}`,
                    "kms.hosting.role:kms:Encrypt",
                    "kms.hosting.role:kms:ReEncryptFrom",
                    "kms.hosting.role:kms:GenerateDataKey",
                    "kms.hosting.role:kms:CreateGrant",
                    "kms.hosting.role.deny.decrypt-direct",
                    "kms.hosting.role.deny.create-grant-direct",
                    "kms.hosting.deny.kms:PutKeyPolicy",
                    "kms.hosting.other-hosting-role",
                    "kms.development.other-hosting-role",
                ]);
                // The importer is the role the deployment assumes; the key policy names it, so no IAM policy is judged.
                expect(results.find((r) => r.id === "kms.hosting.kms:CreateGrant")?.principal).to.equal(IMPORTER);
            } else {
                expect(ids.filter((i) => i.startsWith("kms."))).to.deep.equal([]);
            }
        });
    }

    it("three models: every prefix readable, no read outside them", async () => {
        const config = contractConfig("dev");
        config.models = [
            { name: "a", s3Prefix: "mistral/" },
            { name: "b", s3Prefix: "llama/8b/" },
            { name: "c", s3Prefix: "qwen" },
        ];
        const run = await runProgram(config);
        const results = await evaluateAccess(accessParams(parseStackConfig(config)), policySetOf(run.resources));
        expect(failing(results)).to.deep.equal([]);
        expect(
            results.filter((r) => r.id.startsWith("s3.read:") && r.decision === "Allowed").map((r) => r.resource),
        ).to.include.members([
            "arn:aws:s3:::model-artifacts-111122223333/mistral/config.json",
            "arn:aws:s3:::model-artifacts-111122223333/llama/8b/config.json",
            "arn:aws:s3:::model-artifacts-111122223333/qwen/config.json",
        ]);
    });

    // In the shared bucket policy each statement carries the stack's Sid prefix in front of the builder's Sid.
    it(
        "every statement a row points at is in the document it names: the research key's grant and the stack's own " +
            "keys",
        async () => {
            for (const developmentKms of [
                { keyArn: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" },
                { enabled: true },
            ]) {
                const config = withInvokers(contractConfig("prod"), [APP]);
                config.modelDevelopment.kms = developmentKms;
                config.modelHosting.troubleshooting = { allowAssumeFrom: ["arn:aws:iam::777788889999:role/Ops"] };
                const { params, docs } = await synthesized(config);
                const results = await evaluateAccess(params, docs);
                expect(
                    results.filter((r) => r.id.startsWith("kms.development.") || r.id.startsWith("kms.hosting."))
                        .length,
                ).to.be.greaterThan(10);
                const missing = results.flatMap((r) =>
                    r.lookAt
                        .filter(
                            (l) => l.sid && !docs[l.document]?.Statement.some((st) => st.Sid?.endsWith(l.sid ?? "")),
                        )
                        .map((l) => `${r.id} → ${l.document}:${l.sid}`),
                );
                expect(missing, JSON.stringify(developmentKms)).to.deep.equal([]);
            }
        },
    );

    it("the explanation names the deciding statement", async () => {
        const p = fullParams();
        const results = await evaluateAccess(p, builtDocs(p));
        expect(results.find((r) => r.id === "s3.insecure-transport")?.reasons).to.deep.equal([
            "bucketPolicy: DenyInsecureTransport",
        ]);
        expect(results.find((r) => r.id === "s3.list-bucket")?.reasons).to.include.members([
            "bucketPolicy: AllowBedrockExecutionRoleList",
            "executionPolicy: ListModelArtifactBucket",
        ]);
    });

    describe("broken documents are caught", () => {
        const p = fullParams();
        const good = builtDocs(p);

        const cases: Array<{ name: string; docs: () => PolicySet; mustFail: string[] }> = [
            {
                name: "bucket policy without the aws:PrincipalArn condition admits every hosting-account role",
                docs: () => ({
                    ...good,
                    bucketPolicy: editStatement(good.bucketPolicy, "AllowBedrockExecutionRoleReadModels", (s) => ({
                        ...s,
                        Condition: undefined,
                    })),
                }),
                mustFail: ["s3.other-hosting-role"],
            },
            {
                name: "bucket policy missing a model prefix denies the role's read",
                docs: () => ({
                    ...good,
                    bucketPolicy: editStatement(good.bucketPolicy, "AllowBedrockExecutionRoleReadModels", (s) => ({
                        ...s,
                        Resource: ["arn:aws:s3:::model-artifacts-prod-111122223333/other/*"],
                    })),
                }),
                mustFail: ["s3.read:mistral-model-weights/config.json"],
            },
            {
                name: "bucket policy without the list statement denies ListBucket",
                docs: () => ({
                    ...good,
                    bucketPolicy: editStatement(good.bucketPolicy, "AllowBedrockExecutionRoleList", () => undefined),
                }),
                mustFail: ["s3.list-bucket"],
            },
            {
                name: "bucket policy without the TLS deny admits plain HTTP",
                docs: () => ({
                    ...good,
                    bucketPolicy: editStatement(good.bucketPolicy, "DenyInsecureTransport", () => undefined),
                }),
                mustFail: ["s3.insecure-transport"],
            },
            {
                name: "bucket policy with a principal of the wrong account",
                docs: () => ({
                    ...good,
                    bucketPolicy: editStatement(good.bucketPolicy, "AllowBedrockExecutionRoleReadModels", (s) => ({
                        ...s,
                        Principal: { AWS: "arn:aws:iam::999999999999:root" },
                    })),
                }),
                mustFail: ["s3.read:mistral-model-weights/config.json"],
            },
            {
                name: "bucket policy and execution policy granting the whole bucket",
                docs: () => ({
                    ...good,
                    bucketPolicy: editStatement(good.bucketPolicy, "AllowBedrockExecutionRoleReadModels", (s) => ({
                        ...s,
                        Resource: "arn:aws:s3:::model-artifacts-prod-111122223333/*",
                    })),
                    executionPolicy: editStatement(good.executionPolicy, "ReadModelArtifacts", (s) => ({
                        ...s,
                        Resource: "arn:aws:s3:::model-artifacts-prod-111122223333/*",
                    })),
                }),
                mustFail: ["s3.read-outside-prefixes"],
            },
            {
                name: "both sides granting s3:* lets the role write and delete",
                docs: () => ({
                    ...good,
                    bucketPolicy: editStatement(good.bucketPolicy, "AllowBedrockExecutionRoleReadModels", (s) => ({
                        ...s,
                        Action: "s3:*",
                    })),
                    executionPolicy: editStatement(good.executionPolicy, "ReadModelArtifacts", (s) => ({
                        ...s,
                        Action: "s3:*",
                    })),
                }),
                mustFail: ["s3.write", "s3.delete"],
            },
            {
                name: "trust policy without aws:SourceArn lets other Bedrock job kinds and regions assume the role",
                docs: () => ({
                    ...good,
                    trustPolicy: editStatement(good.trustPolicy, "AllowBedrockModelImportJobs", (s) => ({
                        ...s,
                        Condition: { StringEquals: { "aws:SourceAccount": p.hostingAccountId } },
                    })),
                }),
                mustFail: ["trust.other-job-kind", "trust.evaluation-job", "trust.other-region"],
            },
            {
                name: "trust policy without any condition is a confused deputy",
                docs: () => ({
                    ...good,
                    trustPolicy: editStatement(good.trustPolicy, "AllowBedrockModelImportJobs", (s) => ({
                        ...s,
                        Condition: undefined,
                    })),
                }),
                mustFail: ["trust.other-account-job", "trust.no-source", "trust.other-job-kind"],
            },
            {
                name: "trust policy for the wrong service",
                docs: () => ({
                    ...good,
                    trustPolicy: editStatement(good.trustPolicy, "AllowBedrockModelImportJobs", (s) => ({
                        ...s,
                        Principal: { Service: "sagemaker.amazonaws.com" },
                    })),
                }),
                mustFail: ["trust.bedrock-import-job", "trust.other-service"],
            },
            {
                name: "trust policy open to the hosting account root",
                docs: () => ({
                    ...good,
                    trustPolicy: {
                        ...good.trustPolicy,
                        Statement: [
                            ...good.trustPolicy.Statement,
                            {
                                Sid: "Oops",
                                Effect: "Allow",
                                Principal: { AWS: "arn:aws:iam::777788889999:root" },
                                Action: "sts:AssumeRole",
                            },
                        ],
                    },
                }),
                mustFail: ["trust.other-principal"],
            },
            {
                name: "execution policy without aws:ResourceAccount reads a same-name bucket in another account",
                docs: () => ({
                    ...good,
                    executionPolicy: editStatement(good.executionPolicy, "ReadModelArtifacts", (s) => ({
                        ...s,
                        Condition: undefined,
                    })),
                }),
                mustFail: ["s3.same-name-bucket-elsewhere"],
            },
            {
                name: "execution policy pinned to the wrong account denies every read",
                docs: () => ({
                    ...good,
                    executionPolicy: editStatement(good.executionPolicy, "ReadModelArtifacts", (s) => ({
                        ...s,
                        Condition: { StringEquals: { "aws:ResourceAccount": "999999999999" } },
                    })),
                }),
                mustFail: ["s3.read:mistral-model-weights/config.json"],
            },
            {
                name: "execution policy without the development key statement cannot decrypt",
                docs: () => ({
                    ...good,
                    executionPolicy: editStatement(good.executionPolicy, "DecryptModelArtifacts", () => undefined),
                }),
                mustFail: ["kms.development.kms:Decrypt", "kms.development.kms:DescribeKey"],
            },
            {
                name: "development key policy without the role statement cannot decrypt",
                docs: () => ({
                    ...good,
                    developmentKeyPolicy: editStatement(
                        good.developmentKeyPolicy!,
                        "AllowBedrockExecutionRoleDecrypt",
                        () => undefined,
                    ),
                }),
                mustFail: ["kms.development.kms:Decrypt"],
            },
            {
                name: "development key policy open to any principal of the hosting account",
                docs: () => ({
                    ...good,
                    developmentKeyPolicy: editStatement(
                        good.developmentKeyPolicy!,
                        "AllowBedrockExecutionRoleDecrypt",
                        (s) => ({
                            ...s,
                            Condition: undefined,
                        }),
                    ),
                }),
                mustFail: ["kms.development.other-hosting-role"],
            },
            {
                name: "hosting key policy without the importer's grant statement: Bedrock cannot create its grant",
                docs: () => ({
                    ...good,
                    hostingKeyPolicy: editStatement(
                        good.hostingKeyPolicy!,
                        "AllowModelImporterBedrockGrant",
                        () => undefined,
                    ),
                }),
                mustFail: ["kms.hosting.kms:CreateGrant"],
            },
            {
                name:
                    "importer grant statement without kms:GrantIsForAWSResource lets the importer hand out grants " +
                    "itself",
                docs: () => ({
                    ...good,
                    hostingKeyPolicy: editStatement(good.hostingKeyPolicy!, "AllowModelImporterBedrockGrant", (s) => ({
                        ...s,
                        Condition: { StringEquals: { "kms:ViaService": "bedrock.us-east-1.amazonaws.com" } },
                    })),
                }),
                mustFail: ["kms.hosting.importer.deny.create-grant-direct"],
            },
            {
                name: "importer grant statement without kms:ViaService lets other services take grants",
                docs: () => ({
                    ...good,
                    hostingKeyPolicy: editStatement(good.hostingKeyPolicy!, "AllowModelImporterBedrockGrant", (s) => ({
                        ...s,
                        Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
                    })),
                }),
                mustFail: ["kms.hosting.importer.deny.create-grant-other-service"],
            },
            {
                name: "importer statement without kms:ViaService lets the importer decrypt directly",
                docs: () => ({
                    ...good,
                    hostingKeyPolicy: editStatement(
                        good.hostingKeyPolicy!,
                        "AllowModelImporterUseThroughBedrock",
                        (s) => ({ ...s, Condition: undefined }),
                    ),
                }),
                mustFail: ["kms.hosting.importer.deny.decrypt-direct"],
            },
            {
                name: "importer statement without GenerateDataKey: Bedrock cannot validate the caller",
                docs: () => ({
                    ...good,
                    hostingKeyPolicy: editStatement(
                        good.hostingKeyPolicy!,
                        "AllowModelImporterUseThroughBedrock",
                        (s) => ({
                            ...s,
                            Action: ["kms:DescribeKey", "kms:Decrypt"],
                        }),
                    ),
                }),
                mustFail: ["kms.hosting.kms:GenerateDataKey"],
            },
            {
                // In a key policy the account principal only delegates to IAM: this statement grants the importer
                // nothing.
                name:
                    "importer statements written as hosting root + aws:PrincipalArn grant nothing without an IAM " +
                    "policy",
                docs: () => {
                    const rootForm = (s: PolicyStatement): PolicyStatement => ({
                        ...s,
                        Principal: { AWS: "arn:aws:iam::777788889999:root" },
                        Condition: { ...s.Condition, ArnEquals: { "aws:PrincipalArn": IMPORTER } },
                    });
                    const once = editStatement(good.hostingKeyPolicy!, "AllowModelImporterUseThroughBedrock", rootForm);
                    return {
                        ...good,
                        hostingKeyPolicy: editStatement(once, "AllowModelImporterBedrockGrant", rootForm),
                    };
                },
                mustFail: ["kms.hosting.kms:CreateGrant", "kms.hosting.kms:Decrypt", "kms.hosting.kms:DescribeKey"],
            },
            {
                name: "hosting key policy without the invokers' statement: the models cannot be invoked",
                docs: () => ({
                    ...good,
                    hostingKeyPolicy: editStatement(
                        good.hostingKeyPolicy!,
                        "AllowModelInvokersDecryptThroughBedrock",
                        () => undefined,
                    ),
                }),
                mustFail: [`kms.hosting.invoker:${APP}`, `kms.hosting.invoker:${BATCH}`],
            },
            {
                name: "invokers' statement without kms:ViaService lets them decrypt outside Bedrock",
                docs: () => ({
                    ...good,
                    hostingKeyPolicy: editStatement(
                        good.hostingKeyPolicy!,
                        "AllowModelInvokersDecryptThroughBedrock",
                        (s) => ({ ...s, Condition: undefined }),
                    ),
                }),
                mustFail: [`kms.hosting.invoker-direct:${APP}`, `kms.hosting.invoker-direct:${BATCH}`],
            },
            {
                name: "invokers' statement open to every principal",
                docs: () => ({
                    ...good,
                    hostingKeyPolicy: editStatement(
                        good.hostingKeyPolicy!,
                        "AllowModelInvokersDecryptThroughBedrock",
                        (s) => ({
                            ...s,
                            Principal: { AWS: "*" },
                        }),
                    ),
                }),
                mustFail: ["kms.hosting.other-hosting-role", "kms.hosting.third-account"],
            },
            {
                name:
                    "execution policy granting the hosting key without kms:ViaService lets the role use it outside " +
                    "Bedrock",
                docs: () => ({
                    ...good,
                    executionPolicy: editStatement(good.executionPolicy, "UseImportedModelKeyThroughBedrock", (s) => ({
                        ...s,
                        Condition: undefined,
                    })),
                }),
                mustFail: ["kms.hosting.role.deny.decrypt-direct", "kms.hosting.role.deny.encrypt-other-service"],
            },
            {
                name: "the role's key-policy statement without kms:ViaService lets it use the key outside Bedrock",
                docs: () => ({
                    ...good,
                    hostingKeyPolicy: editStatement(
                        good.hostingKeyPolicy!,
                        "AllowBedrockExecutionRoleUseImportedModelKeyThroughBedrock",
                        (s) => ({
                            ...s,
                            Condition: undefined,
                        }),
                    ),
                }),
                mustFail: ["kms.hosting.role.deny.decrypt-direct"],
            },
            {
                name: "the role's grant statement without kms:GrantIsForAWSResource lets it hand out grants itself",
                docs: () => ({
                    ...good,
                    executionPolicy: editStatement(
                        good.executionPolicy,
                        "LetBedrockGrantItselfImportedModelKey",
                        (s) => ({
                            ...s,
                            Condition: { StringEquals: { "kms:ViaService": "bedrock.us-east-1.amazonaws.com" } },
                        }),
                    ),
                }),
                mustFail: ["kms.hosting.role.deny.create-grant-direct"],
            },
            {
                name:
                    "neither the key policy nor the execution policy names the role: Bedrock cannot use the key as " +
                    "the role",
                docs: () => {
                    const noKeyPolicy = editStatement(
                        good.hostingKeyPolicy!,
                        "AllowBedrockExecutionRoleUseImportedModelKeyThroughBedrock",
                        () => undefined,
                    );
                    return {
                        ...good,
                        hostingKeyPolicy: editStatement(
                            noKeyPolicy,
                            "AllowBedrockExecutionRoleLetBedrockGrantItselfImportedModelKey",
                            () => undefined,
                        ),
                        executionPolicy: editStatement(
                            editStatement(good.executionPolicy, "UseImportedModelKeyThroughBedrock", () => undefined),
                            "LetBedrockGrantItselfImportedModelKey",
                            () => undefined,
                        ),
                    };
                },
                mustFail: [
                    "kms.hosting.role:kms:Encrypt",
                    "kms.hosting.role:kms:Decrypt",
                    "kms.hosting.role:kms:ReEncryptTo",
                    "kms.hosting.role:kms:GenerateDataKey",
                    "kms.hosting.role:kms:DescribeKey",
                    "kms.hosting.role:kms:CreateGrant",
                ],
            },
            {
                name: "hosting key policy without any statement locks out the importer and the invokers",
                docs: () => ({ ...good, hostingKeyPolicy: { ...good.hostingKeyPolicy!, Statement: [] } }),
                mustFail: [
                    "kms.hosting.kms:CreateGrant",
                    "kms.hosting.kms:GenerateDataKey",
                    `kms.hosting.invoker:${APP}`,
                ],
            },
            {
                name: "execution policy granting kms:* on the hosting key lets the role administer it",
                docs: () => ({
                    ...good,
                    executionPolicy: {
                        ...good.executionPolicy,
                        Statement: [
                            ...good.executionPolicy.Statement,
                            { Sid: "Oops", Effect: "Allow", Action: "kms:*", Resource: HOST_KEY },
                        ],
                    },
                }),
                mustFail: ["kms.hosting.deny.kms:ScheduleKeyDeletion", "kms.hosting.deny.kms:PutKeyPolicy"],
            },
            {
                name: "both development-key sides granting kms:* let the role administer it",
                docs: () => ({
                    ...good,
                    executionPolicy: editStatement(good.executionPolicy, "DecryptModelArtifacts", (s) => ({
                        ...s,
                        Action: "kms:*",
                    })),
                    developmentKeyPolicy: editStatement(
                        good.developmentKeyPolicy!,
                        "AllowBedrockExecutionRoleDecrypt",
                        (s) => ({ ...s, Action: "kms:*" }),
                    ),
                }),
                mustFail: ["kms.development.deny.kms:ScheduleKeyDeletion", "kms.development.deny.kms:Encrypt"],
            },
            {
                name: "a missing key policy is an error, not a pass",
                docs: () => {
                    const d: PolicySet = { ...good };
                    delete d.hostingKeyPolicy;
                    return d;
                },
                mustFail: ["kms.hosting.kms:CreateGrant", `kms.hosting.invoker:${APP}`],
            },
        ];

        it("the unbroken documents pass", async () => {
            expect(failing(await evaluateAccess(p, good))).to.deep.equal([]);
        });

        for (const c of cases) {
            it(c.name, async () => {
                const failed = failing(await evaluateAccess(p, c.docs()));
                expect(failed).to.include.members(c.mustFail);
            });
        }
    });

    describe("importer the program does not know (no modelHosting.assumeRoleArn): importerIdentityPolicy", () => {
        // The key policy cannot name an unknown deployer, so it keeps only the root statement (plus invokers) and the
        // deployer gets its key permissions from IAM. The rows are judged for a stand-in deployer role.
        const known = fullParams();
        const unknown: AccessParams = { ...known };
        delete unknown.importerArn;
        const docs = builtDocs(unknown);
        const importerRows = (results: AccessResult[]) =>
            results.filter((r) => r.principal === IMPORTER && r.id.startsWith("kms.hosting."));

        it("the key policy names no importer", () => {
            expect(docs.hostingKeyPolicy!.Statement.map((s) => s.Sid)).to.deep.equal([
                "EnableRootAccountAdministration",
                "AllowBedrockExecutionRoleUseImportedModelKeyThroughBedrock",
                "AllowBedrockExecutionRoleLetBedrockGrantItselfImportedModelKey",
                "AllowModelInvokersDecryptThroughBedrock",
            ]);
        });

        it("with importerIdentityPolicy attached, the deployer can do exactly what the import needs", async () => {
            const results = await evaluateAccess(known, docs, {
                importerIdentityPolicy: importerIdentityPolicy(unknown),
            });
            expect(importerRows(results).map((r) => r.id)).to.have.length(7);
            expect(failing(results)).to.deep.equal([]);
        });

        it("without it, the deployer is refused (the root statement only delegates to IAM)", async () => {
            const results = await evaluateAccess(known, docs);
            expect(failing(results)).to.include.members([
                "kms.hosting.kms:CreateGrant",
                "kms.hosting.kms:GenerateDataKey",
                "kms.hosting.kms:Decrypt",
            ]);
        });

        it("an identity policy without the conditions is caught", async () => {
            const loose = importerIdentityPolicy(unknown);
            const policy = {
                ...loose,
                Statement: loose.Statement.map((s) =>
                    s.Sid === "UseHostingKeyThroughBedrock" || s.Sid === "LetBedrockGrantItselfTheHostingKey"
                        ? { ...s, Condition: undefined }
                        : s,
                ),
            };
            const failed = failing(await evaluateAccess(known, docs, { importerIdentityPolicy: policy }));
            expect(failed).to.include.members([
                "kms.hosting.importer.deny.create-grant-direct",
                "kms.hosting.importer.deny.create-grant-other-service",
                "kms.hosting.importer.deny.decrypt-direct",
            ]);
        });
    });
});
