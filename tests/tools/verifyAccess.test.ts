// verify-access against a local AWS stub: the real SDK clients and credential providers, redirected with
// AWS_ENDPOINT_URL_<SERVICE>, profiles from a temporary shared-credentials file (or the environment).
// Each check has a case where it fails and one where it passes.

import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseStackConfig, type StackConfig } from "../../components/config/stackConfig";
import { executionPolicy, trustPolicy } from "../../components/policies/statements";
import { deploymentOf, PROJECT, stackNames } from "../../components/naming";
import type { CheckResult } from "../../scripts/verify/types";
import { formatResults } from "../../scripts/verify/format";
import { UnknownModelError, failed, runVerification } from "../../scripts/verify/run";
import {
    AwsStub,
    credentialsFile,
    deployStack,
    setEnv,
    stackBucketStatements,
    type Deployment,
    type StubRole,
} from "../fakes/awsStub";
import { hfLayout } from "../fakes/hfLayout";

const DEV = "111122223333";
const HOST = "777788889999";
const STACK = "verify";
const MODEL = "mistral-777788889999-01";
const OPERATOR = `arn:aws:iam::${HOST}:user/operator`;
// An IAM Identity Center permission set's role: its ARN has a path, its sessions' ARNs do not.
const SSO_ROLE: StubRole = {
    account: HOST,
    name: "AWSReservedSSO_Admin_abc",
    path: "/aws-reserved/sso.amazonaws.com/",
    trust: JSON.stringify({ Version: "2012-10-17", Statement: [] }),
    attached: [],
    inline: {},
};
const SSO_ROLE_ARN = `arn:aws:iam::${HOST}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_abc`;
const SSO_SESSION_KEY = "ASIASSOSESSION000001";

interface ConfigOptions {
    devKms?: boolean;
    hostKms?: boolean;
    allowAssumeFrom?: string[];
    hostProfile?: string | null;
    devProfile?: string | null;
    hostAssumeRoleArn?: string;
    hostRegion?: string;
    invokers?: string[];
    models?: Array<{ name: string; s3Prefix: string }>;
}

function config(o: ConfigOptions = {}): StackConfig {
    const devProfile = o.devProfile === undefined ? "verify-dev" : o.devProfile;
    const hostProfile = o.hostProfile === undefined ? "verify-host" : o.hostProfile;
    return parseStackConfig({
        modelDevelopment: {
            accountId: DEV,
            region: "us-east-1",
            ...(devProfile ? { profile: devProfile } : {}),
            artifactBucket: { name: `model-artifacts-${DEV}`, create: true },
            kms: { enabled: o.devKms ?? false },
        },
        modelHosting: {
            accountId: HOST,
            region: o.hostRegion ?? "us-east-1",
            ...(hostProfile ? { profile: hostProfile } : {}),
            ...(o.hostAssumeRoleArn ? { assumeRoleArn: o.hostAssumeRoleArn } : {}),
            executionRoleName: `BedrockCMIExecutionRole-${HOST}`,
            kms: { enabled: o.hostKms ?? false, ...(o.invokers ? { invokers: o.invokers } : {}) },
            troubleshooting: { allowAssumeFrom: o.allowAssumeFrom ?? [] },
        },
        models: o.models ?? [{ name: MODEL, s3Prefix: "mistral-model-weights/" }],
    });
}

function byId(results: readonly CheckResult[], id: string): CheckResult {
    const r = results.find((x) => x.id === id);
    if (!r) throw new Error(`no result ${id}; ids: ${results.map((x) => x.id).join(", ")}`);
    return r;
}

function failedIds(results: readonly CheckResult[]): string[] {
    return failed(results).map((r) => r.id);
}

