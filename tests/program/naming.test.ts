// What verify-access reads is what the program registers. For the shipped example stacks and the test fixtures, the
// program runs under mocks; the AWS stub is then filled with exactly the resources it registered (names, documents, key
// ARNs as the mocks assigned them), with no derivation of verify-access's or of the naming module's, and
// verify-access's deployed-document checks must find every one of them and see no drift.

import { IAMClient } from "@aws-sdk/client-iam";
import { KMSClient } from "@aws-sdk/client-kms";
import { S3Client } from "@aws-sdk/client-s3";
import { STSClient } from "@aws-sdk/client-sts";
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { parseStackConfig, type StackConfig } from "../../components/config/stackConfig";
import { PROJECT } from "../../components/naming";
import { parseOptionsFor } from "../../components/config/providerArgs";
import { runProgram, type ProgramRun, type RecordedResource } from "../../scripts/common/mockProgram";
import { rawStackConfig, readStackConfigMap, REPO_ROOT } from "../../scripts/common/stackFile";
import type { AccountClients } from "../../scripts/verify/clients";
import { checkDeployed } from "../../scripts/verify/deployed";
import { AwsStub, setEnv } from "../fakes/awsStub";

const FIXTURES_ROOT = path.join(REPO_ROOT, "tests", "fixtures");
// The shipped example stacks by their copies (the root files are the user's to edit), and the single-stack fixtures.
const EXAMPLES_ROOT = path.join(FIXTURES_ROOT, "examples");
const STACKS: Array<{ root: string; stack: string }> = [
    { root: EXAMPLES_ROOT, stack: "dev" },
    { root: EXAMPLES_ROOT, stack: "prod" },
    { root: FIXTURES_ROOT, stack: "dev" },
    { root: FIXTURES_ROOT, stack: "prod" },
];

function clientsFor(stub: AwsStub, account: string, user: string): AccountClients {
    const common = {
        region: "us-east-1",
        credentials: { accessKeyId: stub.addUser(account, user), secretAccessKey: "stub-secret" },
        maxAttempts: 1,
    };
    return {
        sts: new STSClient(common),
        s3: new S3Client({ ...common, forcePathStyle: true }),
        iam: new IAMClient(common),
        kms: new KMSClient(common),
        source: `user ${user}`,
    };
}

const byType = (run: ProgramRun, type: string) => run.resources.filter((r) => r.type === type);
const text = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

/** The stub holds what the program registered, read off the recorded resources and the mocks' ids and ARNs. */
function fillFromRegistrations(stub: AwsStub, run: ProgramRun, config: StackConfig): void {
    const accountOf = (r: RecordedResource) =>
        r.providerName === "model-hosting" ? config.modelHosting : config.modelDevelopment;
    const [statements] = byType(run, "pulumi-nodejs:dynamic/bedrock:BucketPolicyStatements");
    stub.buckets.set(String(statements.inputs.bucket), {
        owner: String(statements.inputs.accountId),
        policy: JSON.stringify({ Version: "2012-10-17", Statement: statements.inputs.statements }),
        objects: new Map(),
    });
    const [role] = byType(run, "aws:iam/role:Role");
    const [policy] = byType(run, "aws:iam/policy:Policy");
    const hosting = config.modelHosting;
    // The ARNs are the mocks' (scripts/common/mockProgram.ts), which build them from the registered names.
    const policyArn = `arn:aws:iam::${hosting.accountId}:policy/${String(policy.inputs.name)}`;
    stub.addRole({
        account: hosting.accountId,
        name: String(role.inputs.name),
        trust: text(role.inputs.assumeRolePolicy),
        attached: [policyArn],
        inline: {},
    });
    stub.policies.set(policyArn, {
        arn: policyArn,
        name: String(policy.inputs.name),
        document: text(policy.inputs.policy),
        defaultVersionId: "v1",
    });
    const aliases = byType(run, "aws:kms/alias:Alias");
    for (const key of byType(run, "aws:kms/key:Key")) {
        const { accountId, region } = accountOf(key);
        stub.addKey({
            account: accountId,
            region,
            id: `key-${key.name}`,
            arn: `arn:aws:kms:${region}:${accountId}:key/key-${key.name}`,
            policy: text(key.inputs.policy),
            state: "Enabled",
            aliases: aliases
                .filter((a) => a.inputs.targetKeyId === `key-${key.name}`)
                .map((a) => String(a.inputs.name)),
        });
    }
    for (const grant of byType(run, "aws:kms/grant:Grant")) {
        const keyArn = String(grant.inputs.keyId);
        stub.addKey({
            account: config.modelDevelopment.accountId,
            region: config.modelDevelopment.region,
            id: keyArn.split("/")[1],
            arn: keyArn,
            policy: JSON.stringify({ Version: "2012-10-17", Statement: [] }),
            state: "Enabled",
            aliases: [],
            grants: [
                {
                    GrantId: "grant-1",
                    Name: String(grant.inputs.name),
                    GranteePrincipal: String(grant.inputs.granteePrincipal),
                    Operations: grant.inputs.operations as string[],
                },
            ],
        });
    }
}

describe("names: what verify-access reads is what the program registers", function () {
    this.timeout(60000);
    let stub: AwsStub;
    let restoreEnv: () => void;

    beforeEach(async () => {
        stub = new AwsStub();
        await stub.start();
        restoreEnv = setEnv({ ...stub.endpointEnv(), AWS_ENDPOINT_URL: undefined });
    });

    afterEach(async () => {
        restoreEnv();
        await stub.stop();
    });

    it("the project name is Pulumi.yaml's", () => {
        const project = parseYaml(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8")) as { name: string };
        expect(project.name).to.equal(PROJECT);
    });

    for (const { root, stack } of STACKS) {
        it(
            `${path.relative(REPO_ROOT, path.join(root, `Pulumi.${stack}.yaml`))}: every deployed document is found ` +
                `where the program put it, without drift`,
            async () => {
                const map = readStackConfigMap(stack, root);
                const config = parseStackConfig(rawStackConfig(map), parseOptionsFor(PROJECT, stack));
                const run = await runProgram(map, stack);
                expect(run.error).to.equal(undefined);
                fillFromRegistrations(stub, run, config);

                const dev = clientsFor(stub, config.modelDevelopment.accountId, "developer");
                const host = clientsFor(stub, config.modelHosting.accountId, "operator");
                const { results } = await checkDeployed(config, stack, dev, host);
                const deployed = results.filter(
                    (r) => r.id.startsWith("deployed.") && r.id !== "deployed.otherRolePolicies",
                );
                const drift = results.filter((r) => r.id.startsWith("drift."));
                // Every document the stack writes was read (bucket policy, trust, execution policy, and each key or grant).
                const keys = byType(run, "aws:kms/key:Key").length + byType(run, "aws:kms/grant:Grant").length;
                expect(deployed.map((r) => r.id)).to.have.length(3 + keys);
                for (const r of [...deployed, ...drift]) {
                    expect(r.ok, `${r.id}: ${r.detail ?? ""}`).to.equal(true);
                    expect(r.warning ?? false, `${r.id}: ${r.detail ?? ""}`).to.equal(false);
                }
                expect(drift.map((r) => r.id)).to.include.members([
                    "drift.bucketPolicy",
                    "drift.trustPolicy",
                    "drift.executionPolicy",
                ]);
            },
        );
    }
});
