// `npm run plan` against one temporary stack file per class of misconfiguration (derived from the shipped
// Pulumi.dev.yaml), in-process: config errors exit 2 naming the key, documents AWS would refuse exit 1
// naming the document, its size and its limit, warnings leave the exit code alone.

import { expect } from "chai";
import * as fs from "fs";
import { CONFIG_NAMESPACE } from "../../components/config/stackConfig";
import { planMain } from "../../scripts/plan/cli";
import { derivedStack, SHIPPED_DEV, tempStackRoot, type Section, type StackYaml } from "../helpers/stackFiles";

interface Case {
    name: string;
    /** The stack file, from the shipped dev stack. */
    stack: { yaml?: (s: StackYaml) => void; text?: (t: string) => string };
    /** Extra arguments after `--stack <name>`; `argv` replaces all arguments. */
    argv?: string[];
    code: 0 | 1 | 2;
    /** Each must appear in the output (stdout and stderr together). */
    mentions: string[];
    /** None may appear. */
    absent?: string[];
}

const model = (s: StackYaml): Section => s.models[0];
const hostingRegion = (region: string) => (s: StackYaml) => void (s.section("modelHosting").region = region);
const prefixes = (list: string[]) => (s: StackYaml) =>
    void (s.models = list.map((p, i) => ({ name: `mistral-${i}`, s3Prefix: p })));
const operators = (list: string[]) => (s: StackYaml) =>
    void (s.sub("modelHosting", "troubleshooting").allowAssumeFrom = list);
const rename = (from: string, to: string) => (t: string) => t.replace(`${CONFIG_NAMESPACE}:${from}:`, to + ":");

// Each prefix is valid on its own (ASCII, well under S3's 1,024-byte keys); eight of them make the execution
// policy's ReadModelArtifacts statement longer than IAM's 6,144 characters.
const LONG_PREFIXES = Array.from({ length: 8 }, (_, i) => `fine-tunes/run-${i}/${"w".repeat(700)}/`);
const FORTY_OPERATORS = Array.from(
    { length: 40 },
    (_, i) => `arn:aws:iam::777788889999:role/operator-${String(i).padStart(2, "0")}`,
);
const SSO_ROLE = "arn:aws:iam::777788889999:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef";