describe("verify-access against a local AWS stub", function () {
    this.timeout(20000);
    let stub: AwsStub;
    let tmp: string;
    let restoreEnv: () => void;

    before(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "verify-access-"));
        fs.writeFileSync(
            path.join(tmp, "credentials"),
            credentialsFile({
                "verify-dev": "AKIADEVELOPMENT00001",
                "verify-host": "AKIAHOSTING000000001",
                // A profile that holds development-account keys: the "wrong account" case.
                "verify-host-wrong": "AKIADEVELOPMENT00001",
                // An IAM Identity Center sign-in to the hosting account
                // (arn:aws:sts::…:assumed-role/AWSReservedSSO_Admin_abc/alice).
                "verify-host-sso": SSO_SESSION_KEY,
            }),
        );
        fs.writeFileSync(path.join(tmp, "config"), "");
    });

    beforeEach(async () => {
        stub = new AwsStub();
        const url = await stub.start();
        restoreEnv = setEnv({
            AWS_ENDPOINT_URL_S3: url,
            AWS_ENDPOINT_URL_STS: url,
            AWS_ENDPOINT_URL_IAM: url,
            AWS_ENDPOINT_URL_KMS: url,
            AWS_ENDPOINT_URL: undefined,
            AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: undefined,
            // The default chain (configs without profile) finds these first.
            AWS_ACCESS_KEY_ID: "AKIADEVELOPMENT00001",
            AWS_SECRET_ACCESS_KEY: "stub-secret",
            AWS_SESSION_TOKEN: undefined,
            AWS_REGION: "us-east-1",
            AWS_PROFILE: undefined,
            AWS_SHARED_CREDENTIALS_FILE: path.join(tmp, "credentials"),
            AWS_CONFIG_FILE: path.join(tmp, "config"),
            AWS_EC2_METADATA_DISABLED: "true",
        });
    });

    afterEach(async () => {
        restoreEnv();
        await stub.stop();
    });

    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    const run = (c: StackConfig, model?: string) =>
        runVerification(c, { stack: STACK, maxAttempts: 1, ...(model ? { model } : {}) });
    const deploy = (c: StackConfig, layouts?: Record<string, Record<string, Buffer>>): Deployment =>
        deployStack(stub, c, STACK, layouts ?? Object.fromEntries(c.models.map((m) => [m.name, hfLayout()])));

    describe("a correct deployment", () => {
        it("passes every check without KMS, and skips the probe explaining how to enable it", async () => {
            const c = config();
            deploy(c);
            const results = await run(c);
            expect(failedIds(results)).to.deep.equal([]);
            for (const id of [
                "identity.development",
                "identity.hosting",
                "deployed.bucketPolicy",
                "deployed.trustPolicy",
                "deployed.executionPolicy",
                "deployed.otherRolePolicies",
                "access.s3.list-bucket",
                "access.s3.read:mistral-model-weights/config.json",
                "access.trust.bedrock-import-job",
                "access.trust.other-account-job",
                "drift.bucketPolicy",
                "drift.trustPolicy",
                "drift.executionPolicy",
                `artifacts.${MODEL}.list`,
                `artifacts.${MODEL}.config`,
                `artifacts.${MODEL}.architecture`,
                `artifacts.${MODEL}.weights`,
                `artifacts.${MODEL}.tokenizer`,
                `artifacts.${MODEL}.size`,
                `artifacts.${MODEL}.encryption`,
            ]) {
                const r = byId(results, id);
                expect(r.ok, id).to.equal(true);
                expect(r.skipped ?? false, id).to.equal(false);
                expect(r.warning ?? false, id).to.equal(false);
            }
            expect(byId(results, "identity.hosting").detail).to.equal(OPERATOR);
            expect(byId(results, `artifacts.${MODEL}.architecture`).detail).to.contain("Mistral");
            expect(byId(results, `artifacts.${MODEL}.weights`).detail).to.contain(
                "header of model.safetensors validated",
            );
            const probe = byId(results, "probe");
            expect(probe.skipped).to.equal(true);
            expect(probe.fix).to.contain("allowAssumeFrom").and.to.contain(OPERATOR).and.to.contain("remove it");
            // Read-only: only Get/List/Describe/Head calls (and GetCallerIdentity) reached AWS.
            expect(
                stub.requests.map((r) => r.action).filter((a) => !/^(Get|List|Describe|Head)/.test(a)),
            ).to.deep.equal([]);
        });

        it("passes with both keys, two models and the probe as the execution role", async () => {
            const models = [
                { name: MODEL, s3Prefix: "mistral-model-weights/" },
                { name: "qwen-777788889999-01", s3Prefix: "qwen/v1/" },
            ];
            const c = config({ devKms: true, hostKms: true, allowAssumeFrom: [OPERATOR], models });
            const d = deploy(c, {
                [MODEL]: hfLayout(),
                "qwen-777788889999-01": hfLayout({
                    config: { architectures: ["Qwen2ForCausalLM"], model_type: "qwen2" },
                }),
            });
            const results = await run(c);
            expect(failedIds(results)).to.deep.equal([]);
            expect(byId(results, "deployed.developmentKey").detail).to.contain(d.developmentKeyArn);
            expect(byId(results, "deployed.hostingKey").detail).to.contain(d.hostingKeyArn);
            for (const id of [
                "access.kms.development.kms:Decrypt",
                "access.kms.hosting.role:kms:CreateGrant",
                "access.kms.hosting.role:kms:Encrypt",
                "access.kms.hosting.role.deny.decrypt-direct",
                `access.trust.operator:${OPERATOR}`,
                "drift.developmentKeyPolicy",
                "drift.hostingKeyPolicy",
            ]) {
                expect(byId(results, id).ok, id).to.equal(true);
            }
            expect(byId(results, `artifacts.${MODEL}.encryption`).detail).to.contain(d.developmentKeyArn);
            expect(byId(results, "artifacts.qwen-777788889999-01.architecture").detail).to.contain("Qwen2");
            expect(byId(results, "probe.assume").detail).to.equal(
                `arn:aws:sts::${HOST}:assumed-role/BedrockCMIExecutionRole-${HOST}/verify-access-${STACK}`,
            );
            for (const m of models) {
                expect(byId(results, `probe.${m.name}.list`).ok).to.equal(true);
                expect(byId(results, `probe.${m.name}.read-config`).ok).to.equal(true);
            }
            // The opt-in trust statement is flagged so it gets removed again.
            const reminder = byId(results, "probe.trust-statement");
            expect(reminder.warning).to.equal(true);
            expect(reminder.fix).to.contain("allowAssumeFrom: []");
            // The probe really acted as the role: S3 saw the assumed-role session's key.
            expect(stub.requests.some((r) => r.service === "sts" && r.action === "AssumeRole")).to.equal(true);
            expect(stub.requests.some((r) => r.service === "s3" && r.accessKeyId.startsWith("ASIA"))).to.equal(true);
        });

        it("uses the default credential chain when no profile is set, and assumeRoleArn on top of a profile", async () => {
            const deployer = `arn:aws:iam::${HOST}:role/deployer`;
            const c = config({ devProfile: null, hostAssumeRoleArn: deployer });
            deploy(c);
            stub.addRole({
                account: HOST,
                name: "deployer",
                trust: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Principal: { AWS: OPERATOR }, Action: "sts:AssumeRole" }],
                }),
                attached: [],
                inline: {},
            });
            const results = await run(c);
            expect(failedIds(results)).to.deep.equal([]);
            // Development credentials came from AWS_ACCESS_KEY_ID (default chain).
            expect(byId(results, "identity.development").detail).to.equal(`arn:aws:iam::${DEV}:user/developer`);
            expect(byId(results, "identity.hosting").detail).to.equal(
                `arn:aws:sts::${HOST}:assumed-role/deployer/bedrock-cmi-${STACK}`,
            );
            expect(byId(results, "identity.hosting").title).to.contain(`profile "verify-host", assuming ${deployer}`);
        });
    });

    describe("the hosting key", () => {
        const DEPLOYER = `arn:aws:iam::${HOST}:role/deployer`;
        const APP = `arn:aws:iam::${HOST}:role/app`;
        const deployWithDeployer = (c: StackConfig) => {
            const d = deploy(c);
            stub.addRole({
                account: HOST,
                name: "deployer",
                trust: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Principal: { AWS: OPERATOR }, Action: "sts:AssumeRole" }],
                }),
                attached: [],
                inline: {},
            });
            return d;
        };

        it("importer (the hosting deployer role), invokers and the execution role: through Bedrock only", async () => {
            const c = config({ hostKms: true, hostAssumeRoleArn: DEPLOYER, invokers: [APP] });
            deployWithDeployer(c);
            const results = await run(c);
            expect(failedIds(results)).to.deep.equal([]);
            for (const id of [
                "access.kms.hosting.kms:CreateGrant",
                "access.kms.hosting.kms:GenerateDataKey",
                "access.kms.hosting.importer.deny.create-grant-direct",
                "access.kms.hosting.importer.deny.decrypt-direct",
                `access.kms.hosting.invoker:${APP}`,
                `access.kms.hosting.invoker-direct:${APP}`,
                "access.kms.hosting.role:kms:ReEncryptFrom",
                "access.kms.hosting.role.deny.decrypt-direct",
                "drift.hostingKeyPolicy",
            ]) {
                expect(byId(results, id).ok, id).to.equal(true);
            }
        });

        it(
            "a deployed key policy and execution policy granting the execution role outside Bedrock fail the " +
                "must-deny rows",
            async () => {
                const c = config({ hostKms: true, hostAssumeRoleArn: DEPLOYER });
                const d = deployWithDeployer(c);
                const key = stub.keys.find((k) => k.arn === d.hostingKeyArn)!;
                const policy = JSON.parse(key.policy) as { Statement: unknown[] };
                policy.Statement.push({
                    Sid: "AllowBedrockExecutionRoleUseOfKey",
                    Effect: "Allow",
                    Principal: { AWS: d.roleArn },
                    Action: [
                        "kms:Encrypt",
                        "kms:Decrypt",
                        "kms:ReEncrypt*",
                        "kms:GenerateDataKey*",
                        "kms:DescribeKey",
                        "kms:CreateGrant",
                    ],
                    Resource: "*",
                });
                key.policy = JSON.stringify(policy);
                // The same statement without conditions in the execution policy (the root statement delegates to it).
                const doc = executionPolicy(d.params);
                doc.Statement.push({
                    Sid: "EncryptImportedModel",
                    Effect: "Allow",
                    Action: [
                        "kms:Encrypt",
                        "kms:Decrypt",
                        "kms:ReEncrypt*",
                        "kms:GenerateDataKey*",
                        "kms:DescribeKey",
                        "kms:CreateGrant",
                    ],
                    Resource: d.hostingKeyArn!,
                });
                stub.policies.set(d.policyArn, {
                    arn: d.policyArn,
                    name: c.modelHosting.executionPolicyName,
                    document: JSON.stringify(doc),
                    defaultVersionId: "v2",
                });
                const results = await run(c);
                expect(failedIds(results)).to.include.members([
                    "access.kms.hosting.role.deny.decrypt-direct",
                    "access.kms.hosting.role.deny.encrypt-other-service",
                    "access.kms.hosting.role.deny.create-grant-direct",
                    "drift.executionPolicy",
                    "drift.hostingKeyPolicy",
                ]);
                expect(byId(results, "drift.hostingKeyPolicy").detail).to.contain("AllowBedrockExecutionRoleUseOfKey");
            },
        );
    });

    describe("credentials of the wrong account", () => {
        it("fails the identity check, names both accounts, and skips what needs those credentials", async () => {
            const c = config({ hostProfile: "verify-host-wrong" });
            deploy(c);
            const results = await run(c);
            const id = byId(results, "identity.hosting");
            expect(id.ok).to.equal(false);
            expect(id.detail).to.contain(`belong to account ${DEV}`).and.to.contain(HOST);
            expect(id.fix).to.contain("modelHosting.profile");
            expect(byId(results, "identity.development").ok).to.equal(true);
            expect(byId(results, "deployed.trustPolicy").skipped).to.equal(true);
            // Rows that need the hosting account's documents are not judged; the rest still are.
            expect(byId(results, "access").skipped).to.equal(true);
            expect(byId(results, "access").detail).to.contain("execution role trust policy");
            expect(results.some((r) => r.id.startsWith("access.trust.") || r.id === "access.s3.list-bucket")).to.equal(
                false,
            );
            expect(byId(results, `artifacts.${MODEL}.config`).ok).to.equal(true);
            expect(failedIds(results)).to.deep.equal(["identity.hosting"]);
        });

        it("fails when the default chain reaches the wrong account (no profile on either side)", async () => {
            const c = config({ devProfile: null, hostProfile: null });
            deploy(c);
            const results = await run(c);
            expect(byId(results, "identity.development").ok).to.equal(true);
            expect(byId(results, "identity.hosting").ok).to.equal(false);
            expect(byId(results, "identity.hosting").title).to.contain("default credential chain");
        });

        it("fails when the credentials are rejected", async () => {
            const c = config({ devProfile: null });
            deploy(c);
            restoreEnv = ((prev) => {
                const restore = setEnv({ AWS_ACCESS_KEY_ID: "AKIAUNKNOWN000000000" });
                return () => {
                    restore();
                    prev();
                };
            })(restoreEnv);
            const results = await run(c);
            const id = byId(results, "identity.development");
            expect(id.ok).to.equal(false);
            expect(id.detail).to.contain("InvalidClientTokenId");
            expect(byId(results, `artifacts.${MODEL}`).skipped).to.equal(true);
        });
    });

    describe("deployed documents drifted out of band", () => {
        it("bucket policy deleted: ✘ with 'pulumi up', and the role's reads fail in the simulator", async () => {
            const c = config();
            const d = deploy(c);
            delete d.bucket.policy;
            const results = await run(c);
            const r = byId(results, "deployed.bucketPolicy");
            expect(r.ok).to.equal(false);
            expect(r.fix).to.contain("pulumi up");
            expect(byId(results, "access.s3.list-bucket").ok).to.equal(false);
            expect(byId(results, "access.s3.list-bucket").fix).to.contain("A document is missing");
            expect(byId(results, "access.s3.read:mistral-model-weights/config.json").ok).to.equal(false);
        });

        it("bucket policy overwritten by someone else: access and drift name the missing statements", async () => {
            const c = config();
            const d = deploy(c);
            d.bucket.policy = JSON.stringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "DataLakeReaders",
                        Effect: "Allow",
                        Principal: { AWS: `arn:aws:iam::${DEV}:role/analytics` },
                        Action: "s3:GetObject",
                        Resource: `arn:aws:s3:::model-artifacts-${DEV}/*`,
                    },
                ],
            });
            const results = await run(c);
            expect(byId(results, "deployed.bucketPolicy").ok).to.equal(true);
            const list = byId(results, "access.s3.list-bucket");
            expect(list.ok).to.equal(false);
            expect(list.fix).to.contain(
                `bucket policy of s3://model-artifacts-${DEV} (statement AllowBedrockExecutionRoleList)`,
            );
            expect(byId(results, "access.s3.insecure-transport").ok).to.equal(true); // denied anyway: no Allow left
            const drift = byId(results, "drift.bucketPolicy");
            expect(drift.ok).to.equal(false);
            // Drift is judged on this stack's statements only: the others' (DataLakeReaders) are not reported.
            const prefix = stackNames(PROJECT, STACK, deploymentOf(c)).sidPrefix;
            expect(drift.detail).to.contain(
                `missing statements: ${prefix}AllowBedrockExecutionRoleList, ${prefix}AllowBedrockExecutionRoleReadModels, ` +
                    `${prefix}DenyInsecureTransport`,
            );
            expect(drift.detail).not.to.contain("DataLakeReaders");
        });

        it(
            "a shared bucket policy: the research team's statements are not drift; a foreign Deny blocking the role " +
                "is ✘ naming its Sid",
            async () => {
                const c = config();
                const d = deploy(c);
                const live = JSON.parse(d.bucket.policy!) as { Version: string; Statement: object[] };
                const research = {
                    Sid: "ResearchTeamReadWrite",
                    Effect: "Allow",
                    Principal: { AWS: `arn:aws:iam::${DEV}:role/Researcher` },
                    Action: "s3:*",
                    Resource: `arn:aws:s3:::model-artifacts-${DEV}/*`,
                };
                d.bucket.policy = JSON.stringify({ ...live, Statement: [research, ...live.Statement] });
                let results = await run(c);
                expect(byId(results, "drift.bucketPolicy").ok).to.equal(true);
                expect(results.filter((r) => !r.ok).map((r) => r.id)).to.deep.equal([]);
                const deny = {
                    Sid: "ResearchFreeze",
                    Effect: "Deny",
                    Principal: "*",
                    Action: "s3:GetObject",
                    Resource: `arn:aws:s3:::model-artifacts-${DEV}/*`,
                };
                d.bucket.policy = JSON.stringify({ ...live, Statement: [research, deny, ...live.Statement] });
                results = await run(c);
                const read = results.find((r) => r.id.startsWith("access.s3.read:"))!;
                expect(read.ok).to.equal(false);
                expect(read.detail).to.contain("ResearchFreeze");
                // Not drift: the stack's own statements are unchanged.
                expect(byId(results, "drift.bucketPolicy").ok).to.equal(true);
            },
        );

        it("the grant on the research key: present ✔ (and the role may decrypt), missing ✘ with the fix", async () => {
            const keyArn = `arn:aws:kms:us-east-1:${DEV}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
            const c = {
                ...config(),
                modelDevelopment: { ...config().modelDevelopment, kms: { enabled: false, keyArn } },
            };
            deploy(c);
            let results = await run(c);
            expect(byId(results, "deployed.developmentKeyGrant").ok).to.equal(true);
            expect(byId(results, "access.kms.development.kms:Decrypt").ok).to.equal(true);
            stub.keys.find((k) => k.arn === keyArn)!.grants = [];
            results = await run(c);
            const grant = byId(results, "deployed.developmentKeyGrant");
            expect(grant.ok).to.equal(false);
            expect(grant.fix).to.contain("kms:CreateGrant");
            expect(byId(results, "access.kms.development.kms:Decrypt").ok).to.equal(false);
        });

        it("trust policy without the confused-deputy conditions: another account's jobs would be allowed", async () => {
            const c = config();
            const d = deploy(c);
            const trust = trustPolicy(d.params);
            delete trust.Statement[0].Condition;
            d.role.trust = JSON.stringify(trust);
            const results = await run(c);
            expect(byId(results, "access.trust.bedrock-import-job").ok).to.equal(true);
            const r = byId(results, "access.trust.other-account-job");
            expect(r.ok).to.equal(false);
            expect(r.detail).to.contain("Allowed");
            expect(r.fix)
                .to.contain(`trust policy of ${d.roleArn} (statement AllowBedrockModelImportJobs)`)
                .and.to.contain("differs from what the program deploys");
            expect(byId(results, "drift.trustPolicy").ok).to.equal(false);
            expect(byId(results, "drift.trustPolicy").detail).to.contain(
                "changed statements: AllowBedrockModelImportJobs",
            );
        });

        it("execution policy replaced by a version without the read statement", async () => {
            const c = config();
            const d = deploy(c);
            const doc = executionPolicy(d.params);
            doc.Statement = doc.Statement.filter((s) => s.Sid !== "ReadModelArtifacts");
            stub.policies.set(d.policyArn, {
                arn: d.policyArn,
                name: c.modelHosting.executionPolicyName,
                document: JSON.stringify(doc),
                defaultVersionId: "v2",
            });
            const results = await run(c);
            expect(byId(results, "deployed.executionPolicy").ok).to.equal(true);
            expect(byId(results, "access.s3.list-bucket").ok).to.equal(true);
            const read = byId(results, "access.s3.read:mistral-model-weights/config.json");
            expect(read.ok).to.equal(false);
            expect(read.fix).to.contain(`${d.policyArn} (statement ReadModelArtifacts)`);
            expect(byId(results, "drift.executionPolicy").detail).to.contain("missing statements: ReadModelArtifacts");
        });

        it("execution policy detached from the role", async () => {
            const c = config();
            const d = deploy(c);
            d.role.attached = [];
            const results = await run(c);
            const r = byId(results, "deployed.executionPolicy");
            expect(r.ok).to.equal(false);
            expect(r.detail).to.contain("exists but is not attached");
            expect(r.fix).to.contain("re-attach");
            expect(byId(results, "access.s3.list-bucket").ok).to.equal(false);
        });

        it("execution role deleted", async () => {
            const c = config();
            const d = deploy(c);
            stub.roles.delete(d.roleArn);
            const results = await run(c);
            expect(byId(results, "deployed.trustPolicy").ok).to.equal(false);
            expect(byId(results, "deployed.trustPolicy").detail).to.contain("does not exist");
            expect(byId(results, "access.trust.bedrock-import-job").ok).to.equal(false);
        });

        it("an extra policy on the role is a warning and is included in the simulation", async () => {
            const c = config();
            const d = deploy(c);
            // Grants writes on the artifacts: the bucket policy still refuses them cross-account, so access holds.
            d.role.inline["debug-access"] = JSON.stringify({
                Version: "2012-10-17",
                Statement: {
                    Effect: "Allow",
                    Action: "s3:PutObject",
                    Resource: `arn:aws:s3:::model-artifacts-${DEV}/*`,
                },
            });
            let results = await run(c);
            const r = byId(results, "deployed.otherRolePolicies");
            expect(r.ok).to.equal(true);
            expect(r.warning).to.equal(true);
            expect(r.detail).to.contain("inline debug-access");
            expect(failedIds(results)).to.deep.equal([]);
            // Once the bucket policy also allows writes, the simulator sees the write through the extra policy.
            const bp = stackBucketStatements(d.params, STACK);
            bp.Statement.push({
                Sid: "TeamWrites",
                Effect: "Allow",
                Principal: { AWS: `arn:aws:iam::${HOST}:root` },
                Action: "s3:PutObject",
                Resource: `arn:aws:s3:::model-artifacts-${DEV}/*`,
            });
            d.bucket.policy = JSON.stringify(bp);
            results = await run(c);
            const write = byId(results, "access.s3.write");
            expect(write.ok).to.equal(false);
            expect(write.detail).to.contain("debug-access/statement1");
            // TeamWrites is someone else's statement in the shared policy: it decides access, but it is not this
            // stack's drift.
            expect(byId(results, "drift.bucketPolicy").ok).to.equal(true);
        });

        it("an extra policy with an explicit Deny blocks the reads and is named as the cause", async () => {
            const c = config();
            const d = deploy(c);
            d.role.attached.push("arn:aws:iam::aws:policy/AWSDenyAll");
            stub.policies.set("arn:aws:iam::aws:policy/AWSDenyAll", {
                arn: "arn:aws:iam::aws:policy/AWSDenyAll",
                name: "AWSDenyAll",
                document: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [{ Sid: "DenyAll", Effect: "Deny", Action: "*", Resource: "*" }],
                }),
                defaultVersionId: "v3",
            });
            const results = await run(c);
            expect(byId(results, "deployed.otherRolePolicies").detail).to.contain(
                "attached arn:aws:iam::aws:policy/AWSDenyAll",
            );
            const read = byId(results, "access.s3.read:mistral-model-weights/config.json");
            expect(read.ok).to.equal(false);
            expect(read.detail).to.contain("ExplicitlyDenied").and.to.contain("AWSDenyAll/DenyAll");
            expect(read.fix).to.contain("A policy the program does not manage decides this");
            expect(byId(results, "drift.executionPolicy").ok).to.equal(true);
        });

        it("development key policy without the role's statement; key not found; key disabled", async () => {
            const c = config({ devKms: true });
            const d = deploy(c);
            const key = stub.keys.find((k) => k.arn === d.developmentKeyArn)!;
            const policy = JSON.parse(key.policy) as { Statement: Array<{ Sid: string }> };
            policy.Statement = policy.Statement.filter((s) => s.Sid !== "AllowBedrockExecutionRoleDecrypt");
            key.policy = JSON.stringify(policy);
            let results = await run(c);
            const r = byId(results, "access.kms.development.kms:Decrypt");
            expect(r.ok).to.equal(false);
            expect(r.fix).to.contain(`development key policy of ${d.developmentKeyArn}`);
            expect(byId(results, "drift.developmentKeyPolicy").ok).to.equal(false);

            key.state = "PendingDeletion";
            results = await run(c);
            expect(byId(results, "deployed.developmentKey").ok).to.equal(false);
            expect(byId(results, "deployed.developmentKey").fix).to.contain("cancel-key-deletion");

            key.aliases = [];
            results = await run(c);
            const missing = byId(results, "deployed.developmentKey");
            expect(missing.ok).to.equal(false);
            expect(missing.detail).to.contain(`alias/bedrock-cmi-${STACK}-artifacts does not exist`);
            expect(byId(results, `artifacts.${MODEL}.encryption`).skipped).to.equal(true);
        });

        it("a hosting key policy edit that changes no access is a warning, not a failure", async () => {
            const c = config({ hostKms: true });
            const d = deploy(c);
            const key = stub.keys.find((k) => k.arn === d.hostingKeyArn)!;
            const policy = JSON.parse(key.policy) as { Statement: unknown[] };
            policy.Statement.push({
                Sid: "KeyAuditors",
                Effect: "Allow",
                Principal: { AWS: `arn:aws:iam::${HOST}:role/Auditor` },
                Action: "kms:DescribeKey",
                Resource: "*",
            });
            key.policy = JSON.stringify(policy);
            const results = await run(c);
            expect(failedIds(results)).to.deep.equal([]);
            const drift = byId(results, "drift.hostingKeyPolicy");
            expect(drift.warning).to.equal(true);
            expect(drift.detail).to.contain("KeyAuditors").and.to.contain("access is unchanged");
        });

        it("documents AWS returns reformatted (single values, reordered) are not drift", async () => {
            const c = config();
            const d = deploy(c);
            const bp = stackBucketStatements(d.params, STACK);
            bp.Statement.reverse();
            bp.Statement = bp.Statement.map((s) => ({
                ...s,
                Action: Array.isArray(s.Action) ? s.Action : [s.Action ?? ""],
            }));
            d.bucket.policy = JSON.stringify(bp, null, 4);
            const results = await run(c);
            expect(byId(results, "drift.bucketPolicy").ok).to.equal(true);
            expect(byId(results, "drift.bucketPolicy").warning ?? false).to.equal(false);
        });
    });

    describe("model artifacts", () => {
        const artifacts = async (files: Record<string, Buffer>, o: ConfigOptions = {}) => {
            const c = config(o);
            deploy(c, { [MODEL]: files });
            return run(c);
        };
        const check = (results: CheckResult[], name: string) => byId(results, `artifacts.${MODEL}.${name}`);

        it("missing config.json", async () => {
            const results = await artifacts(hfLayout({ omit: ["config.json"] }));
            const r = check(results, "config");
            expect(r.ok).to.equal(false);
            expect(r.detail).to.contain(`s3://model-artifacts-${DEV}/mistral-model-weights/`);
            expect(check(results, "architecture").skipped).to.equal(true);
            expect(check(results, "weights").ok).to.equal(true);
        });

        it("config.json one level down: points at the right prefix", async () => {
            const nested = Object.fromEntries(Object.entries(hfLayout()).map(([k, v]) => [`snapshot/${k}`, v]));
            const r = check(await artifacts(nested), "config");
            expect(r.ok).to.equal(false);
            expect(r.fix).to.contain(`"mistral-model-weights/snapshot/"`);
        });

        it("config.json that is not JSON", async () => {
            const r = check(await artifacts(hfLayout({ extra: { "config.json": "{ not json" } })), "config");
            expect(r.ok).to.equal(false);
            expect(r.detail).to.contain("cannot be read as a JSON object");
        });

        it("unsupported architecture, and model_type alone when architectures is absent", async () => {
            let results = await artifacts(
                hfLayout({ config: { architectures: ["BertForMaskedLM"], model_type: "bert" } }),
            );
            const r = check(results, "architecture");
            expect(r.ok).to.equal(false);
            expect(r.detail).to.contain("BertForMaskedLM");
            expect(r.fix).to.contain("Mistral");
            results = await artifacts(hfLayout({ config: { architectures: undefined, model_type: "llama" } }));
            expect(check(results, "architecture").ok).to.equal(true);
        });

        it("Qwen3 MoE is supported (AWS lists Qwen3MoeForCausalLM)", async () => {
            const results = await artifacts(
                hfLayout({
                    config: {
                        architectures: ["Qwen3MoeForCausalLM"],
                        model_type: "qwen3_moe",
                        max_position_embeddings: 40960,
                    },
                }),
            );
            const r = check(results, "architecture");
            expect(r.ok).to.equal(true);
            expect(r.detail).to.contain("Qwen3 MoE");
            expect(check(results, "context").detail).to.equal("max_position_embeddings = 40,960");
        });

        it("GPT-OSS: imported only in us-east-1; another hosting region is named in the failure", async () => {
            const gptOss = {
                architectures: ["GptOssForCausalLM"],
                model_type: "gpt_oss",
                max_position_embeddings: 131072,
            };
            const west = check(
                await artifacts(hfLayout({ config: gptOss }), { hostRegion: "us-west-2" }),
                "architecture",
            );
            expect(west.ok).to.equal(false);
            expect(west.detail)
                .to.contain("GPT-OSS")
                .and.to.contain("only in us-east-1")
                .and.to.contain("hosting region is us-west-2");
            expect(west.fix).to.contain("modelHosting.region: us-east-1");
            const east = check(await artifacts(hfLayout({ config: gptOss })), "architecture");
            expect(east.ok).to.equal(true);
        });

        it("context length: 256K fails naming the key and the limit; Llama 3.1's 131072 passes", async () => {
            let r = check(await artifacts(hfLayout({ config: { max_position_embeddings: 262144 } })), "context");
            expect(r.ok).to.equal(false);
            expect(r.detail).to.contain("max_position_embeddings = 262,144").and.to.contain("limit of 131,072 tokens");
            expect(r.fix).to.contain("max_position_embeddings");
            r = check(
                await artifacts(
                    hfLayout({
                        config: {
                            architectures: ["LlamaForCausalLM"],
                            model_type: "llama",
                            max_position_embeddings: 131072,
                        },
                    }),
                ),
                "context",
            );
            expect(r.ok).to.equal(true);
            // GPTBigCode spells it n_positions.
            r = check(
                await artifacts(
                    hfLayout({
                        config: {
                            architectures: ["GPTBigCodeForCausalLM"],
                            model_type: "gpt_bigcode",
                            max_position_embeddings: undefined,
                            n_positions: 262144,
                        },
                    }),
                ),
                "context",
            );
            expect(r.ok).to.equal(false);
            expect(r.detail).to.contain("n_positions = 262,144");
        });

        it("missing weights (only a PyTorch .bin)", async () => {
            const r = check(
                await artifacts(
                    hfLayout({ omit: ["model.safetensors"], extra: { "pytorch_model.bin": Buffer.alloc(64) } }),
                ),
                "weights",
            );
            expect(r.ok).to.equal(false);
            expect(r.detail).to.contain("pytorch_model.bin");
            expect(r.fix).to.contain("safe_serialization=True");
        });

        it("a truncated .safetensors file and an index naming absent shards", async () => {
            const good = hfLayout()["model.safetensors"];
            let r = check(
                await artifacts(hfLayout({ extra: { "model.safetensors": good.subarray(0, good.length - 4) } })),
                "weights",
            );
            expect(r.ok).to.equal(false);
            expect(r.detail).to.contain("not a valid safetensors file");
            const index = JSON.stringify({
                metadata: {},
                weight_map: {
                    "model.norm.weight": "model-00002-of-00002.safetensors",
                    "model.embed_tokens.weight": "model.safetensors",
                },
            });
            r = check(await artifacts(hfLayout({ extra: { "model.safetensors.index.json": index } })), "weights");
            expect(r.ok).to.equal(false);
            expect(r.detail).to.contain("model-00002-of-00002.safetensors");
        });

        it("missing tokenizer files; tokenizer.model instead of tokenizer.json is enough", async () => {
            let r = check(
                await artifacts(hfLayout({ omit: ["tokenizer.json", "tokenizer_config.json"] })),
                "tokenizer",
            );
            expect(r.ok).to.equal(false);
            expect(r.detail).to.contain("tokenizer.json (or tokenizer.model) and tokenizer_config.json");
            r = check(
                await artifacts(
                    hfLayout({ omit: ["tokenizer.json"], extra: { "tokenizer.model": Buffer.from([10, 3, 0]) } }),
                ),
                "tokenizer",
            );
            expect(r.ok).to.equal(true);
        });

        it("total size against the text and multimodal limits", async () => {
            const c = config();
            const d = deploy(c);
            d.bucket.objects.get("mistral-model-weights/model.safetensors")!.listedSize = 150e9;
            let results = await run(c);
            expect(check(results, "size").ok).to.equal(true);
            d.bucket.objects.get("mistral-model-weights/config.json")!.body = Buffer.from(
                JSON.stringify({ architectures: ["Qwen2VLForConditionalGeneration"], model_type: "qwen2_vl" }),
            );
            results = await run(c);
            const r = check(results, "size");
            expect(r.ok).to.equal(false);
            expect(r.title).to.contain("multimodal");
            expect(r.detail).to.contain("150");
        });

        it("an empty prefix", async () => {
            const results = await artifacts({});
            expect(check(results, "list").ok).to.equal(false);
            expect(check(results, "list").fix).to.contain("aws s3 sync");
            expect(check(results, "config").skipped).to.equal(true);
        });

        it("objects encrypted with another KMS key than the development key", async () => {
            const c = config({ devKms: true });
            const d = deploy(c);
            const other = `arn:aws:kms:us-east-1:${DEV}:key/9999ffff-0000-4000-8000-000000000009`;
            d.bucket.objects.get("mistral-model-weights/tokenizer.json")!.kmsKeyId = other;
            const r = check(await run(c), "encryption");
            expect(r.ok).to.equal(false);
            expect(r.detail).to.contain("tokenizer.json").and.to.contain(other);
            expect(r.fix).to.contain(`--sse-kms-key-id ${d.developmentKeyArn}`);
        });

        it("SSE-S3 objects while the development key is enabled", async () => {
            const c = config({ devKms: true });
            const d = deploy(c);
            d.bucket.objects.get("mistral-model-weights/config.json")!.sse = "AES256";
            const r = check(await run(c), "encryption");
            expect(r.ok).to.equal(false);
            expect(r.detail).to.contain("AES256");
        });

        it("SSE-KMS objects while modelDevelopment.kms is disabled", async () => {
            const c = config();
            const d = deploy(c);
            const obj = d.bucket.objects.get("mistral-model-weights/model.safetensors")!;
            obj.sse = "aws:kms";
            obj.kmsKeyId = `arn:aws:kms:us-east-1:${DEV}:key/9999ffff-0000-4000-8000-000000000009`;
            const r = check(await run(c), "encryption");
            expect(r.ok).to.equal(false);
            expect(r.fix).to.contain("modelDevelopment.kms.keyArn");
        });

        it(
            "objects under the research key (modelDevelopment.kms.keyArn) pass; objects under another key fail " +
                "naming the research key",
            async () => {
                const keyArn = `arn:aws:kms:us-east-1:${DEV}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
                const c = {
                    ...config(),
                    modelDevelopment: { ...config().modelDevelopment, kms: { enabled: false, keyArn } },
                };
                const d = deploy(c);
                for (const obj of d.bucket.objects.values()) Object.assign(obj, { sse: "aws:kms", kmsKeyId: keyArn });
                expect(check(await run(c), "encryption").ok).to.equal(true);
                d.bucket.objects.get("mistral-model-weights/model.safetensors")!.kmsKeyId =
                    `arn:aws:kms:us-east-1:${DEV}:key/9999ffff-0000-4000-8000-000000000009`;
                const r = check(await run(c), "encryption");
                expect(r.ok).to.equal(false);
                expect(r.detail).to.contain(`only the research key ${keyArn} is granted`);
            },
        );

        it("--model limits the artifact checks and the probe; an unknown model lists the configured ones", async () => {
            const models = [
                { name: MODEL, s3Prefix: "mistral-model-weights/" },
                { name: "broken-01", s3Prefix: "broken/" },
            ];
            const c = config({ models, allowAssumeFrom: [OPERATOR] });
            deploy(c, { [MODEL]: hfLayout(), "broken-01": {} });
            const results = await run(c, MODEL);
            expect(failedIds(results)).to.deep.equal([]);
            expect(
                results.some((r) => r.id.startsWith("artifacts.broken-01") || r.id.startsWith("probe.broken-01")),
            ).to.equal(false);
            expect(failedIds(await run(c))).to.include("artifacts.broken-01.list");
            let error: unknown;
            try {
                await run(c, "nope");
            } catch (e) {
                error = e;
            }
            expect(error).to.be.instanceOf(UnknownModelError);
            expect((error as Error).message).to.contain(`${MODEL}, broken-01`);
        });
    });

    describe("probe as the execution role", () => {
        it("the role cannot read the bucket: list and config.json fail with Bedrock's error", async () => {
            const c = config({ allowAssumeFrom: [OPERATOR] });
            const d = deploy(c);
            // The bucket policy is gone: the role's own policy allows the reads, the bucket's owner no longer does.
            d.bucket.policy = undefined;
            const results = await run(c);
            expect(byId(results, "probe.assume").ok).to.equal(true);
            const list = byId(results, `probe.${MODEL}.list`);
            expect(list.ok).to.equal(false);
            expect(list.detail).to.contain("AccessDenied").and.to.contain("doesn't have access to the S3 location");
            expect(byId(results, `probe.${MODEL}.read-config`).ok).to.equal(false);
        });

        it("the trust statement is not deployed: assume fails and the simulator agrees", async () => {
            const c = config({ allowAssumeFrom: [OPERATOR] });
            const d = deploy(c);
            d.role.trust = JSON.stringify(trustPolicy({ ...d.params, allowAssumeFrom: [] }));
            const results = await run(c);
            const assume = byId(results, "probe.assume");
            expect(assume.ok).to.equal(false);
            expect(assume.fix).to.contain("is in allowAssumeFrom: run pulumi up");
            expect(byId(results, `probe.${MODEL}`).skipped).to.equal(true);
            expect(byId(results, `access.trust.operator:${OPERATOR}`).ok).to.equal(false);
        });

        describe("an IAM Identity Center session (role with a path)", () => {
            const ssoConfig = (allowAssumeFrom: string[]) => {
                const c = config({ hostProfile: "verify-host-sso", allowAssumeFrom });
                const d = deploy(c);
                stub.addRole(SSO_ROLE);
                stub.addRoleSession(SSO_ROLE, "alice", SSO_SESSION_KEY);
                return { c, d };
            };

            it("listed with its path: the trust policy admits it and the probe names the configured ARN", async () => {
                const { c } = ssoConfig([SSO_ROLE_ARN]);
                const results = await run(c);
                expect(byId(results, "identity.hosting").detail).to.equal(
                    `arn:aws:sts::${HOST}:assumed-role/AWSReservedSSO_Admin_abc/alice`,
                );
                const assume = byId(results, "probe.assume");
                expect(assume.ok).to.equal(true);
                expect(assume.title).to.equal(
                    `Assume arn:aws:iam::${HOST}:role/BedrockCMIExecutionRole-${HOST} as ${SSO_ROLE_ARN}`,
                );
                expect(failedIds(results)).to.deep.equal([]);
            });

            it("listed, trust statement not deployed: the fix says it is listed (matched by account and role name)", async () => {
                const { c, d } = ssoConfig([SSO_ROLE_ARN]);
                d.role.trust = JSON.stringify(trustPolicy({ ...d.params, allowAssumeFrom: [] }));
                const assume = byId(await run(c), "probe.assume");
                expect(assume.ok).to.equal(false);
                expect(assume.fix).to.contain(`${SSO_ROLE_ARN} is in allowAssumeFrom: run pulumi up`);
            });

            it("listed without the path: not the same aws:PrincipalArn; the fix names the ARN with the path", async () => {
                const pathless = `arn:aws:iam::${HOST}:role/AWSReservedSSO_Admin_abc`;
                const { c } = ssoConfig([pathless]);
                const assume = byId(await run(c), "probe.assume");
                expect(assume.ok).to.equal(false);
                expect(assume.fix).to.contain(
                    `allowAssumeFrom lists ${pathless}, but your aws:PrincipalArn is ${SSO_ROLE_ARN}`,
                );
            });

            it("not listed: the fix suggests the role ARN with its path", async () => {
                const { c } = ssoConfig([`arn:aws:iam::${HOST}:role/Other`]);
                const assume = byId(await run(c), "probe.assume");
                expect(assume.ok).to.equal(false);
                expect(assume.fix).to.contain(`${SSO_ROLE_ARN} is not in modelHosting.troubleshooting.allowAssumeFrom`);
            });

            it("nothing listed: the suggestion is the role ARN with its path, read with iam:GetRole", async () => {
                const { c } = ssoConfig([]);
                const results = await run(c);
                const probe = byId(results, "probe");
                expect(probe.skipped).to.equal(true);
                expect(probe.fix).to.contain(`(${SSO_ROLE_ARN})`);
                expect(
                    stub.requests.some(
                        (r) => r.service === "iam" && r.action === "GetRole" && r.accessKeyId === SSO_SESSION_KEY,
                    ),
                ).to.equal(true);
            });

            it("iam:GetRole refused: the pathless guess, flagged as such", async () => {
                const { c } = ssoConfig([]);
                stub.refused.add("iam:GetRole");
                const probe = byId(await run(c), "probe");
                expect(probe.fix)
                    .to.contain(`arn:aws:iam::${HOST}:role/AWSReservedSSO_Admin_abc (iam:GetRole failed: AccessDenied`)
                    .and.to.contain("aws-reserved/sso.amazonaws.com/");
            });
        });

        it("the caller is not among allowAssumeFrom", async () => {
            const other = `arn:aws:iam::${HOST}:role/SomeoneElse`;
            const c = config({ allowAssumeFrom: [other] });
            deploy(c);
            const assume = byId(await run(c), "probe.assume");
            expect(assume.ok).to.equal(false);
            expect(assume.fix).to.contain(`${OPERATOR} is not in modelHosting.troubleshooting.allowAssumeFrom`);
        });
    });

    it("formats ✔ / ✘ lines with the problem and the fix", async () => {
        const c = config();
        deploy(c, { [MODEL]: hfLayout({ omit: ["config.json"] }) });
        const text = formatResults(await run(c));
        expect(text).to.match(/^✔ Credentials for the model development account/m);
        expect(text).to.match(
            /^✘ s3:\/\/model-artifacts-111122223333\/mistral-model-weights\/config\.json is present and parseable$/m,
        );
        expect(text).to.contain("    fix: Upload the model's config.json");
        expect(text).to.match(/^– Probe as the execution role/m);
        expect(text).to.match(/1 of \d+ checks FAILED.*artifacts\.mistral-777788889999-01\.config/);
    });
});
