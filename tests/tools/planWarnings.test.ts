// Likely mistakes that are valid config: `npm run plan` warns at exit 0, naming the key; it reads the other stack files
// of the folder and warns, naming both stacks, when two deploy to one hosting account with colliding names.

import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parseStackConfig } from "../../components/config/stackConfig";
import { planMain } from "../../scripts/plan/cli";
import { crossStackWarnings, settingsWarnings } from "../../scripts/plan/stackWarnings";
import { contractConfig } from "../helpers/programHarness";
import { derivedStack, tempStackRoot, type StackYaml } from "../helpers/stackFiles";

async function plan(root: string, stack: string): Promise<{ code: number; out: string; warnings: string[] }> {
    let out = "";
    const code = await planMain(["--stack", stack], { stdout: (t) => (out += t), stderr: (t) => (out += t) }, { root });
    return { code, out, warnings: out.split("\n").filter((l) => l.startsWith("WARNING: [")) };
}

/** Warnings about the stack's own config (the stacks of one root share a hosting account and names on purpose). */
const own = (warnings: string[]) => warnings.filter((w) => !w.includes(") both "));

const hosting = (edit: Record<string, unknown>) => (s: StackYaml) =>
    void Object.assign(s.section("modelHosting"), edit);

describe("npm run plan: warnings at exit 0 for likely mistakes", function () {
    this.timeout(30000);

    describe("one stack's own config", () => {
        let root: string;
        before(() => {
            root = tempStackRoot({
                bucketname: derivedStack({
                    yaml: (s) => void (s.models[0].s3Prefix = "model-artifacts-111122223333/mistral-model-weights/"),
                }),
                file: derivedStack({ yaml: (s) => void (s.models[0].s3Prefix = "mistral-model-weights/config.json") }),
                foreignkey: derivedStack({
                    yaml: (s) =>
                        void (s.section("modelDevelopment").kms = {
                            keyArn: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                        }),
                }),
                plain: derivedStack({}),
            });
        });
        after(() => fs.rmSync(root, { recursive: true, force: true }));

        it("a prefix that begins with the bucket's own name", async () => {
            const { code, warnings: all } = await plan(root, "bucketname");
            const warnings = own(all);
            expect(code).to.equal(0);
            expect(warnings).to.have.length(1);
            expect(warnings[0])
                .to.include("[models[0].s3Prefix]")
                .and.include("begins with the bucket's own name model-artifacts-111122223333")
                .and.include('write s3Prefix: "mistral-model-weights/"');
        });

        it("a prefix that names a file", async () => {
            const { code, warnings: all } = await plan(root, "file");
            const warnings = own(all);
            expect(code).to.equal(0);
            expect(warnings).to.have.length(1);
            expect(warnings[0])
                .to.include("[models[0].s3Prefix]")
                .and.include("names a file (config.json)")
                .and.include('Write s3Prefix: "mistral-model-weights/"');
        });

        it(
            "a research key in another account than modelDevelopment.accountId: what the development deployer then " +
                "needs",
            async () => {
                const { code, warnings: all } = await plan(root, "foreignkey");
                const warnings = own(all);
                expect(code).to.equal(0);
                expect(warnings).to.have.length(1);
                expect(warnings[0])
                    .to.include(
                        "[modelDevelopment.kms.keyArn] is a key of account 123456789012, not of " +
                            "modelDevelopment.accountId 111122223333",
                    )
                    .and.include("kms:CreateGrant, kms:RevokeGrant and kms:ListGrants")
                    .and.include("key policy in account 123456789012")
                    .and.include("own IAM policy");
            },
        );

        it("none for the plain stack", async () => {
            const { code, warnings } = await plan(root, "plain");
            expect(code).to.equal(0);
            expect(own(warnings)).to.deep.equal([]);
        });
    });

    describe("the other stack files in the folder", () => {
        let root: string;
        before(() => {
            root = tempStackRoot({
                // dev: the shipped single-stack fixture (hosting 777788889999, BedrockCMIExecutionRole-777788889999).
                dev: derivedStack({}),
                // The same hosting account, role and policy names differing only in case.
                staging: derivedStack({
                    yaml: hosting({
                        executionRoleName: "bedrockcmiexecutionrole-777788889999",
                        executionPolicyName: "BEDROCKCMIEXECUTIONPOLICY-777788889999",
                    }),
                }),
                // Another hosting account with the very same names: no collision.
                prod: derivedStack({ yaml: hosting({ accountId: "444455556666" }) }),
                // A dot in the stack name.
                "qa.eu": derivedStack({
                    yaml: hosting({
                        accountId: "444455556666",
                        executionRoleName: "BedrockCMIExecutionRole-777788889999",
                    }),
                }),
            });
        });
        after(() => fs.rmSync(root, { recursive: true, force: true }));

        it(
            "role and policy names equal apart from case in one hosting account: both stacks and files named, on " +
                "both plans",
            async () => {
                for (const [stack, other] of [
                    ["dev", "staging"],
                    ["staging", "dev"],
                ]) {
                    const { code, warnings } = await plan(root, stack);
                    expect(code).to.equal(0);
                    const role = warnings.find((w) => w.startsWith("WARNING: [modelHosting.executionRoleName]"));
                    expect(role, warnings.join("\n")).to.include(
                        // The files read, by their paths (not Pulumi.<stack>.yaml or a bare name that could be another
                        // folder's).
                        `stack ${stack} (${path.join(root, `Pulumi.${stack}.yaml`)}) and stack ${other} (${path.join(root, `Pulumi.${other}.yaml`)})`,
                    );
                    expect(role).to.include("hosting account 777788889999").and.include("equal apart from case");
                    expect(warnings.some((w) => w.startsWith("WARNING: [modelHosting.executionPolicyName]"))).to.equal(
                        true,
                    );
                    expect(warnings.join("\n")).not.to.include("stack prod");
                }
            },
        );

        it("the very same names in one hosting account (a stack with a dot in its name) are named too", async () => {
            const { code, warnings } = await plan(root, "prod");
            expect(code).to.equal(0);
            expect(warnings.find((w) => w.includes("[modelHosting.executionRoleName]")))
                .to.include(`stack qa.eu (${path.join(root, "Pulumi.qa.eu.yaml")})`)
                .and.include("the same name");
        });

        it(
            "the same SSM pointer in one account and region is named; pointers of differently named stacks never " +
                "collide",
            () => {
                const config = parseStackConfig(contractConfig("dev"));
                const same = crossStackWarnings("dev", "Pulumi.dev.yaml", config, [
                    { stack: "dev", file: "Pulumi.dev.yaml (another folder)", config },
                ]);
                expect(
                    same.find((w) => w.startsWith("WARNING: [models[0].name]") && w.includes("SSM pointer")),
                ).to.include("/bedrock-cmi/dev/mistral-777788889999-01/model-arn");
                // SSM names are case-sensitive and the pointer holds the stack name: Dev and dev write different pointers.
                const other = crossStackWarnings("dev", "Pulumi.dev.yaml", config, [
                    { stack: "Dev", file: "Pulumi.Dev.yaml", config },
                ]);
                expect(
                    other.filter((w) => w.startsWith("WARNING: [models[") && w.includes("SSM pointer")),
                ).to.deep.equal([]);
            },
        );

        it(
            "a stack without pulumi:disable-default-providers, or with both accounts on the default credential " +
                "chain, is warned about",
            () => {
                const config = parseStackConfig(contractConfig("dev"));
                const settled = { "pulumi:disable-default-providers": ["aws"] };
                expect(settingsWarnings(settled, "Pulumi.dev.yaml", config)).to.deep.equal([]);
                expect(
                    settingsWarnings({ "pulumi:disable-default-providers": '["*"]' }, "Pulumi.dev.yaml", config),
                ).to.deep.equal([]);
                expect(settingsWarnings({}, "Pulumi.qa.yaml", config)[0])
                    .to.match(/^WARNING: \[pulumi:disable-default-providers\] Pulumi\.qa\.yaml /)
                    .and.include("pulumi config set --path 'pulumi:disable-default-providers[0]' aws");
                const ambient = parseStackConfig(contractConfig("dev"));
                for (const a of [ambient.modelDevelopment, ambient.modelHosting]) {
                    delete a.profile;
                    delete a.assumeRoleArn;
                }
                expect(settingsWarnings(settled, "Pulumi.dev.yaml", ambient).join("\n")).to.include(
                    "both accounts use the default credential chain",
                );
            },
        );

        it(
            "the same imported-model name in one hosting account and region is named with both stacks; other " +
                "artifacts or regions are not",
            () => {
                const config = parseStackConfig(contractConfig("dev"));
                const qa = crossStackWarnings("dev", "Pulumi.dev.yaml", config, [
                    { stack: "qa", file: "Pulumi.qa.yaml", config },
                ]);
                expect(qa.find((w) => w.includes("both import the model")))
                    .to.include("[models[0].name] stack dev (Pulumi.dev.yaml) and stack qa (Pulumi.qa.yaml)")
                    .and.include("hosting account 777788889999 (us-east-1)");
                const moved = parseStackConfig(contractConfig("dev"));
                moved.models[0].s3Prefix = "another-fine-tune/";
                expect(
                    crossStackWarnings("dev", "Pulumi.dev.yaml", config, [
                        { stack: "qa", file: "Pulumi.qa.yaml", config: moved },
                    ]).join("\n"),
                ).not.to.include("both import the model");
                const elsewhere = parseStackConfig(contractConfig("dev"));
                elsewhere.modelHosting.region = "us-west-2";
                expect(
                    crossStackWarnings("dev", "Pulumi.dev.yaml", config, [
                        { stack: "qa", file: "Pulumi.qa.yaml", config: elsewhere },
                    ]).join("\n"),
                ).not.to.include("both import");
            },
        );
    });
});
