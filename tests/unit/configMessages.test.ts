// Likely config mistakes get a message that names the key and says what to write instead, through `npm run plan`
// exactly as a user's stack file would reach it (exit 2, nothing else claimed about other keys).

import { expect } from "chai";
import * as fs from "fs";
import { planMain } from "../../scripts/plan/cli";
import { derivedStack, tempStackRoot, type StackYaml } from "../helpers/stackFiles";

interface Case {
    name: string;
    edit: (s: StackYaml) => void;
    /** The one key that must be reported, and what its message must say. */
    key: string;
    mentions: string[];
    /** Nothing but this key may be reported (default). */
    only?: boolean;
    absent?: string[];
}

const RESEARCH_KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

const CASES: Case[] = [
    {
        name: "keyArn under modelHosting.kms",
        edit: (s) => void (s.section("modelHosting").kms = { keyArn: RESEARCH_KEY }),
        key: "modelHosting.kms.keyArn",
        mentions: ["belongs under modelDevelopment.kms.keyArn", "modelHosting.kms.enabled: true"],
        absent: ["did you mean"],
    },
    {
        name: "bucket name given as an S3 URI",
        edit: (s) => void (s.sub("modelDevelopment", "artifactBucket").name = "s3://model-artifacts-111122223333/"),
        key: "modelDevelopment.artifactBucket.name",
        mentions: ["bare name", 'name: "model-artifacts-111122223333"'],
        absent: ["may contain only lowercase"],
    },
    {
        name: "bucket name given as an S3 URI with a folder",
        edit: (s) =>
            void (s.sub("modelDevelopment", "artifactBucket").name =
                "s3://model-artifacts-111122223333/mistral-model-weights/"),
        key: "modelDevelopment.artifactBucket.name",
        mentions: ['name: "model-artifacts-111122223333"', '"mistral-model-weights/" into models[].s3Prefix'],
    },
    {
        name: "executionRoleName given as a role ARN",
        edit: (s) =>
            void (s.section("modelHosting").executionRoleName =
                "arn:aws:iam::777788889999:role/BedrockCMIExecutionRole-dev"),
        key: "modelHosting.executionRoleName",
        mentions: ["is an ARN", 'executionRoleName: "BedrockCMIExecutionRole-dev"'],
        absent: ["IAM's rule"],
    },
    {
        name: "executionPolicyName given as a policy ARN with a path",
        edit: (s) =>
            void (s.section("modelHosting").executionPolicyName =
                "arn:aws:iam::777788889999:policy/team/BedrockCMIExecutionPolicy-dev"),
        key: "modelHosting.executionPolicyName",
        mentions: ['executionPolicyName: "BedrockCMIExecutionPolicy-dev"', 'drop "/team/"'],
    },
    {
        name: "a number where a string belongs (role name)",
        edit: (s) => void (s.section("modelHosting").executionRoleName = 20261130),
        key: "modelHosting.executionRoleName",
        mentions: ["unquoted number 20261130", 'quote it: executionRoleName: "20261130"'],
    },
    {
        name: "a number where a string belongs (model name)",
        edit: (s) => void (s.models[0].name = 2024),
        key: "models[0].name",
        mentions: ['quote it: name: "2024"'],
    },
    {
        name: "a number where a string belongs (tag value)",
        edit: (s) => void (s.models[0].tags = { team: "hosting", release: 3 }),
        key: "models[0].tags.release",
        mentions: ['quote it: "3"'],
    },
    {
        name: "a hosting region in GovCloud: only the region problem",
        edit: (s) => {
            s.section("modelHosting").region = "us-gov-west-1";
            s.sub("modelHosting", "troubleshooting").allowAssumeFrom = ["arn:aws:iam::777788889999:role/Ops"];
        },
        key: "modelHosting.region",
        mentions: ["not offered", "us-east-1, us-east-2, us-west-2, eu-central-1"],
        absent: ["partition"],
    },
    {
        name: "a hosting region in China: only the region problem",
        edit: (s) => void (s.section("modelHosting").region = "cn-north-1"),
        key: "modelHosting.region",
        mentions: ["not offered"],
        absent: ["partition"],
    },
    {
        name: "a development region in China with a hosting region in aws: the partitions, no claim about the key",
        edit: (s) => {
            s.section("modelDevelopment").region = "cn-north-1";
            s.section("modelDevelopment").kms = {
                keyArn: "arn:aws-cn:kms:cn-north-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            };
        },
        key: "modelHosting.region",
        mentions: ["aws partition but modelDevelopment.region is in aws-cn"],
    },
    {
        name: "a user tag that replaces the program's ManagedBy tag",
        edit: (s) => void (s.models[0].tags = { team: "hosting", ManagedBy: "terraform" }),
        key: "models[0].tags.ManagedBy",
        mentions: ["set by the program itself", '"pulumi"', "another tag key"],
    },
    {
        name: "a user tag that replaces the program's PulumiStack tag",
        edit: (s) => void (s.models[0].tags = { PulumiStack: "prod" }),
        key: "models[0].tags.PulumiStack",
        mentions: ["set by the program itself", "Remove it"],
    },
];

describe("config messages that give the fix (npm run plan, exit 2)", function () {
    this.timeout(20000);
    let root: string;
    before(() => {
        root = tempStackRoot(Object.fromEntries(CASES.map((c, i) => [`case${i}`, derivedStack({ yaml: c.edit })])));
    });
    after(() => fs.rmSync(root, { recursive: true, force: true }));

    CASES.forEach((c, i) => {
        it(`${c.name} → [${c.key}]`, async () => {
            let out = "";
            const code = await planMain(
                ["--stack", `case${i}`],
                { stdout: (t) => (out += t), stderr: (t) => (out += t) },
                { root },
            );
            expect(code, out).to.equal(2);
            const problems = out.split("\n").filter((l) => l.startsWith("  - ["));
            const mine = problems.filter((p) => p.startsWith(`  - [${c.key}] `));
            expect(mine, out).to.have.length(1);
            for (const m of c.mentions) expect(mine[0]).to.include(m);
            for (const a of c.absent ?? []) expect(out).not.to.include(a);
            if (c.only !== false) expect(problems, out).to.have.length(1);
        });
    });
});
