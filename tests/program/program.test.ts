// The whole program under Pulumi's mocks, one run per config: every AWS resource, its exact inputs,
// and the account (explicit provider) that creates it.

import { expect } from "chai";
import { IMPORTED_MODEL_PROVIDER_VERSION, type ImportedModelInputs } from "../../components/dynamic/importedModel";
import { importJobPrefix } from "../../components/dynamic/importSweeper";
import { sidPrefixFor, versionedModelName } from "../../components/naming";
import { parseStackConfig } from "../../components/config/stackConfig";
import {
    accessParams,
    bucketPolicy,
    developmentKeyPolicy,
    executionPolicy,
    hostingKeyPolicy,
    trustPolicy,
} from "../../components/policies/statements";
import { invokerIdentityPolicy } from "../../components/policies/invoker";
import { prefixedStatements } from "../../components/policies/document";
import { contractConfig, json, runProgram, type ProgramRun, type RecordedResource } from "../helpers/programHarness";

type Config = ReturnType<typeof contractConfig>;
const DEV = "model-development";
const HOST = "model-hosting";
// Pulumi (logical) names: no stack in them. C: the stack's component name, in physical names (aliases, grant,
// description).
const P = "bedrock-cmi";
const C = "bedrock-cmi-test";
const BUCKET_POLICY_TYPE = "pulumi-nodejs:dynamic/bedrock:BucketPolicyStatements";
/** The Sid prefix of this component in stack "test": the program derives it the same way. */
// Both single-stack fixtures deploy to hosting account 777788889999: the prefix names that deployment.
const SID_PREFIX = sidPrefixFor("bedrock-cross-account-import", "test", C, { hostingAccountId: "777788889999" });

function awsResources(run: ProgramRun): RecordedResource[] {
    return run.resources.filter((r) => r.type.startsWith("aws:"));
}

function one(run: ProgramRun, type: string, name: string): RecordedResource {
    const found = run.resources.filter((r) => r.type === type && r.name === name);
    expect(found, `${type} ${name}`).to.have.length(1);
    return found[0];
}

/** [type, name, provider] of every AWS resource, sorted, for an exact comparison of the set. */
function inventory(run: ProgramRun): string[] {
    return awsResources(run)
        .map((r) => `${r.type} ${r.name} @${r.providerName}`)
        .sort();
}

function withPolicies(inputs: Record<string, unknown>, ...keys: string[]): Record<string, unknown> {
    const copy = { ...inputs };
    for (const k of keys) copy[k] = json(copy[k]);
    return copy;
}

function devBucketInventory(): string[] {
    return [
        `aws:s3/bucket:Bucket ${P}-artifacts @${DEV}`,
        `aws:s3/bucketOwnershipControls:BucketOwnershipControls ${P}-artifacts-ownership @${DEV}`,
        `aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock ${P}-artifacts-public-access @${DEV}`,
        `aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration ${P}-artifacts-encryption ` +
            `@${DEV}`,
        `aws:s3/bucketVersioning:BucketVersioning ${P}-artifacts-versioning @${DEV}`,
    ];
}

/** Hosting-account resources: the role and its policy, and one SSM pointer per model. */
function hostingInventory(models: readonly string[] = ["mistral-777788889999-01"]): string[] {
    return [
        ...models.map((m) => `aws:ssm/parameter:Parameter ${P}-${m}-pointer @${HOST}`),
        `aws:iam/policy:Policy ${P}-execution-policy @${HOST}`,
        `aws:iam/role:Role ${P}-execution-role @${HOST}`,
        `aws:iam/rolePolicyAttachment:RolePolicyAttachment ${P}-execution-policy-attachment @${HOST}`,
    ];
}

const KEYS = [
    `aws:kms/alias:Alias ${P}-artifacts-key-alias @${DEV}`,
    `aws:kms/alias:Alias ${P}-imported-models-key-alias @${HOST}`,
    `aws:kms/key:Key ${P}-artifacts-key @${DEV}`,
    `aws:kms/key:Key ${P}-imported-models-key @${HOST}`,
];

