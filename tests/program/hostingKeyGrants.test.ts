// The hosting key (imported models): both identities AWS's sources name get it, each only through Bedrock
// (docs/access.md, item 5): the execution role (the cross-account walkthrough, in the key policy and in the execution
// policy) and the importing identity (the CMK page). Checked on what the program registers, and through `npm run
// plan`'s matrix.

import { expect } from "chai";
import * as fs from "fs";
import type { PolicyDocument, PolicyStatement } from "../../components/policies/document";
import { planMain } from "../../scripts/plan/cli";
import { contractConfig, FIXTURES_ROOT, json, runProgram, type ProgramRun } from "../helpers/programHarness";
import { tempStackRoot } from "../helpers/stackFiles";

// Pulumi (logical) names carry no stack.
const P = "bedrock-cmi";
const ROLE = "arn:aws:iam::777788889999:role/BedrockCMIExecutionRole-prod";
const VIA_BEDROCK = { "kms:ViaService": "bedrock.us-east-1.amazonaws.com" };

function one(run: ProgramRun, type: string, name: string) {
    const found = run.resources.filter((r) => r.type === type && r.name === name);
    expect(found, `${type} ${name}`).to.have.length(1);
    return found[0];
}

/** Statements of `doc` naming `principal` (with no principal: identity-policy statements). */
function roleStatements(doc: PolicyDocument, principal?: string): PolicyStatement[] {
    return doc.Statement.filter((s) =>
        principal === undefined
            ? s.Principal === undefined
            : JSON.stringify(s.Principal) === JSON.stringify({ AWS: principal }),
    );
}

describe("hosting key: the execution role and the importing identity, each only through Bedrock", function () {
    this.timeout(30000);
    let run: ProgramRun;
    let hostKeyArn: string;
    before(async () => {
        run = await runProgram(contractConfig("prod"));
        expect(run.error).to.equal(undefined);
        hostKeyArn = run.outputs.hostingKeyArn as string;
    });

    it("the key policy names the execution role for the walkthrough's actions and CreateGrant, through Bedrock only", () => {
        const policy = json(one(run, "aws:kms/key:Key", `${P}-imported-models-key`).inputs.policy) as PolicyDocument;
        const statements = roleStatements(policy, ROLE);
        expect(statements.map((s) => s.Action)).to.deep.equal([
            ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
            "kms:CreateGrant",
        ]);
        for (const s of statements) expect(s.Condition?.StringEquals).to.deep.equal(VIA_BEDROCK);
        expect(statements[1].Condition?.Bool).to.deep.equal({ "kms:GrantIsForAWSResource": "true" });
        // The importing identity keeps its own statements (the CMK page's set).
        const importer = roleStatements(policy, "arn:aws:iam::777788889999:role/bedrock-cmi-deployer");
        expect(importer.map((s) => s.Action)).to.deep.equal([
            ["kms:DescribeKey", "kms:GenerateDataKey", "kms:Decrypt"],
            "kms:CreateGrant",
        ]);
    });

    it("the execution policy gives the role the same on the hosting key's ARN, through Bedrock only", () => {
        const policy = json(one(run, "aws:iam/policy:Policy", `${P}-execution-policy`).inputs.policy) as PolicyDocument;
        const onKey = policy.Statement.filter((s) => s.Resource === hostKeyArn);
        expect(onKey.map((s) => s.Action)).to.deep.equal([
            ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
            "kms:CreateGrant",
        ]);
        for (const s of onKey) expect(s.Condition?.StringEquals).to.deep.equal(VIA_BEDROCK);
        expect(onKey[1].Condition?.Bool).to.deep.equal({ "kms:GrantIsForAWSResource": "true" });
    });

    it("the key is created after the role its policy names (KMS refuses a principal that does not exist)", () => {
        const role = one(run, "aws:iam/role:Role", `${P}-execution-role`);
        expect(one(run, "aws:kms/key:Key", `${P}-imported-models-key`).dependencies).to.include(role.urn);
    });

    describe("npm run plan on a stack with the hosting key", () => {
        let root: string;
        before(() => {
            root = tempStackRoot({ prod: fs.readFileSync(`${FIXTURES_ROOT}/Pulumi.prod.yaml`, "utf8") });
        });
        after(() => fs.rmSync(root, { recursive: true, force: true }));

        it("exit 0; the matrix allows the role through Bedrock and denies it outside", async () => {
            let out = "";
            const code = await planMain(
                ["--stack", "prod", "--json"],
                { stdout: (t) => (out += t), stderr: () => undefined },
                { root },
            );
            expect(code, out.slice(0, 2000)).to.equal(0);
            const plan = JSON.parse(out) as {
                accessMatrix: Array<{ id: string; ok: boolean; expect: string; principal: string }>;
            };
            const rows = plan.accessMatrix.filter((r) => r.id.startsWith("kms.hosting.role"));
            expect(rows.filter((r) => r.expect === "allowed").map((r) => r.id)).to.deep.equal([
                "kms.hosting.role:kms:Encrypt",
                "kms.hosting.role:kms:Decrypt",
                "kms.hosting.role:kms:ReEncryptFrom",
                "kms.hosting.role:kms:ReEncryptTo",
                "kms.hosting.role:kms:GenerateDataKey",
                "kms.hosting.role:kms:GenerateDataKeyWithoutPlaintext",
                "kms.hosting.role:kms:DescribeKey",
                "kms.hosting.role:kms:CreateGrant",
            ]);
            expect(rows.filter((r) => r.expect === "denied").map((r) => r.id)).to.deep.equal([
                "kms.hosting.role.deny.decrypt-direct",
                "kms.hosting.role.deny.encrypt-other-service",
                "kms.hosting.role.deny.create-grant-direct",
            ]);
            for (const r of rows) expect(r.principal).to.equal(ROLE);
            expect(plan.accessMatrix.filter((r) => !r.ok)).to.deep.equal([]);
        });
    });
});
