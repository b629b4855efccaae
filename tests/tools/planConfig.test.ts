// `npm run plan` reads config as Pulumi hands it to the program: project config from Pulumi.yaml under the stack
// file's (the stack's key wins whole), secure: values shown as [secret] with everything else still checked, and
// 12-digit account ids that `pulumi config set --path` writes as YAML integers. In-process, one folder per case.

import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { stringify as stringifyYaml, parse as parseYaml } from "yaml";
import { planMain } from "../../scripts/plan/cli";
import { buildPlan, formatPlan, type Plan } from "../../scripts/plan/plan";
import { formatMatrix } from "../../scripts/access/matrix";
import { readProjectConfig } from "../../scripts/common/projectConfig";
import { knownStacks, loadStack, readStackConfig } from "../../scripts/common/stackFile";
import { standInSecrets } from "../../scripts/common/secrets";
import { FIXTURES_ROOT, runProgram } from "../helpers/programHarness";
import { derivedStack, tempStackRoot, type StackYaml } from "../helpers/stackFiles";

const NS = "bedrock-cross-account-import";
const secure = (tag: string) => ({ secure: `v1:${Buffer.from(tag).toString("base64")}` });

async function plan(
    root: string,
    stack: string,
    json = false,
): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = "";
    let stderr = "";
    const argv = ["--stack", stack, ...(json ? ["--json"] : [])];
    const code = await planMain(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }, { root });
    return { code, stdout, stderr };
}

function withProject(root: string, config: Record<string, unknown>): string {
    fs.writeFileSync(path.join(root, "Pulumi.yaml"), stringifyYaml({ name: NS, runtime: "nodejs", config }));
    return root;
}

/** The fixture dev stack's config map, as plain objects. */
function fixtureConfig(): Record<string, unknown> {
    return (parseYaml(derivedStack({})) as { config: Record<string, unknown> }).config;
}