const CASES: Case[] = [
    ...["ap-south-1", "cn-north-1", "us-gov-west-1"].map((region): Case => ({
        name: `hosting region ${region}, where Custom Model Import is not offered`,
        stack: { yaml: hostingRegion(region) },
        code: 2,
        mentions: ["[modelHosting.region]", region],
    })),
    {
        name: "tag key with a character Bedrock refuses",
        stack: { yaml: (s) => void (model(s).tags = { "cost#center": "ml" }) },
        code: 2,
        mentions: ["[models[0].tags.cost#center]"],
    },
    {
        name: "48 own tags, 53 with the program's five (three defaults, the owner and the entry tag)",
        stack: {
            yaml: (s) =>
                void (model(s).tags = Object.fromEntries(Array.from({ length: 48 }, (_, i) => [`tag${i}`, "x"]))),
        },
        code: 2,
        mentions: ["[models[0].tags]", "53 tags", "at most 50"],
    },
    {
        name: "eight long prefixes: the execution policy is over IAM's managed-policy limit",
        stack: { yaml: prefixes(LONG_PREFIXES) },
        code: 1,
        mentions: [
            "✘ execution policy BedrockCMIExecutionPolicy-777788889999: ",
            "the IAM managed policy limit is 6144",
            "models[].s3Prefix (8 distinct prefixes",
        ],
    },
    {
        name: "forty troubleshooting operators: the trust policy is over IAM's trust-policy limit",
        stack: { yaml: operators(FORTY_OPERATORS) },
        code: 1,
        mentions: [
            "✘ trust policy of role BedrockCMIExecutionRole-777788889999: ",
            "the IAM role trust policy limit is 2048",
            "modelHosting.troubleshooting.allowAssumeFrom (40 entries)",
        ],
    },
    {
        name: "prefix with characters IAM policies cannot hold",
        stack: { yaml: (s) => void (model(s).s3Prefix = "模型/mistral/") },
        code: 2,
        mentions: ["[models[0].s3Prefix]", "U+6A21"],
    },
    {
        name: "prefix with a policy variable",
        stack: { yaml: (s) => void (model(s).s3Prefix = "weights/${aws:username}/") },
        code: 2,
        mentions: ["[models[0].s3Prefix]", '"$" (U+0024)', "Bedrock's s3Uri rule"],
    },
    {
        name: "operator given as an STS session ARN",
        stack: { yaml: operators(["arn:aws:sts::777788889999:assumed-role/Admin/alice"]) },
        code: 2,
        mentions: [
            "[modelHosting.troubleshooting.allowAssumeFrom[0]]",
            "arn:aws:iam::777788889999:role/<path>Admin",
            "aws iam get-role --role-name Admin",
        ],
    },
    {
        name: "operator given as the account root",
        stack: { yaml: operators(["arn:aws:iam::777788889999:root"]) },
        code: 2,
        mentions: ["[modelHosting.troubleshooting.allowAssumeFrom[0]]", "account root"],
    },
    {
        name: "operator role with a path (IAM Identity Center) is accepted",
        stack: { yaml: operators([SSO_ROLE]) },
        code: 0,
        mentions: [SSO_ROLE, "AllowOperatorTroubleshooting"],
    },
    {
        name: "four models: a warning about the imported-models quota, exit 0",
        stack: { yaml: prefixes(["a/", "b/", "c/", "d/"]) },
        code: 0,
        mentions: [
            "WARNING",
            "L-45B04988",
            "--quota-code L-45B04988 --desired-value 4 --region us-east-1",
            "one model at a time",
        ],
    },
    {
        name: "account id unquoted: YAML reads a number and drops the leading zero",
        stack: { text: (t) => t.replace('accountId: "111122223333"', "accountId: 012345678901") },
        code: 2,
        mentions: ["[modelDevelopment.accountId]", "quotes", "<12 digits>"],
        absent: ['"12345678901"', "'12345678901'", '"012345678901"'],
    },
    {
        name: "prefix segment with a trailing space",
        stack: { yaml: (s) => void (model(s).s3Prefix = "my model /weights/") },
        code: 2,
        mentions: ["[models[0].s3Prefix]", '" " (U+0020, a space)'],
    },
    {
        name: "prefix with a wildcard",
        stack: { yaml: (s) => void (model(s).s3Prefix = "weights/*") },
        code: 2,
        mentions: ["[models[0].s3Prefix]", "wildcards"],
    },
    {
        name: "both a new development key and the research team's key",
        stack: {
            yaml: (s) =>
                void (s.section("modelDevelopment").kms = {
                    enabled: true,
                    keyArn: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                }),
        },
        code: 2,
        mentions: ["[modelDevelopment.kms.keyArn]", "modelDevelopment.kms.enabled: true are both set"],
    },
    {
        name: "namespace key with a typo (modelhosting)",
        stack: { text: rename("modelHosting", `${CONFIG_NAMESPACE}:modelhosting`) },
        code: 2,
        mentions: [
            `[${CONFIG_NAMESPACE}:modelhosting]`,
            `did you mean ${CONFIG_NAMESPACE}:modelHosting?`,
            "(1 problem)",
        ],
        // One typo, one problem: the section it meant is not also "required".
        absent: ["[modelHosting] is required"],
    },
    {
        name: "namespace key in the singular (model)",
        stack: { text: rename("models", `${CONFIG_NAMESPACE}:model`) },
        code: 2,
        mentions: [`[${CONFIG_NAMESPACE}:model]`, `did you mean ${CONFIG_NAMESPACE}:models?`],
    },
    {
        name: "key without the namespace (modelHosting)",
        stack: { text: rename("modelHosting", "modelHosting") },
        code: 2,
        mentions: ["[modelHosting] has no namespace", `write it as ${CONFIG_NAMESPACE}:modelHosting`],
    },
    {
        name: "no --stack: usage and the known stacks, no silent default",
        stack: {},
        argv: [],
        code: 2,
        mentions: ["--stack <name> is required", "usage: npm run plan -- --stack <name> [--json]", "known stacks"],
        absent: ["Plan for stack"],
    },
    {
        name:
            "the research team's existing key (kms.keyArn): the grant is simulated as the key's permission, access " +
            "green",
        stack: {
            yaml: (s) => {
                s.sub("modelDevelopment", "artifactBucket").create = false;
                s.section("modelDevelopment").kms = {
                    keyArn: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                };
            },
        },
        code: 0,
        mentions: ["aws:kms/grant:Grant", "The execution role can kms:Decrypt with the development key"],
    },
];

describe("npm run plan: one stack file per misconfiguration", function () {
    this.timeout(30000);
    let root: string;
    const stackName = (i: number) => `case${i}`;

    before(() => {
        // The shipped dev stack is there too: without --stack, the plan must not fall back to it.
        root = tempStackRoot({
            dev: SHIPPED_DEV,
            ...Object.fromEntries(CASES.map((c, i) => [stackName(i), derivedStack(c.stack)])),
        });
    });
    after(() => fs.rmSync(root, { recursive: true, force: true }));

    CASES.forEach((c, i) => {
        it(`${c.name} → exit ${c.code}`, async () => {
            let out = "";
            const argv = c.argv ?? ["--stack", stackName(i)];
            const code = await planMain(argv, { stdout: (t) => (out += t), stderr: (t) => (out += t) }, { root });
            expect(code, out.slice(0, 3000)).to.equal(c.code);
            for (const m of c.mentions) expect(out).to.include(m);
            for (const a of c.absent ?? []) expect(out).not.to.include(a);
        });
    });
});