describe("program under mocks", function () {
    this.timeout(30000);

    describe("dev stack (no KMS, bucket created)", () => {
        let run: ProgramRun;
        const config = contractConfig("dev");
        const params = accessParams(parseStackConfig(config));
        before(async () => {
            run = await runProgram(config);
        });

        it("loads without error and calls no data source", () => {
            expect(run.error).to.equal(undefined);
            expect(run.invokes).to.deep.equal([]);
        });

        it("creates exactly the expected AWS resources, each in its account", () => {
            expect(inventory(run)).to.deep.equal([...hostingInventory(), ...devBucketInventory()].sort());
        });

        it("every AWS resource names an explicit provider and is a child of the component", () => {
            const component = one(run, "bedrock-cmi:index:CrossAccountModelImport", P);
            for (const r of awsResources(run)) {
                expect(r.providerName, r.name).to.be.oneOf([DEV, HOST]);
                expect(r.parentUrn, r.name).to.equal(component.urn);
            }
        });

        it("builds one provider per account, pinned with allowedAccountIds, with profile and default tags", () => {
            const tags = {
                tags: { ManagedBy: "pulumi", PulumiProject: "bedrock-cross-account-import", PulumiStack: "test" },
            };
            const dev = one(run, "pulumi:providers:aws", DEV).inputs;
            expect(json(dev.allowedAccountIds)).to.deep.equal(["111122223333"]);
            expect(dev.region).to.equal("us-east-1");
            expect(dev.profile).to.equal("model-development");
            expect(dev.assumeRoles).to.equal(undefined);
            expect(json(dev.defaultTags)).to.deep.equal(tags);
            const host = one(run, "pulumi:providers:aws", HOST).inputs;
            expect(json(host.allowedAccountIds)).to.deep.equal(["777788889999"]);
            expect(host.profile).to.equal("model-hosting");
            expect(json(host.defaultTags)).to.deep.equal(tags);
        });

        it("artifact bucket: private, owner-enforced, SSE-S3, versioned, not force-destroyed", () => {
            expect(one(run, "aws:s3/bucket:Bucket", `${P}-artifacts`).inputs).to.deep.equal({
                bucket: "model-artifacts-111122223333",
                forceDestroy: false,
            });
            const bucket = "model-artifacts-111122223333";
            expect(
                one(run, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", `${P}-artifacts-public-access`)
                    .inputs,
            ).to.deep.equal({
                bucket,
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            });
            expect(
                one(run, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", `${P}-artifacts-ownership`).inputs,
            ).to.deep.equal({
                bucket,
                rule: { objectOwnership: "BucketOwnerEnforced" },
            });
            expect(
                one(
                    run,
                    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                    `${P}-artifacts-encryption`,
                ).inputs,
            ).to.deep.equal({
                bucket,
                rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
            });
            expect(
                one(run, "aws:s3/bucketVersioning:BucketVersioning", `${P}-artifacts-versioning`).inputs,
            ).to.deep.equal({
                bucket,
                versioningConfiguration: { status: "Enabled" },
            });
        });

        it(
            "bucket policy: the builder's statements under this stack's Sid prefix, merged with development " +
                "credentials, after public access block and ownership controls",
            () => {
                const policy = one(run, BUCKET_POLICY_TYPE, `${P}-artifacts-policy`);
                const { __provider, providerVersion, ...inputs } = policy.inputs;
                expect(__provider, "the serialized provider travels with the resource").to.be.a("string");
                expect(providerVersion).to.match(/^[0-9a-f]{16}$/);
                expect(inputs).to.deep.equal({
                    accountId: "111122223333",
                    region: "us-east-1",
                    profile: "model-development",
                    bucket: "model-artifacts-111122223333",
                    sidPrefix: SID_PREFIX,
                    statements: prefixedStatements(bucketPolicy(params).Statement, SID_PREFIX),
                });
                const pab = one(
                    run,
                    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
                    `${P}-artifacts-public-access`,
                );
                const own = one(
                    run,
                    "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
                    `${P}-artifacts-ownership`,
                );
                const bucket = one(run, "aws:s3/bucket:Bucket", `${P}-artifacts`);
                expect(policy.dependencies).to.include.members([pab.urn, own.urn, bucket.urn]);
                // Never an aws.Provider (a dynamic resource runs with its inputs' credentials); still a child of the
                // component.
                expect(policy.providerName ?? "").not.to.match(/model-(development|hosting)/);
                expect(policy.parentUrn).to.equal(one(run, "bedrock-cmi:index:CrossAccountModelImport", P).urn);
            },
        );

        it("execution role, policy and attachment in the hosting account", () => {
            expect(
                withPolicies(one(run, "aws:iam/role:Role", `${P}-execution-role`).inputs, "assumeRolePolicy"),
            ).to.deep.equal({
                name: "BedrockCMIExecutionRole-777788889999",
                description:
                    "Assumed by Amazon Bedrock import jobs to read model artifacts from " +
                    "s3://model-artifacts-111122223333 in account 111122223333",
                assumeRolePolicy: trustPolicy(params),
            });
            expect(
                withPolicies(one(run, "aws:iam/policy:Policy", `${P}-execution-policy`).inputs, "policy"),
            ).to.deep.equal({
                name: "BedrockCMIExecutionPolicy-777788889999",
                description:
                    "Least-privilege access of the Bedrock Custom Model Import execution role to the model artifacts",
                policy: executionPolicy(params),
            });
            expect(
                one(run, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", `${P}-execution-policy-attachment`)
                    .inputs,
            ).to.deep.equal({
                role: "BedrockCMIExecutionRole-777788889999",
                policyArn: "arn:aws:iam::777788889999:policy/BedrockCMIExecutionPolicy-777788889999",
            });
        });

        it("exports what a user needs, including the manual import command", () => {
            expect(run.outputs).to.include({
                developmentAccountId: "111122223333",
                hostingAccountId: "777788889999",
                hostingRegion: "us-east-1",
                bucketName: "model-artifacts-111122223333",
                bucketArn: "arn:aws:s3:::model-artifacts-111122223333",
                executionRoleArn: "arn:aws:iam::777788889999:role/BedrockCMIExecutionRole-777788889999",
                executionRoleName: "BedrockCMIExecutionRole-777788889999",
                executionPolicyArn: "arn:aws:iam::777788889999:policy/BedrockCMIExecutionPolicy-777788889999",
            });
            expect(run.outputs.developmentKeyArn).to.equal(undefined);
            expect(run.outputs.hostingKeyArn).to.equal(undefined);
            const models = run.outputs.models as Array<Record<string, unknown>>;
            expect(models).to.have.length(1);
            const bedrockName = versionedModelName("mistral-777788889999-01", {
                s3Uri: "s3://model-artifacts-111122223333/mistral-model-weights/",
                modelKey: "aws-owned",
            });
            expect(bedrockName).to.match(/^mistral-777788889999-01-[0-9a-f]{6}$/);
            expect(models[0]).to.include({
                name: "mistral-777788889999-01",
                modelName: bedrockName,
                s3Uri: "s3://model-artifacts-111122223333/mistral-model-weights/",
                pointerParameterName: "/bedrock-cmi/test/mistral-777788889999-01/model-arn",
            });
            expect(models[0].manualImportCommand).to.equal(
                `aws bedrock create-model-import-job --job-name ${bedrockName}-manual-1 --imported-model-name ` +
                    `${bedrockName} ` +
                    "--role-arn arn:aws:iam::777788889999:role/BedrockCMIExecutionRole-777788889999 " +
                    `--model-data-source ` +
                    `'{"s3DataSource":{"s3Uri":"s3://model-artifacts-111122223333/mistral-model-weights/"}}' ` +
                    `--region us-east-1 --profile model-hosting`,
            );
        });

        it(
            "for apps: the model by its config name, the invoker's policy, and an invoke example that reads the " +
                "pointer",
            () => {
                const model = (run.outputs.models as Array<{ modelArn: string }>)[0];
                expect(model.modelArn).to.match(/^arn:aws:bedrock:us-east-1:777788889999:imported-model\//);
                const pointer = "/bedrock-cmi/test/mistral-777788889999-01/model-arn";
                expect(run.outputs.modelsByName).to.deep.equal({
                    "mistral-777788889999-01": {
                        modelArn: model.modelArn,
                        pointerParameterName: pointer,
                        region: "us-east-1",
                    },
                });
                expect(run.outputs.invokerPolicy).to.deep.equal(
                    invokerIdentityPolicy(params, { pointerParameterNames: [pointer], modelArns: [model.modelArn] }),
                );
                expect(JSON.stringify(run.outputs.invokerPolicy)).not.to.include("kms:");
                expect((run.outputs.models as Array<{ invokeExample: string }>)[0].invokeExample).to.equal(
                    `MODEL_ARN=$(aws ssm get-parameter --name ${pointer} --query Parameter.Value --output text ` +
                        `--region us-east-1 --profile model-hosting) && ` +
                        `aws bedrock-runtime invoke-model --model-id "$MODEL_ARN" --body '{"prompt":"Hello, who are ` +
                        `you?","max_tokens":128,"temperature":0.5}' ` +
                        "--cli-binary-format raw-in-base64-out --region us-east-1 --profile model-hosting " +
                        "invoke-output.json",
                );
            },
        );
    });

    describe("prod stack (KMS on both sides, assumed deployer roles)", () => {
        let run: ProgramRun;
        const config = contractConfig("prod");
        before(async () => {
            run = await runProgram(config);
        });

        it("adds a key and alias per account", () => {
            expect(run.error).to.equal(undefined);
            expect(inventory(run)).to.deep.equal(
                [...hostingInventory(["mistral-prod-01"]), ...devBucketInventory(), ...KEYS].sort(),
            );
        });

        it("keys: rotation on, 30-day deletion window, the builders' key policies, aliases per stack", () => {
            const params = accessParams(parseStackConfig(config));
            const devKey = one(run, "aws:kms/key:Key", `${P}-artifacts-key`);
            expect(withPolicies(devKey.inputs, "policy")).to.deep.equal({
                description:
                    "Encrypts Bedrock model artifacts in s3://model-artifacts-prod-111122223333; decryptable by " +
                    "arn:aws:iam::777788889999:role/BedrockCMIExecutionRole-prod",
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                policy: developmentKeyPolicy(params),
            });
            const hostKey = one(run, "aws:kms/key:Key", `${P}-imported-models-key`);
            expect(withPolicies(hostKey.inputs, "policy")).to.deep.equal({
                description:
                    `Encrypts Bedrock imported models of stack ${C}; used through Bedrock by the execution role, the ` +
                    `importing identity and the configured invokers`,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                policy: hostingKeyPolicy(params),
            });
            expect(one(run, "aws:kms/alias:Alias", `${P}-artifacts-key-alias`).inputs).to.deep.equal({
                name: `alias/${C}-artifacts`,
                targetKeyId: `key-${P}-artifacts-key`,
            });
            expect(one(run, "aws:kms/alias:Alias", `${P}-imported-models-key-alias`).inputs).to.deep.equal({
                name: `alias/${C}-imported-models`,
                targetKeyId: `key-${P}-imported-models-key`,
            });
        });

        it("bucket encrypted with the development key (SSE-KMS, bucket key)", () => {
            expect(
                one(
                    run,
                    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                    `${P}-artifacts-encryption`,
                ).inputs.rules,
            ).to.deep.equal([
                {
                    applyServerSideEncryptionByDefault: {
                        sseAlgorithm: "aws:kms",
                        kmsMasterKeyId: `arn:aws:kms:us-east-1:111122223333:key/key-${P}-artifacts-key`,
                    },
                    bucketKeyEnabled: true,
                },
            ]);
        });

        it("execution policy grants the key actions on the exact key ARNs", () => {
            const params = accessParams(parseStackConfig(config), {
                developmentKeyArn: `arn:aws:kms:us-east-1:111122223333:key/key-${P}-artifacts-key`,
                hostingKeyArn: `arn:aws:kms:us-east-1:777788889999:key/key-${P}-imported-models-key`,
            });
            const policy = one(run, "aws:iam/policy:Policy", `${P}-execution-policy`);
            expect(json(policy.inputs.policy)).to.deep.equal(executionPolicy(params));
            const keys = run.resources.filter((r) => r.type === "aws:kms/key:Key").map((r) => r.urn);
            expect(policy.dependencies).to.include.members(keys);
        });

        it("providers assume the configured deployer role in each account", () => {
            expect(json(one(run, "pulumi:providers:aws", DEV).inputs.assumeRoles)).to.deep.equal([
                { roleArn: "arn:aws:iam::111122223333:role/bedrock-cmi-deployer", sessionName: "bedrock-cmi-test" },
            ]);
            expect(json(one(run, "pulumi:providers:aws", HOST).inputs.assumeRoles)).to.deep.equal([
                { roleArn: "arn:aws:iam::777788889999:role/bedrock-cmi-deployer", sessionName: "bedrock-cmi-test" },
            ]);
            // The bucket-policy resource gets the same development credentials as inputs.
            expect(one(run, BUCKET_POLICY_TYPE, `${P}-artifacts-policy`).inputs).to.deep.include({
                accountId: "111122223333",
                profile: "model-development",
                assumeRoleArn: "arn:aws:iam::111122223333:role/bedrock-cmi-deployer",
            });
            expect(run.outputs.developmentKeyArn).to.equal(
                `arn:aws:kms:us-east-1:111122223333:key/key-${P}-artifacts-key`,
            );
            expect(run.outputs.hostingKeyArn).to.equal(
                `arn:aws:kms:us-east-1:777788889999:key/key-${P}-imported-models-key`,
            );
            expect((run.outputs.models as Array<{ manualImportCommand: string }>)[0].manualImportCommand).to.include(
                `--imported-model-kms-key-id arn:aws:kms:us-east-1:777788889999:key/key-${P}-imported-models-key`,
            );
        });

        it(
            "for apps: the invoker decrypts with the hosting key through Bedrock; the example assumes the hosting " +
                "deployer role first",
            () => {
                const hostKey = `arn:aws:kms:us-east-1:777788889999:key/key-${P}-imported-models-key`;
                const policy = run.outputs.invokerPolicy as {
                    Statement: Array<{ Sid: string; Resource: unknown; Condition?: unknown }>;
                };
                expect(policy.Statement.find((st) => st.Sid === "DecryptImportedModelsThroughBedrock")).to.deep.include(
                    {
                        Resource: hostKey,
                        Condition: { StringEquals: { "kms:ViaService": "bedrock.us-east-1.amazonaws.com" } },
                    },
                );
                const example = (run.outputs.models as Array<{ invokeExample: string }>)[0].invokeExample;
                expect(example).to.match(
                    /^\( CREDS=\$\(aws sts assume-role --role-arn arn:aws:iam::777788889999:role\/bedrock-cmi-deployer --role-session-name bedrock-cmi-invoke .* --profile model-hosting\) && /,
                );
                // With the role's keys in the environment, no --profile after the assume (it would take precedence).
                expect(example.split("AWS_SESSION_TOKEN")[1]).not.to.include("--profile");
                expect(example).to.include("--name /bedrock-cmi/test/mistral-prod-01/model-arn");
            },
        );
    });

    describe("variants", () => {
        it(
            "renaming the execution role (case-only too) leaves the execution policy's replace-on-change inputs as " +
                "they were",
            async () => {
                const inputsOf = async (roleName: string) => {
                    const config: Config = contractConfig("dev");
                    config.modelHosting.executionRoleName = roleName;
                    const run = await runProgram(config);
                    expect(run.error).to.equal(undefined);
                    return one(run, "aws:iam/policy:Policy", `${P}-execution-policy`);
                };
                const before = await inputsOf("BedrockCMIExecutionRole-777788889999");
                for (const renamed of ["BedrockCMIExecutionRole-renamed", "bedrockcmiexecutionrole-777788889999"]) {
                    const after = await inputsOf(renamed);
                    // IAM replaces a policy on a new name or description (both immutable); the role's name is in neither.
                    expect(after.inputs.name).to.equal(before.inputs.name);
                    expect(after.inputs.description).to.equal(before.inputs.description);
                }
                // Stacks deployed while the description named the role keep it: a difference must not replace the policy.
                expect(before.options.ignoreChanges).to.deep.equal(["description"]);
            },
        );

        it(
            "logical names do not name the stack, and each resource's alias names it as the release before did " +
                "(stack renames replace nothing)",
            async () => {
                const run = await runProgram(contractConfig("dev"));
                const ours = run.resources.filter(
                    (r) =>
                        r.type === "bedrock-cmi:index:CrossAccountModelImport" ||
                        r.parentUrn === one(run, "bedrock-cmi:index:CrossAccountModelImport", P).urn,
                );
                expect(ours.length).to.be.greaterThan(10);
                for (const r of ours) {
                    expect(r.name, r.type)
                        .to.match(/^bedrock-cmi(-|$)/)
                        .and.not.include("test");
                    expect(r.options.aliasNames, r.name).to.deep.equal([`${C}${r.name.slice(P.length)}`]);
                }
            },
        );

        it(
            "a rename of the role or the policy (case-only too) replaces it delete-first: IAM names are not " +
                "distinguished by case",
            async () => {
                const run = await runProgram(contractConfig("dev"));
                expect(one(run, "aws:iam/role:Role", `${P}-execution-role`).options.deleteBeforeReplace).to.equal(true);
                expect(one(run, "aws:iam/policy:Policy", `${P}-execution-policy`).options.deleteBeforeReplace).to.equal(
                    true,
                );
                // Every import waits for the role, the policy, the attachment and the bucket statements.
                const model = run.resources.find((r) => r.type === "pulumi-nodejs:dynamic/bedrock:ImportedModel")!;
                for (const [type, name] of [
                    ["aws:iam/role:Role", `${P}-execution-role`],
                    ["aws:iam/policy:Policy", `${P}-execution-policy`],
                    ["aws:iam/rolePolicyAttachment:RolePolicyAttachment", `${P}-execution-policy-attachment`],
                    [BUCKET_POLICY_TYPE, `${P}-artifacts-policy`],
                ]) {
                    expect(model.dependencies, name).to.include(one(run, type, name).urn);
                }
            },
        );

        it("existing bucket: only this stack's statements in its policy are managed in the development account", async () => {
            const config: Config = contractConfig("dev");
            (config.modelDevelopment.artifactBucket as Record<string, unknown>).create = false;
            const run = await runProgram(config);
            expect(run.error).to.equal(undefined);
            expect(inventory(run)).to.deep.equal(hostingInventory().sort());
            const policy = one(run, BUCKET_POLICY_TYPE, `${P}-artifacts-policy`);
            expect(policy.inputs.bucket).to.equal("model-artifacts-111122223333");
            expect(policy.inputs.sidPrefix).to.equal(SID_PREFIX);
            expect(run.outputs.bucketName).to.equal("model-artifacts-111122223333");
        });

        it(
            "the research team's existing key: a grant for the execution role in the development account, no key " +
                "created, no key policy edited",
            async () => {
                const config: Config = contractConfig("dev");
                (config.modelDevelopment.artifactBucket as Record<string, unknown>).create = false;
                const keyArn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
                config.modelDevelopment.kms = { keyArn };
                const run = await runProgram(config);
                expect(run.error).to.equal(undefined);
                expect(awsResources(run).filter((r) => r.type === "aws:kms/key:Key")).to.have.length(0);
                const grant = one(run, "aws:kms/grant:Grant", `${P}-artifacts-key-grant`);
                expect(grant.providerName).to.equal(DEV);
                expect(grant.inputs).to.deep.equal({
                    name: `${C}-execution-role`,
                    keyId: keyArn,
                    granteePrincipal: "arn:aws:iam::777788889999:role/BedrockCMIExecutionRole-777788889999",
                    operations: ["Decrypt", "DescribeKey"],
                });
                const role = one(run, "aws:iam/role:Role", `${P}-execution-role`);
                expect(grant.dependencies).to.include(role.urn);
                const policy = json(one(run, "aws:iam/policy:Policy", `${P}-execution-policy`).inputs.policy) as {
                    Statement: Array<{ Sid: string; Action: unknown; Resource: unknown }>;
                };
                expect(policy.Statement.find((st) => st.Sid === "DecryptModelArtifacts")).to.deep.include({
                    Action: ["kms:Decrypt", "kms:DescribeKey"],
                    Resource: keyArn,
                });
                expect(run.outputs.developmentKeyArn).to.equal(keyArn);
                const models = run.resources.filter((r) => r.type === "pulumi-nodejs:dynamic/bedrock:ImportedModel");
                expect(models[0].dependencies).to.include(grant.urn);
            },
        );

        it("development key only: hosting account gets no key and the policy no hosting-key statement", async () => {
            const config: Config = contractConfig("dev");
            config.modelDevelopment.kms = { enabled: true };
            const run = await runProgram(config);
            expect(inventory(run)).to.deep.equal(
                [...hostingInventory(), ...devBucketInventory(), KEYS[0], KEYS[2]].sort(),
            );
            const sids = (
                json(one(run, "aws:iam/policy:Policy", `${P}-execution-policy`).inputs.policy) as {
                    Statement: Array<{ Sid: string }>;
                }
            ).Statement.map((s) => s.Sid);
            expect(sids).to.deep.equal(["ListModelArtifactBucket", "ReadModelArtifacts", "DecryptModelArtifacts"]);
        });

        it("hosting key only", async () => {
            const config: Config = contractConfig("dev");
            config.modelHosting.kms = { enabled: true };
            const run = await runProgram(config);
            expect(inventory(run)).to.deep.equal(
                [...hostingInventory(), ...devBucketInventory(), KEYS[1], KEYS[3]].sort(),
            );
        });

        it("three models: every prefix readable, nothing else", async () => {
            const config: Config = contractConfig("dev");
            config.models = [
                { name: "mistral-01", s3Prefix: "mistral-model-weights/" },
                { name: "llama-01", s3Prefix: "llama/3.1-8b" },
                { name: "qwen_01", s3Prefix: "qwen/2.5/", tags: { team: "research" } },
            ];
            const run = await runProgram(config);
            expect(run.error).to.equal(undefined);
            expect(inventory(run)).to.deep.equal(
                [...hostingInventory(["mistral-01", "llama-01", "qwen_01"]), ...devBucketInventory()].sort(),
            );
            const objects = [
                "arn:aws:s3:::model-artifacts-111122223333/mistral-model-weights/*",
                "arn:aws:s3:::model-artifacts-111122223333/llama/3.1-8b/*",
                "arn:aws:s3:::model-artifacts-111122223333/qwen/2.5/*",
            ];
            const bp = one(run, BUCKET_POLICY_TYPE, `${P}-artifacts-policy`).inputs.statements as Array<{
                Sid: string;
                Resource: unknown;
            }>;
            expect(
                bp.find((s) => s.Sid === `${SID_PREFIX}AllowBedrockExecutionRoleReadModels`)?.Resource,
            ).to.deep.equal(objects);
            const ep = json(one(run, "aws:iam/policy:Policy", `${P}-execution-policy`).inputs.policy) as {
                Statement: Array<{ Sid: string; Resource: unknown }>;
            };
            expect(ep.Statement.find((s) => s.Sid === "ReadModelArtifacts")?.Resource).to.deep.equal(objects);
            expect(
                (run.outputs.models as Array<{ name: string; s3Uri: string }>).map((m) => [m.name, m.s3Uri]),
            ).to.deep.equal([
                ["mistral-01", "s3://model-artifacts-111122223333/mistral-model-weights/"],
                ["llama-01", "s3://model-artifacts-111122223333/llama/3.1-8b/"],
                ["qwen_01", "s3://model-artifacts-111122223333/qwen/2.5/"],
            ]);
            // Keyed by config name, each with its own model and pointer; the invoker policy names all three models.
            const byName = run.outputs.modelsByName as Record<
                string,
                { modelArn: string; pointerParameterName: string; region: string }
            >;
            expect(Object.keys(byName)).to.deep.equal(["mistral-01", "llama-01", "qwen_01"]);
            expect(new Set(Object.values(byName).map((m) => m.modelArn)).size).to.equal(3);
            for (const [name, m] of Object.entries(byName)) {
                expect(m.pointerParameterName).to.equal(`/bedrock-cmi/test/${name}/model-arn`);
                expect(m.region).to.equal("us-east-1");
            }
            const invoke = (
                run.outputs.invokerPolicy as { Statement: Array<{ Sid: string; Resource: unknown }> }
            ).Statement.find((st) => st.Sid === "InvokeImportedModels");
            expect(invoke?.Resource).to.deep.equal(Object.values(byName).map((m) => m.modelArn));
            // Job names allow no "_": the manual command's job name replaces it.
            const qwen = versionedModelName("qwen_01", {
                s3Uri: "s3://model-artifacts-111122223333/qwen/2.5/",
                modelKey: "aws-owned",
            });
            expect((run.outputs.models as Array<{ manualImportCommand: string }>)[2].manualImportCommand).to.include(
                `--job-name ${qwen.replace("_", "-")}-manual-1 --imported-model-name ${qwen} `,
            );
        });

        it("assume-role credentials without profiles; other accounts, region and names", async () => {
            const config: Config = {
                modelDevelopment: {
                    accountId: "210987654321",
                    region: "eu-west-1",
                    assumeRoleArn: "arn:aws:iam::210987654321:role/ci-deployer",
                    artifactBucket: { name: "ml-weights-eu", create: true },
                },
                modelHosting: {
                    accountId: "123456789012",
                    region: "eu-central-1",
                    assumeRoleArn: "arn:aws:iam::123456789012:role/ci-deployer",
                    executionRoleName: "CmiImportRole",
                },
                models: [{ name: "m1", s3Prefix: "m1" }],
            };
            const run = await runProgram(config);
            expect(run.error).to.equal(undefined);
            const dev = one(run, "pulumi:providers:aws", DEV).inputs;
            expect(dev.profile).to.equal(undefined);
            expect(dev.region).to.equal("eu-west-1");
            expect(json(dev.allowedAccountIds)).to.deep.equal(["210987654321"]);
            expect(json(dev.assumeRoles)).to.deep.equal([
                { roleArn: "arn:aws:iam::210987654321:role/ci-deployer", sessionName: "bedrock-cmi-test" },
            ]);
            const host = one(run, "pulumi:providers:aws", HOST).inputs;
            expect(host.region).to.equal("eu-central-1");
            expect(json(host.allowedAccountIds)).to.deep.equal(["123456789012"]);
            expect(one(run, "aws:iam/policy:Policy", `${P}-execution-policy`).inputs.name).to.equal("CmiImportPolicy");
            const trust = json(one(run, "aws:iam/role:Role", `${P}-execution-role`).inputs.assumeRolePolicy) as {
                Statement: Array<{ Condition: { ArnEquals: Record<string, string> } }>;
            };
            expect(trust.Statement[0].Condition.ArnEquals["aws:SourceArn"]).to.equal(
                "arn:aws:bedrock:eu-central-1:123456789012:model-import-job/*",
            );
        });

        it("troubleshooting principals add the operator trust statement; none by default", async () => {
            const config: Config = contractConfig("dev");
            config.modelHosting.troubleshooting = { allowAssumeFrom: ["arn:aws:iam::777788889999:role/Ops"] };
            const run = await runProgram(config);
            const trust = json(one(run, "aws:iam/role:Role", `${P}-execution-role`).inputs.assumeRolePolicy) as {
                Statement: Array<{ Sid: string }>;
            };
            expect(trust.Statement.map((s) => s.Sid)).to.deep.equal([
                "AllowBedrockModelImportJobs",
                "AllowOperatorTroubleshooting",
            ]);
        });
    });

    describe("imported models (dynamic provider resources)", () => {
        const MODEL_TYPE = "pulumi-nodejs:dynamic/bedrock:ImportedModel";
        const tags = { ManagedBy: "pulumi", PulumiProject: "bedrock-cross-account-import", PulumiStack: "test" };

        function withoutProvider(inputs: Record<string, unknown>): Record<string, unknown> {
            const { __provider, ...rest } = inputs;
            expect(__provider, "the serialized provider travels with the resource").to.be.a("string");
            return rest;
        }

        it("one per model, in order, each after all access resources and the previous model", async () => {
            const config: Config = contractConfig("prod");
            config.models = [
                { name: "mistral-01", s3Prefix: "mistral-model-weights/", tags: { team: "hosting" } },
                { name: "llama-01", s3Prefix: "llama/" },
                { name: "qwen-01", s3Prefix: "qwen/", tags: { team: "research" } },
            ];
            const run = await runProgram(config);
            expect(run.error).to.equal(undefined);
            const models = run.resources.filter((r) => r.type === MODEL_TYPE);
            expect(models.map((m) => m.name)).to.have.members([`${P}-mistral-01`, `${P}-llama-01`, `${P}-qwen-01`]);
            const component = one(run, "bedrock-cmi:index:CrossAccountModelImport", P);
            const urnOf = (type: string, name: string) => one(run, type, name).urn;
            const access = [
                urnOf(BUCKET_POLICY_TYPE, `${P}-artifacts-policy`),
                urnOf("aws:iam/role:Role", `${P}-execution-role`),
                urnOf("aws:iam/policy:Policy", `${P}-execution-policy`),
                urnOf("aws:iam/rolePolicyAttachment:RolePolicyAttachment", `${P}-execution-policy-attachment`),
                urnOf("aws:kms/key:Key", `${P}-artifacts-key`),
                urnOf("aws:kms/key:Key", `${P}-imported-models-key`),
            ];
            const byName = (n: string) => one(run, MODEL_TYPE, `${P}-${n}`);
            expect(byName("mistral-01").dependencies).to.include.members(access);
            expect(byName("llama-01").dependencies).to.include.members([...access, byName("mistral-01").urn]);
            expect(byName("qwen-01").dependencies).to.include.members([...access, byName("llama-01").urn]);
            expect(byName("mistral-01").dependencies).not.to.include(byName("llama-01").urn);
            for (const m of models) {
                expect(m.parentUrn).to.equal(component.urn);
                // Never an aws.Provider: the dynamic provider runs with the inputs' credentials.
                expect(m.providerName ?? "").not.to.match(/model-(development|hosting)/);
            }
            expect(withoutProvider(byName("mistral-01").inputs)).to.deep.equal({
                accountId: "777788889999",
                region: "us-east-1",
                profile: "model-hosting",
                assumeRoleArn: "arn:aws:iam::777788889999:role/bedrock-cmi-deployer",
                // The key's ARN versions the name: a new key is a new name, re-imported new-first.
                modelName: versionedModelName("mistral-01", {
                    s3Uri: "s3://model-artifacts-prod-111122223333/mistral-model-weights/",
                    modelKey: `arn:aws:kms:us-east-1:777788889999:key/key-${P}-imported-models-key`,
                }),
                baseName: "mistral-01",
                configPath: "models[0]",
                roleArn: "arn:aws:iam::777788889999:role/BedrockCMIExecutionRole-prod",
                s3Uri: "s3://model-artifacts-prod-111122223333/mistral-model-weights/",
                kmsKeyArn: `arn:aws:kms:us-east-1:777788889999:key/key-${P}-imported-models-key`,
                tags: { ...tags, team: "hosting" },
                owner: "bedrock-cross-account-import/test@777788889999",
                providerVersion: IMPORTED_MODEL_PROVIDER_VERSION,
                stackName: "test",
            });
            // The defaults and the model's own tags together (a model tag may not replace a default: the config refuses
            // it).
            expect(byName("qwen-01").inputs.tags).to.deep.equal({ ...tags, team: "research" });
        });

        it(
            "one import sweeper per stack: hosting-account inputs, every model's job-name prefix, and every model " +
                "depends on it",
            async () => {
                const config: Config = contractConfig("prod");
                config.models = [
                    { name: "mistral-01", s3Prefix: "mistral-model-weights/", timeoutMinutes: 90 },
                    { name: "llama-01", s3Prefix: "llama/", timeoutMinutes: 600 },
                ];
                const run = await runProgram(config);
                expect(run.error).to.equal(undefined);
                const sweepers = run.resources.filter((r) => r.type === "pulumi-nodejs:dynamic/bedrock:ImportSweeper");
                expect(sweepers.map((r) => r.name)).to.deep.equal([`${P}-import-sweeper`]);
                const [sweeper] = sweepers;
                const models = run.resources.filter((r) => r.type === MODEL_TYPE);
                const { providerVersion, ...inputs } = withoutProvider(sweeper.inputs);
                expect(providerVersion).to.be.a("string");
                expect(inputs).to.deep.equal({
                    accountId: "777788889999",
                    region: "us-east-1",
                    profile: "model-hosting",
                    assumeRoleArn: "arn:aws:iam::777788889999:role/bedrock-cmi-deployer",
                    owner: "bedrock-cross-account-import/test@777788889999",
                    // The provider's own job naming, from what each model registers (its key ARN included).
                    jobPrefixes: models.map((m) => importJobPrefix(m.inputs as unknown as ImportedModelInputs)),
                    timeoutMinutes: 600,
                });
                expect(sweeper.parentUrn).to.equal(one(run, "bedrock-cmi:index:CrossAccountModelImport", P).urn);
                expect(sweeper.providerName ?? "").not.to.match(/model-(development|hosting)/);
                for (const m of models) expect(m.dependencies, m.name).to.include(sweeper.urn);
            },
        );

        it("without a hosting key or credentials options, those inputs are absent", async () => {
            const config: Config = contractConfig("dev");
            delete config.modelHosting.profile;
            const run = await runProgram(config);
            const model = one(run, MODEL_TYPE, `${P}-mistral-777788889999-01`);
            expect(withoutProvider(model.inputs)).to.deep.equal({
                accountId: "777788889999",
                region: "us-east-1",
                modelName: versionedModelName("mistral-777788889999-01", {
                    s3Uri: "s3://model-artifacts-111122223333/mistral-model-weights/",
                    modelKey: "aws-owned",
                }),
                baseName: "mistral-777788889999-01",
                configPath: "models[0]",
                roleArn: "arn:aws:iam::777788889999:role/BedrockCMIExecutionRole-777788889999",
                s3Uri: "s3://model-artifacts-111122223333/mistral-model-weights/",
                tags: { ...tags, team: "hosting" },
                owner: "bedrock-cross-account-import/test@777788889999",
                providerVersion: IMPORTED_MODEL_PROVIDER_VERSION,
                stackName: "test",
            });
        });

        it(
            "a new s3Prefix registers a differently named ImportedModel (same resource name), and the SSM pointer " +
                "stays in the hosting account",
            async () => {
                const before = await runProgram(contractConfig("dev"));
                const config: Config = contractConfig("dev");
                (config.models[0] as Record<string, unknown>).s3Prefix = "fine-tunes/2026-11-25/";
                const after = await runProgram(config);
                const model = (run: ProgramRun) => one(run, MODEL_TYPE, `${P}-mistral-777788889999-01`).inputs;
                expect(model(before).modelName).to.match(/^mistral-777788889999-01-[0-9a-f]{6}$/);
                expect(model(after).modelName).to.match(/^mistral-777788889999-01-[0-9a-f]{6}$/);
                expect(model(after).modelName).not.to.equal(model(before).modelName);
                expect(model(after).baseName).to.equal("mistral-777788889999-01");
                for (const run of [before, after]) {
                    const pointer = one(run, "aws:ssm/parameter:Parameter", `${P}-mistral-777788889999-01-pointer`);
                    expect(pointer.providerName).to.equal(HOST);
                    expect(pointer.inputs).to.deep.include({
                        name: "/bedrock-cmi/test/mistral-777788889999-01/model-arn",
                        type: "String",
                    });
                    // The pointer's value is the model's ARN: it depends on the model, so it moves after the new version
                    // exists.
                    expect(pointer.dependencies).to.include(one(run, MODEL_TYPE, `${P}-mistral-777788889999-01`).urn);
                }
            },
        );

        it("exports per model: ARN, job, architecture and a ready-to-run invoke example", async () => {
            const run = await runProgram(contractConfig("dev"));
            const [m] = run.outputs.models as Array<Record<string, string>>;
            expect(m.modelArn).to.match(/^arn:aws:bedrock:us-east-1:777788889999:imported-model\//);
            expect(m.jobArn).to.match(/^arn:aws:bedrock:us-east-1:777788889999:model-import-job\//);
            expect(m.jobName).to.match(/^mistral-777788889999-01-[0-9a-f]{6}-mock-1$/);
            expect(m.modelArchitecture).to.equal("mistral");
            // The example reads the live ARN from the pointer, as callers should, rather than the ARN of this version.
            expect(m.invokeExample).to.include(`aws ssm get-parameter --name ${m.pointerParameterName} `);
            expect(m.invokeExample).to.include('aws bedrock-runtime invoke-model --model-id "$MODEL_ARN" ');
            expect(m.invokeExample).not.to.include(m.modelArn);
        });
    });

    describe("invalid config", () => {
        it("fails while loading, names every bad key, and registers nothing", async () => {
            const config: Config = contractConfig("dev");
            config.modelHosting.accountId = "7777";
            config.models = [{ name: "bad name!", s3Prefix: "s3://x/y" }];
            const run = await runProgram(config);
            expect(run.error?.message).to.include('[modelHosting.accountId] must be a 12-digit string, got "7777"');
            expect(run.error?.message).to.include("[models[0].name]");
            expect(run.error?.message).to.include("[models[0].s3Prefix]");
            expect(run.resources).to.deep.equal([]);
        });

        it("a scalar where a section belongs is reported with its key", async () => {
            const run = await runProgram({ ...contractConfig("dev"), modelHosting: "oops" });
            expect(run.error?.message).to.include('[modelHosting] must be an object, got "oops"');
            expect(run.resources).to.deep.equal([]);
        });

        it("missing config entirely names the three keys", async () => {
            const run = await runProgram({});
            expect(run.error?.message).to.include("[modelDevelopment] is required");
            expect(run.error?.message).to.include("[modelHosting] is required");
            expect(run.error?.message).to.include("[models] is required");
            expect(run.resources).to.deep.equal([]);
        });
    });
});