describe("npm run plan reads config as Pulumi does", function () {
    this.timeout(60000);
    const roots: string[] = [];
    const root = (files: Record<string, string>) => {
        const r = tempStackRoot(files);
        roots.push(r);
        return r;
    };
    after(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

    describe("project config (Pulumi.yaml)", () => {
        it("shorthand and declared values, namespaced or not, apply to every stack that does not set the key", () => {
            const r = withProject(root({}), {
                modelDevelopment: { description: "the research account", value: { accountId: "111122223333" } },
                [`${NS}:models`]: [{ name: "m", s3Prefix: "p/" }],
                "aws:region": "us-west-2",
                declaredOnly: { type: "string", description: "no value: nothing applies" },
            });
            expect(readProjectConfig(r)).to.deep.equal({
                [`${NS}:modelDevelopment`]: { accountId: "111122223333" },
                [`${NS}:models`]: [{ name: "m", s3Prefix: "p/" }],
                "aws:region": "us-west-2",
            });
        });

        it(
            "an object without value: or default:, or with both, is refused naming the key and the fix (Pulumi reads " +
                "it as a declaration)",
            () => {
                const bare = withProject(root({}), { modelDevelopment: { accountId: "111122223333" } });
                expect(() => readProjectConfig(bare)).to.throw(
                    "config modelDevelopment is an object with accountId, but Pulumi reads an object there as a " +
                        "declaration",
                );
                const both = withProject(root({}), { models: { value: [], default: [] } });
                expect(() => readProjectConfig(both)).to.throw('config models has both "value" and "default"');
            },
        );

        it(
            "the research account in Pulumi.yaml, each stack only its hosting side: plan exits 0 and says where each " +
                "key came from",
            async () => {
                const config = fixtureConfig();
                const dev = config[`${NS}:modelDevelopment`];
                delete config[`${NS}:modelDevelopment`];
                const r = withProject(root({ dev: stringifyYaml({ config }) }), { modelDevelopment: { value: dev } });
                const { code, stdout, stderr } = await plan(r, "dev");
                expect(code, stderr).to.equal(0);
                expect(stdout)
                    .to.include("Config: ")
                    .and.include("Pulumi.dev.yaml, with modelDevelopment from Pulumi.yaml (project config)");
                expect(stdout).to.include(
                    "Model development account 111122223333 (us-east-1; profile model-development)",
                );
                // verify-access reads the same merged config.
                expect(loadStack("dev", r).modelDevelopment.artifactBucket.name).to.equal(
                    "model-artifacts-111122223333",
                );
            },
        );

        it("stack files in Pulumi.yaml's stackConfigDir are the ones read and listed", () => {
            const r = root({});
            fs.mkdirSync(path.join(r, "stacks"));
            fs.writeFileSync(path.join(r, "stacks", "Pulumi.dev.yaml"), derivedStack({}));
            fs.writeFileSync(
                path.join(r, "Pulumi.yaml"),
                stringifyYaml({ name: NS, runtime: "nodejs", stackConfigDir: "stacks" }),
            );
            expect(knownStacks(r)).to.deep.equal(["dev"]);
            expect(loadStack("dev", r).modelHosting.accountId).to.equal("777788889999");
            expect(() => loadStack("prod", r)).to.throw(`No stack file Pulumi.prod.yaml in ${path.join(r, "stacks")}`);
        });

        it("a key the stack file sets replaces the project's whole (no merge inside the object), as Pulumi does", async () => {
            const r = withProject(
                root({ dev: derivedStack({ yaml: (s) => void delete s.section("modelDevelopment").region }) }),
                {
                    modelDevelopment: { value: { region: "us-east-1" } },
                },
            );
            expect(readStackConfig("dev", r).fromProject).to.deep.equal([]);
            const { code, stderr } = await plan(r, "dev");
            expect(code).to.equal(2);
            expect(stderr).to.include("[modelDevelopment.region] is required");
        });
    });

    describe("secure: values (pulumi config set --secret [--path])", () => {
        const secrets = (s: StackYaml) => {
            const host = s.section("modelHosting");
            host.accountId = secure("777788889999");
            host.profile = secure("model-hosting");
            s.section("modelDevelopment").kms = {
                keyArn: secure("arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
            };
            s.models[0].tags = { team: secure("hosting") };
            s.models[0].smokeTest = { prompt: secure("a private prompt"), maxTokens: 8 };
        };

        it(
            "are shown as [secret], everything else is checked, rules needing the plain value say 'cannot check " +
                "(secret)': exit 0",
            async () => {
                const r = root({ dev: derivedStack({ yaml: secrets }) });
                // One run, both outputs: the text planMain prints and the JSON document of --json.
                const built = await buildPlan("dev", { root: r });
                const stdout = formatPlan(built, formatMatrix);
                const json = JSON.stringify(built);
                expect(built.ok).to.equal(true);
                expect(stdout).to.include(
                    "Secret values (secure:), shown as [secret]: modelDevelopment.kms.keyArn, " +
                        "modelHosting.accountId, modelHosting.profile, models[0].tags.team, models[0].smokeTest.prompt",
                );
                expect(stdout).to.include("Model hosting account [secret] (us-east-1; profile [secret])");
                expect(stdout).to.include("NOTE: [modelHosting.accountId] cannot check (secret)");
                expect(stdout).to.include("NOTE: [modelDevelopment.kms.keyArn] cannot check (secret)");
                // A profile's only rule (a non-empty string) holds for any secret: no note for it.
                expect(stdout).not.to.include("[modelHosting.profile] cannot check");
                // The plain values around the secrets are still there and checked.
                expect(stdout).to.include(
                    "Model development account 111122223333 (us-east-1; profile model-development)",
                );
                expect(stdout).to.match(/All \d+ access checks are as they should be\./);
                expect(built.warnings).to.deep.equal([]);
                // No stand-in leaks into what is printed, in text or JSON.
                const { secrets: standIns } = standInSecrets(readStackConfig("dev", r).map, "dev");
                expect(standIns).to.have.length(5);
                for (const s of standIns) {
                    expect(stdout).not.to.include(s.standIn);
                    expect(json).not.to.include(s.standIn);
                }
                expect(built.accounts.modelHosting.accountId).to.equal("[secret]");
                expect(built.config.secrets).to.include("modelHosting.accountId");
                expect(
                    built.notes.some((n) => n.startsWith("NOTE: [modelHosting.accountId] cannot check (secret)")),
                ).to.equal(true);
            },
        );

        it(
            "a secret account id beside a plain role ARN in that account: the rule that joins them still holds " +
                "(prod-like, exit 0)",
            async () => {
                const text = fs.readFileSync(path.join(FIXTURES_ROOT, "Pulumi.prod.yaml"), "utf8");
                const doc = parseYaml(text) as { config: Record<string, Record<string, unknown>> };
                doc.config[`${NS}:modelHosting`].accountId = secure("777788889999");
                const { code, stdout, stderr } = await plan(root({ prod: stringifyYaml(doc) }), "prod");
                expect(code, stderr).to.equal(0);
                expect(stdout).to.include("Model hosting account [secret]");
                expect(stdout).to.include("assume arn:aws:iam::[secret]:role/bedrock-cmi-deployer");
            },
        );

        it("an error elsewhere still exits 2 naming that key, and never the secret ones", async () => {
            const r = root({
                dev: derivedStack({
                    yaml: (s) => (secrets(s), void (s.section("modelDevelopment").region = "us-east-9")),
                }),
            });
            const { code, stderr } = await plan(r, "dev");
            expect(code).to.equal(2);
            expect(stderr).to.include("[modelDevelopment.region]");
            expect(stderr).not.to.match(/\[modelHosting\.(accountId|profile)\]|\[models\[0\]\.tags\.team\]/);
            expect(stderr).not.to.match(/secret-[0-9a-f]{12}/);
        });

        it(
            "a section secret as a whole (set --secret without --path), or a region, cannot be planned: exit 2 " +
                "naming the key and the fix",
            async () => {
                const whole = root({
                    dev: derivedStack({ yaml: (s) => void (s.config[`${NS}:modelHosting`] = secure("{}")) }),
                });
                const a = await plan(whole, "dev");
                expect(a.code).to.equal(2);
                expect(a.stderr)
                    .to.include("modelHosting is secret (secure:)")
                    .and.include("pulumi config set --secret --path");
                const region = root({
                    dev: derivedStack({ yaml: (s) => void (s.section("modelHosting").region = secure("us-east-1")) }),
                });
                const b = await plan(region, "dev");
                expect(b.code).to.equal(2);
                expect(b.stderr).to.include("modelHosting.region is secret (secure:)");
            },
        );

        it("verify-access, which calls AWS with the values, says which are secret instead of a type error", () => {
            const r = root({ dev: derivedStack({ yaml: secrets }) });
            expect(() => loadStack("dev", r)).to.throw(
                /Pulumi\.dev\.yaml holds secret values \(secure:\) at modelDevelopment\.kms\.keyArn, modelHosting\.accountId/,
            );
        });
    });

    describe("account ids as YAML integers (pulumi config set --path modelHosting.accountId 777788889999)", () => {
        it("12 digits unquoted plan as the id; fewer digits exit 2 asking for quotes", async () => {
            const unquoted = derivedStack({
                text: (t) => t.replace('accountId: "777788889999"', "accountId: 777788889999"),
            });
            expect(unquoted).to.include("accountId: 777788889999\n");
            const r = root({
                dev: unquoted,
                short: derivedStack({ text: (t) => t.replace('accountId: "777788889999"', "accountId: 77778888999") }),
            });
            const ok = await plan(r, "dev", true);
            expect(ok.code, ok.stderr).to.equal(0);
            const parsed = JSON.parse(ok.stdout) as Plan;
            expect(parsed.accounts.modelHosting.accountId).to.equal("777788889999");
            expect(JSON.stringify(parsed.policies.trustPolicy)).to.include(
                "arn:aws:bedrock:us-east-1:777788889999:model-import-job/*",
            );
            const short = await plan(r, "short");
            expect(short.code).to.equal(2);
            expect(short.stderr)
                .to.include("[modelHosting.accountId]")
                .and.include("cannot keep leading zeros")
                .and.include("in quotes");
        });

        it("the program agrees: given the number as Pulumi passes it (JSON), it deploys to that account id", async () => {
            const config = fixtureConfig();
            (config[`${NS}:modelHosting`] as Record<string, unknown>).accountId = 777788889999;
            (config[`${NS}:modelDevelopment`] as Record<string, unknown>).accountId = 111122223333;
            const run = await runProgram(config, "dev");
            expect(run.error).to.equal(undefined);
            expect(run.outputs.hostingAccountId).to.equal("777788889999");
            const providers = run.resources
                .filter((x) => x.type === "pulumi:providers:aws")
                .map((x) => JSON.parse(String(x.inputs.allowedAccountIds)) as string[]);
            expect(providers).to.deep.include.members([["111122223333"], ["777788889999"]]);
        });
    });
});
