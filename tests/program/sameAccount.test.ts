// One account for both (modelDevelopment.accountId == modelHosting.accountId): AWS imports from a bucket of the hosting
// account itself, and a sandbox stack does exactly that. Config, program under mocks, plan and verify-access all work;
// a must-deny row the bucket or key policy cannot enforce within one account says so instead of failing.

import { expect } from "chai";
import * as fs from "fs";
import { parseStackConfig } from "../../components/config/stackConfig";
import type { PolicyDocument } from "../../components/policies/document";
import { planMain } from "../../scripts/plan/cli";
import { formatResults } from "../../scripts/verify/format";
import { failed, runVerification } from "../../scripts/verify/run";
import { deployStack, type AwsStub } from "../fakes/awsStub";
import { startStubSession, type StubSession } from "../helpers/stubSession";
import { hfLayout } from "../fakes/hfLayout";
import { contractConfig, json, runProgram, type ContractConfig } from "../helpers/programHarness";
import { tempStackRoot } from "../helpers/stackFiles";
import { stringify as stringifyYaml } from "yaml";

const SANDBOX = "111122223333";

/** A fixture stack moved into one account: every hosting id becomes the development account's. */
function oneAccount(fixture: "dev" | "prod"): ContractConfig {
    const c = JSON.parse(JSON.stringify(contractConfig(fixture)).replace(/777788889999/g, SANDBOX)) as ContractConfig;
    expect(c.modelHosting.accountId).to.equal(SANDBOX);
    return c;
}

function stackFile(c: ContractConfig): string {
    const ns = "bedrock-cross-account-import";
    return stringifyYaml({
        config: {
            "pulumi:disable-default-providers": ["aws"],
            [`${ns}:modelDevelopment`]: c.modelDevelopment,
            [`${ns}:modelHosting`]: c.modelHosting,
            [`${ns}:models`]: c.models,
        },
    });
}

describe("same-account stacks (development account = hosting account)", function () {
    this.timeout(30000);

    it("the config is accepted", () => {
        const parsed = parseStackConfig(oneAccount("prod"));
        expect(parsed.modelHosting.accountId).to.equal(parsed.modelDevelopment.accountId);
    });

    it("the program registers every resource in that account, with the documents of the two-account case", async () => {
        const run = await runProgram(oneAccount("prod"));
        expect(run.error).to.equal(undefined);
        const providers = run.resources.filter((r) => r.type === "pulumi:providers:aws");
        expect(providers.map((r) => JSON.parse(String(r.inputs.allowedAccountIds)))).to.deep.equal([
            [SANDBOX],
            [SANDBOX],
        ]);
        const statements = run.resources.find((r) => r.type === "pulumi-nodejs:dynamic/bedrock:BucketPolicyStatements")!
            .inputs.statements as Array<{
            Principal?: unknown;
            Condition?: unknown;
        }>;
        expect(statements[0].Principal).to.deep.equal({ AWS: `arn:aws:iam::${SANDBOX}:root` });
        expect(statements[0].Condition).to.deep.equal({
            ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${SANDBOX}:role/BedrockCMIExecutionRole-prod` },
        });
        const execution = json(
            run.resources.find((r) => r.type === "aws:iam/policy:Policy")!.inputs.policy,
        ) as PolicyDocument;
        expect(execution.Statement[0].Condition).to.deep.equal({ StringEquals: { "aws:ResourceAccount": SANDBOX } });
        const model = run.resources.find((r) => r.type === "pulumi-nodejs:dynamic/bedrock:ImportedModel")!;
        expect(model.inputs.accountId).to.equal(SANDBOX);
        expect(model.inputs.roleArn).to.equal(`arn:aws:iam::${SANDBOX}:role/BedrockCMIExecutionRole-prod`);
    });

    describe("npm run plan", () => {
        let root: string;
        before(() => {
            root = tempStackRoot({ sandbox: stackFile(oneAccount("prod")), sandboxdev: stackFile(oneAccount("dev")) });
        });
        after(() => fs.rmSync(root, { recursive: true, force: true }));

        for (const [stack, limited] of [
            ["sandbox", ["s3.other-hosting-role", "kms.development.other-hosting-role"]],
            ["sandboxdev", ["s3.other-hosting-role"]],
        ] as const) {
            it(`${stack}: exit 0; the rows one account cannot enforce are ⚠ with the reason, none ✘`, async () => {
                let out = "";
                const code = await planMain(
                    ["--stack", stack],
                    { stdout: (t) => (out += t), stderr: (t) => (out += t) },
                    { root },
                );
                expect(code, out.slice(-3000)).to.equal(0);
                expect(out).not.to.include("✘");
                expect(out).to.include(
                    "⚠ [must be denied, cannot be in one account] Another role of the hosting account",
                );
                expect(out).to.include(`development and hosting are one account (${SANDBOX})`);
                expect(out).to.include(
                    `${limited.length} must-deny row${limited.length === 1 ? "" : "s"} cannot be enforced within ` +
                        `one account`,
                );
                let json = "";
                await planMain(
                    ["--stack", stack, "--json"],
                    { stdout: (t) => (json += t), stderr: () => undefined },
                    { root },
                );
                const plan = JSON.parse(json) as { accessMatrix: Array<{ id: string; limitation?: boolean }> };
                expect(plan.accessMatrix.filter((r) => r.limitation).map((r) => r.id)).to.deep.equal([...limited]);
            });
        }
    });

    describe("verify-access against the local AWS stub", () => {
        let session: StubSession;
        let stub: AwsStub;
        beforeEach(async () => {
            session = await startStubSession({
                "model-development": "AKIADEVELOPMENT00001",
                "model-hosting": "AKIAHOSTING000000001",
            });
            stub = session.stub;
        });
        afterEach(() => session.stop());

        it("passes; the unenforceable rows are warnings naming the reason, not ✔", async () => {
            const raw = oneAccount("dev");
            const config = parseStackConfig(raw);
            deployStack(stub, config, "sandbox", { [config.models[0].name]: hfLayout() });
            const results = await runVerification(config, { stack: "sandbox", maxAttempts: 1 });
            expect(
                failed(results).map((r) => r.id),
                formatResults(results),
            ).to.deep.equal([]);
            const row = results.find((r) => r.id === "access.s3.other-hosting-role")!;
            expect(row.warning).to.equal(true);
            expect(row.detail).to.include(`one account (${SANDBOX})`);
            expect(formatResults(results)).to.include("⚠ must be denied: Another role of the hosting account");
            expect(results.find((r) => r.id === "access.s3.read:mistral-model-weights/config.json")?.ok).to.equal(true);
        });
    });
});
