import { bucketNameProblems } from "../../components/rules";
import { expect } from "chai";
import { modelImportInputs } from "../../components/crossAccountImport/modelInputs";
import {
    ConfigError,
    derivePolicyName,
    parseStackConfig,
    type RawStackConfig,
} from "../../components/config/stackConfig";
import { parseOptionsFor } from "../../components/config/providerArgs";
import { loadStack } from "../../scripts/common/stackFile";
import { contractConfig, EXAMPLES_ROOT } from "../helpers/programHarness";

type Mutable = { modelDevelopment: Record<string, unknown>; modelHosting: Record<string, unknown>; models: unknown[] };

function dev(): Mutable {
    return contractConfig("dev");
}

function problemsOf(raw: RawStackConfig): string[] {
    try {
        parseStackConfig(raw);
    } catch (e) {
        expect(e).to.be.instanceOf(ConfigError);
        return [...(e as ConfigError).problems];
    }
    throw new Error("expected a ConfigError");
}

function expectProblem(mutate: (c: Mutable) => void, key: string, fragment: string): void {
    const c = dev();
    mutate(c);
    const problems = problemsOf(c);
    const hit =
        problems.find((p) => p.startsWith(`[${key}]`) && p.includes(fragment)) ??
        problems.find((p) => p.startsWith(`[${key}]`));
    expect(hit, `no problem for [${key}] in:\n${problems.join("\n")}`).to.be.a("string");
    expect(hit).to.include(fragment);
}

describe("config validation", () => {
    it("accepts both shipped stacks and fills defaults", () => {
        const d = parseStackConfig(dev());
        expect(d.modelDevelopment).to.deep.equal({
            accountId: "111122223333",
            region: "us-east-1",
            profile: "model-development",
            artifactBucket: { name: "model-artifacts-111122223333", create: true },
            kms: { enabled: false },
        });
        expect(d.modelHosting.troubleshooting).to.deep.equal({ allowAssumeFrom: [] });
        expect(d.models).to.deep.equal([
            { name: "mistral-777788889999-01", s3Prefix: "mistral-model-weights/", tags: { team: "hosting" } },
        ]);
        const p = parseStackConfig(contractConfig("prod"));
        expect(p.modelDevelopment.kms.enabled).to.equal(true);
        expect(p.modelHosting.kms.enabled).to.equal(true);
        expect(p.modelHosting.assumeRoleArn).to.equal("arn:aws:iam::777788889999:role/bedrock-cmi-deployer");
    });

    it("derives the policy name from the role name and defaults optional keys", () => {
        const c = dev();
        delete c.modelHosting.executionPolicyName;
        delete c.modelHosting.kms;
        delete c.modelHosting.troubleshooting;
        const parsed = parseStackConfig(c);
        expect(parsed.modelHosting.executionPolicyName).to.equal("BedrockCMIExecutionPolicy-777788889999");
        expect(parsed.modelHosting.kms).to.deep.equal({ enabled: false, invokers: [] });
        expect(derivePolicyName("ImportRole")).to.equal("ImportPolicy");
        expect(derivePolicyName("cmi-exec")).to.equal("cmi-exec-policy");
    });

    it("artifactBucket.create has no default: the message says which value fits which case", () => {
        expectProblem(
            (c) => delete (c.modelDevelopment.artifactBucket as Record<string, unknown>).create,
            "modelDevelopment.artifactBucket.create",
            "is required: false when the bucket exists (the research team's: this stack only adds its statements " +
                "to its policy), true when this stack creates a new bucket",
        );
    });

    it("normalizes S3 prefixes to end with one slash", () => {
        const c = dev();
        c.models = [
            { name: "a", s3Prefix: "weights/mistral" },
            { name: "b", s3Prefix: "weights/llama//" },
        ];
        expect(parseStackConfig(c).models.map((m) => m.s3Prefix)).to.deep.equal(["weights/mistral/", "weights/llama/"]);
    });

    it("account ids: 12-digit strings only", () => {
        expectProblem(
            (c) => (c.modelHosting.accountId = "7777"),
            "modelHosting.accountId",
            'must be a 12-digit string, got "7777"',
        );
        expectProblem(
            (c) => (c.modelDevelopment.accountId = 11112222333),
            "modelDevelopment.accountId",
            "Write the account id in quotes",
        );
        expectProblem((c) => (c.modelDevelopment.accountId = "11112222333a"), "modelDevelopment.accountId", "12-digit");
        expectProblem((c) => delete c.modelHosting.accountId, "modelHosting.accountId", "is required");
    });

    it("regions: real AWS region names, one partition", () => {
        expectProblem(
            (c) => (c.modelDevelopment.region = "us-east-9"),
            "modelDevelopment.region",
            'must be an AWS region name, got "us-east-9"',
        );
        expectProblem(
            (c) => (c.modelHosting.region = "us-east-9"),
            "modelHosting.region",
            "offers Amazon Bedrock Custom Model Import",
        );
        expectProblem((c) => (c.modelDevelopment.region = "US-EAST-1"), "modelDevelopment.region", "AWS region");
        expectProblem((c) => delete c.modelDevelopment.region, "modelDevelopment.region", "is required");
        expectProblem((c) => (c.modelDevelopment.region = "cn-north-1"), "modelHosting.region", "partition");
    });

    it("bucket names: S3 naming rules", () => {
        const bad: Array<[string, string]> = [
            ["ab", "3 to 63"],
            ["a".repeat(64), "3 to 63"],
            ["Model-Artifacts", "lowercase"],
            ["model_artifacts", "lowercase"],
            ["-artifacts", "begin and end"],
            ["artifacts-", "begin and end"],
            ["model..artifacts", "adjacent dots"],
            ["192.168.1.10", "IP address"],
            ["xn--artifacts", 'start with "xn--"'],
            ["sthree-artifacts", 'start with "sthree-"'],
            ["artifacts-s3alias", 'end with "-s3alias"'],
            ["artifacts--ol-s3", 'end with "--ol-s3"'],
        ];
        for (const [name, fragment] of bad) {
            expectProblem(
                (c) => ((c.modelDevelopment.artifactBucket as Record<string, unknown>).name = name),
                "modelDevelopment.artifactBucket.name",
                fragment,
            );
        }
        expect(bucketNameProblems("model-artifacts-111122223333")).to.deep.equal([]);
        expect(bucketNameProblems("a.b-c")).to.deep.equal([]);
        expectProblem(
            (c) => delete c.modelDevelopment.artifactBucket,
            "modelDevelopment.artifactBucket",
            "is required",
        );
        expectProblem(
            (c) => ((c.modelDevelopment.artifactBucket as Record<string, unknown>).create = "yes"),
            "modelDevelopment.artifactBucket.create",
            "true or false",
        );
    });

    it("IAM role and policy names: length and charset", () => {
        expectProblem(
            (c) => (c.modelHosting.executionRoleName = "a".repeat(65)),
            "modelHosting.executionRoleName",
            "1 to 64",
        );
        expectProblem(
            (c) => (c.modelHosting.executionRoleName = "role with spaces"),
            "modelHosting.executionRoleName",
            "1 to 64",
        );
        expectProblem(
            (c) => (c.modelHosting.executionRoleName = "role/path"),
            "modelHosting.executionRoleName",
            "1 to 64",
        );
        expectProblem((c) => delete c.modelHosting.executionRoleName, "modelHosting.executionRoleName", "is required");
        expectProblem(
            (c) => (c.modelHosting.executionPolicyName = "p".repeat(129)),
            "modelHosting.executionPolicyName",
            "1 to 128",
        );
        expectProblem(
            (c) => (c.modelHosting.executionPolicyName = "policy#1"),
            "modelHosting.executionPolicyName",
            "1 to 128",
        );
        // 64 and 128 characters of the allowed set are fine.
        const c = dev();
        c.modelHosting.executionRoleName = "R".repeat(60) + "+=,.";
        c.modelHosting.executionPolicyName = "@_-" + "P".repeat(125);
        expect(() => parseStackConfig(c)).not.to.throw();
    });

    it("credentials: profile and assume-role ARN", () => {
        expectProblem((c) => (c.modelHosting.profile = ""), "modelHosting.profile", "non-empty string");
        expectProblem((c) => (c.modelHosting.assumeRoleArn = "deployer"), "modelHosting.assumeRoleArn", "IAM role ARN");
        expectProblem(
            (c) => (c.modelHosting.assumeRoleArn = "arn:aws:iam::111122223333:role/deployer"),
            "modelHosting.assumeRoleArn",
            "is in account 111122223333; it must be in account 777788889999",
        );
    });

    it("models: required, names per Bedrock's rule, unique", () => {
        expectProblem((c) => delete (c as Partial<Mutable>).models, "models", "is required");
        expectProblem((c) => (c.models = []), "models", "non-empty list");
        expectProblem(
            (c) => (c.models = [{ name: "bad name", s3Prefix: "p/" }]),
            "models[0].name",
            "Bedrock's imported model name rule",
        );
        expectProblem(
            (c) => (c.models = [{ name: "double--dash", s3Prefix: "p/" }]),
            "models[0].name",
            "imported model name rule",
        );
        expectProblem(
            (c) => (c.models = [{ name: "-leading", s3Prefix: "p/" }]),
            "models[0].name",
            "imported model name rule",
        );
        expectProblem(
            (c) => (c.models = [{ name: "m".repeat(64), s3Prefix: "p/" }]),
            "models[0].name",
            "at most 63 characters",
        );
        expectProblem((c) => (c.models = [{ s3Prefix: "p/" }]), "models[0].name", "is required");
        expectProblem(
            (c) =>
                (c.models = [
                    { name: "same", s3Prefix: "a/" },
                    { name: "same", s3Prefix: "b/" },
                ]),
            "models[1].name",
            'duplicates models[0].name "same"',
        );
    });

    it("models: S3 prefixes are key prefixes inside the bucket", () => {
        expectProblem(
            (c) => (c.models = [{ name: "m", s3Prefix: "s3://bucket/weights/" }]),
            "models[0].s3Prefix",
            "not an S3 URI",
        );
        expectProblem(
            (c) => (c.models = [{ name: "m", s3Prefix: "/weights/" }]),
            "models[0].s3Prefix",
            'must not start with "/"',
        );
        expectProblem((c) => (c.models = [{ name: "m", s3Prefix: "weights/*" }]), "models[0].s3Prefix", "wildcards");
        expectProblem(
            (c) => (c.models = [{ name: "m", s3Prefix: "weights/../secrets/" }]),
            "models[0].s3Prefix",
            '".."',
        );
        expectProblem(
            (c) => (c.models = [{ name: "m", s3Prefix: "weights//x/" }]),
            "models[0].s3Prefix",
            "empty segments",
        );
        expectProblem((c) => (c.models = [{ name: "m" }]), "models[0].s3Prefix", "is required");
    });

    it("models: tags are a string map", () => {
        expectProblem(
            (c) => (c.models = [{ name: "m", s3Prefix: "p/", tags: { "aws:owner": "x" } }]),
            "models[0].tags.aws:owner",
            'must not start with "aws:"',
        );
        expectProblem(
            (c) => (c.models = [{ name: "m", s3Prefix: "p/", tags: { team: 7 } }]),
            "models[0].tags.team",
            "strings",
        );
        expectProblem((c) => (c.models = [{ name: "m", s3Prefix: "p/", tags: ["a"] }]), "models[0].tags", "map");
    });

    it("troubleshooting principals are IAM principal ARNs", () => {
        expectProblem(
            (c) => (c.modelHosting.troubleshooting = { allowAssumeFrom: ["alice"] }),
            "modelHosting.troubleshooting.allowAssumeFrom[0]",
            "IAM role or user ARN",
        );
        expectProblem(
            (c) => (c.modelHosting.troubleshooting = { allowAssumeFrom: "arn:aws:iam::777788889999:root" }),
            "modelHosting.troubleshooting.allowAssumeFrom",
            "list",
        );
        const c = dev();
        c.modelHosting.troubleshooting = {
            allowAssumeFrom: ["arn:aws:iam::777788889999:role/Ops", "arn:aws:iam::444455556666:user/alice"],
        };
        expect(parseStackConfig(c).modelHosting.troubleshooting.allowAssumeFrom).to.have.length(2);
    });

    it("reports unknown keys (typos) and wrong shapes", () => {
        expectProblem((c) => (c.modelHosting.acountId = "777788889999"), "modelHosting.acountId", "is not a known key");
        expectProblem(
            (c) => (c.modelDevelopment.kms = { enable: true }),
            "modelDevelopment.kms.enable",
            "is not a known key",
        );
        expectProblem(
            (c) => (c.modelDevelopment.kms = { enabled: "true" }),
            "modelDevelopment.kms.enabled",
            "true or false",
        );
        expectProblem(
            (c) => ((c as Record<string, unknown>).modelHosting = "777788889999"),
            "modelHosting",
            "must be an object",
        );
    });

    it("one typo is one problem: no consequential 'is required' for the key its 'did you mean' names", () => {
        const typo = (mutate: (c: Mutable) => void) => {
            const c = dev();
            mutate(c);
            return problemsOf(c);
        };
        const renamed = (o: Record<string, unknown>, from: string, to: string) => {
            o[to] = o[from];
            delete o[from];
        };
        expect(typo((c) => renamed(c.modelDevelopment, "accountId", "acountId"))).to.deep.equal([
            "[modelDevelopment.acountId] is not a known key; did you mean accountId? Known keys: accountId, " +
                "region, profile, assumeRoleArn, artifactBucket, kms",
        ]);
        expect(typo((c) => renamed(c.models[0] as Record<string, unknown>, "name", "nam"))).to.have.length(1);
        expect(
            typo((c) => renamed(c.modelDevelopment.artifactBucket as Record<string, unknown>, "create", "creat")),
        ).to.have.length(1);
        // A top-level key with a typo: the section it meant is not "required" a second time.
        const { modelHosting, ...rest } = dev();
        const top = problemsOf({
            ...rest,
            allKeys: ["bedrock-cross-account-import:modelhosting"],
            modelHosting: undefined,
        });
        expect(top, top.join("\n")).to.have.length(1);
        expect(top[0]).to.include("did you mean bedrock-cross-account-import:modelHosting?");
        expect(modelHosting).to.be.an("object");
        // Without a typo that explains it, a missing key is still required.
        expect(typo((c) => delete c.modelDevelopment.accountId)).to.deep.equal([
            "[modelDevelopment.accountId] is required",
        ]);
    });

    it("lists every problem at once, each naming its key, in one error", () => {
        const c = dev();
        c.modelHosting.accountId = "7777";
        c.modelDevelopment.region = "mars-1";
        c.models = [{ name: "bad name", s3Prefix: "/x" }];
        try {
            parseStackConfig(c);
            expect.fail("should have thrown");
        } catch (e) {
            const err = e as ConfigError;
            expect(err.problems).to.have.length(4);
            expect(err.message).to.include('[modelHosting.accountId] must be a 12-digit string, got "7777"');
            expect(err.message).to.include("[modelDevelopment.region]");
            expect(err.message).to.include("[models[0].name]");
            expect(err.message).to.include("[models[0].s3Prefix]");
            expect(err.message).to.include("Nothing was created");
        }
    });

    it("reports every missing section", () => {
        expect(problemsOf({})).to.deep.equal([
            "[modelDevelopment] is required (see the config reference in README.md)",
            "[modelHosting] is required (see the config reference in README.md)",
            "[models] is required: list at least one model (name and s3Prefix)",
        ]);
    });

    describe("what plan used to pass and AWS refuses (issue 8)", () => {
        it("hosting regions without Custom Model Import", () => {
            for (const region of ["ap-south-1", "eu-west-1"]) {
                expectProblem((c) => (c.modelHosting.region = region), "modelHosting.region", "not offered");
            }
            // GovCloud and China: not offered (the only problem named; see configMessages.test.ts).
            expectProblem((c) => (c.modelHosting.region = "us-gov-west-1"), "modelHosting.region", "not offered");
            expectProblem((c) => (c.modelHosting.region = "cn-north-1"), "modelHosting.region", "not offered");
        });

        it(
            "tags: Bedrock's characters, and 50 per model counting the program's five tags (three defaults, the " +
                "owner and the entry tag), named by full path",
            () => {
                const opts = parseOptionsFor("bedrock-cross-account-import", "dev");
                const problems = (tags: Record<string, unknown>) => {
                    const c = dev();
                    c.models = [{ name: "m", s3Prefix: "p/", tags }];
                    try {
                        parseStackConfig(c, opts);
                        return [];
                    } catch (e) {
                        return [...(e as ConfigError).problems];
                    }
                };
                expect(problems({ "cost#center": "x" })[0]).to.match(
                    /^\[models\[0\]\.tags\.cost#center\] .*may contain only/,
                );
                expect(problems({ team: "équipe" })[0]).to.match(/^\[models\[0\]\.tags\.team\] /);
                const own = Object.fromEntries(Array.from({ length: 48 }, (_, i) => [`t${i}`, "x"]));
                expect(problems(own)[0]).to.match(
                    /^\[models\[0\]\.tags\] would give the resource 53 tags .*ManagedBy, PulumiProject, PulumiStack, bedrock-cmi:owner, bedrock-cmi:entry/,
                );
                const own45 = Object.fromEntries(Array.from({ length: 45 }, (_, i) => [`t${i}`, "x"]));
                expect(problems(own45)).to.deep.equal([]);
                expect(problems({ "bedrock-cmi:owner": "someone/else" })[0]).to.include("set by the program");
            },
        );

        it("prefixes with characters Bedrock's s3Uri rule refuses (non-ASCII, policy variables, spaces)", () => {
            expectProblem(
                (c) => (c.models = [{ name: "m", s3Prefix: "模型/mistral/" }]),
                "models[0].s3Prefix",
                '"模" (U+6A21)',
            );
            expectProblem(
                (c) => (c.models = [{ name: "m", s3Prefix: "weights/${aws:username}/" }]),
                "models[0].s3Prefix",
                '"$" (U+0024)',
            );
            expectProblem(
                (c) => (c.models = [{ name: "m", s3Prefix: "my model /weights/" }]),
                "models[0].s3Prefix",
                '" " (U+0020, a space)',
            );
        });

        it("troubleshooting principals: roles and users with paths; sessions and root refused with a hint", () => {
            const key = "modelHosting.troubleshooting.allowAssumeFrom[0]";
            expectProblem(
                (c) =>
                    (c.modelHosting.troubleshooting = {
                        allowAssumeFrom: ["arn:aws:sts::777788889999:assumed-role/Admin/alice"],
                    }),
                key,
                "Use the role ARN arn:aws:iam::777788889999:role/<path>Admin",
            );
            expectProblem(
                (c) => (c.modelHosting.troubleshooting = { allowAssumeFrom: ["arn:aws:iam::777788889999:root"] }),
                key,
                "name a role",
            );
            const c = dev();
            const sso =
                "arn:aws:iam::777788889999:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef";
            c.modelHosting.troubleshooting = { allowAssumeFrom: [sso] };
            expect(parseStackConfig(c).modelHosting.troubleshooting.allowAssumeFrom).to.deep.equal([sso]);
        });

        it("hosting key invokers: role ARNs, only with the hosting key", () => {
            expectProblem(
                (c) => (c.modelHosting.kms = { enabled: true, invokers: ["arn:aws:iam::777788889999:root"] }),
                "modelHosting.kms.invokers[0]",
                "name a role",
            );
            expectProblem(
                (c) => (c.modelHosting.kms = { enabled: true, invokers: ["arn:aws:iam::777788889999:user/app"] }),
                "modelHosting.kms.invokers[0]",
                "got a user ARN",
            );
            expectProblem(
                (c) => (c.modelHosting.kms = { enabled: false, invokers: ["arn:aws:iam::777788889999:role/app"] }),
                "modelHosting.kms.invokers",
                "enabled is false",
            );
            const c = dev();
            c.modelHosting.kms = { enabled: true, invokers: ["arn:aws:iam::777788889999:role/service/app"] };
            expect(parseStackConfig(c).modelHosting.kms).to.deep.equal({
                enabled: true,
                invokers: ["arn:aws:iam::777788889999:role/service/app"],
            });
        });

        it("an existing development key: a key ARN in the bucket's region and partition, not together with enabled", () => {
            const arn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
            const set = (kms: Record<string, unknown>) => (c: Mutable) => (c.modelDevelopment.kms = kms);
            expectProblem(set({ enabled: true, keyArn: arn }), "modelDevelopment.kms.keyArn", "both set");
            expectProblem(
                set({ keyArn: arn.replace("us-east-1", "eu-west-1") }),
                "modelDevelopment.kms.keyArn",
                "the artifact bucket is in us-east-1",
            );
            expectProblem(set({ keyArn: "alias/research" }), "modelDevelopment.kms.keyArn", "not an alias");
            expectProblem(
                (c) => {
                    (c.modelDevelopment.artifactBucket as Record<string, unknown>).create = false;
                    c.modelDevelopment.kms = { enabled: true };
                },
                "modelDevelopment.kms.enabled",
                "keyArn",
            );
            const c = dev();
            c.modelDevelopment.kms = { keyArn: arn };
            expect(parseStackConfig(c).modelDevelopment.kms).to.deep.equal({ enabled: false, keyArn: arn });
        });

        it(
            "account ids given as 12-digit YAML integers (pulumi config set --path writes them) are the id, as a " +
                "string",
            () => {
                const c = dev();
                c.modelDevelopment.accountId = 111122223333;
                c.modelHosting.accountId = 777788889999;
                const parsed = parseStackConfig(c);
                expect(parsed.modelDevelopment.accountId).to.equal("111122223333");
                expect(parsed.modelHosting.accountId).to.equal("777788889999");
                // Not integers, or not 12 digits: still refused, with the quote hint (a number cannot keep a leading zero).
                for (const bad of [11112222333, 1111222233334, 111122223333.5, -111122223333]) {
                    c.modelHosting.accountId = bad;
                    const problems = problemsOf(c).filter((p) => p.startsWith("[modelHosting.accountId]"));
                    expect(problems.join("\n"), String(bad))
                        .to.include("cannot keep leading zeros")
                        .and.include("in quotes");
                }
            },
        );

        it("account ids given as numbers: quote the 12 digits; the config set hint keeps them a string", () => {
            const c = dev();
            c.modelHosting.accountId = 12345678901;
            const problems = problemsOf(c).filter((p) => p.startsWith("[modelHosting.accountId]"));
            expect(problems.join("\n")).to.include("in quotes").and.include("--type string");
            expect(problems.join("\n")).not.to.include('12345678901"');
        });

        it("near-miss and unqualified top-level keys suggest the right one", () => {
            const withKeys = (allKeys: string[]) =>
                problemsOf({ ...dev(), allKeys: ["bedrock-cross-account-import:modelDevelopment", ...allKeys] });
            expect(withKeys(["bedrock-cross-account-import:modelhosting"]).join("\n")).to.include(
                "[bedrock-cross-account-import:modelhosting] is not a key of this program; did you mean " +
                    "bedrock-cross-account-import:modelHosting?",
            );
            expect(withKeys(["bedrock-cross-account-import:model"]).join("\n")).to.include(
                "did you mean bedrock-cross-account-import:models?",
            );
            expect(withKeys(["modelHosting"]).join("\n")).to.include(
                "[modelHosting] has no namespace; write it as bedrock-cross-account-import:modelHosting",
            );
            expect(withKeys(["bedrock-cross-acount-import:models"]).join("\n")).to.include(
                "is not read: this program reads bedrock-cross-account-import:models",
            );
            // Other programs' keys are left alone.
            expect(() =>
                parseStackConfig({
                    ...dev(),
                    allKeys: ["aws:region", "pulumi:disable-default-providers", "bedrock-cross-account-import:models"],
                }),
            ).not.to.throw();
            expect(
                problemsOf({ ...dev(), modelHosting: { ...dev().modelHosting, acountId: "1" } }).join("\n"),
            ).to.include("did you mean accountId?");
        });
    });

    it("models[].smokeTest: optional, bounded settings, named by full key", () => {
        expectProblem(
            (c) => (c.models = [{ name: "m", s3Prefix: "p/", smokeTest: { maxTokens: 0 } }]),
            "models[0].smokeTest.maxTokens",
            "whole number",
        );
        expectProblem(
            (c) => (c.models = [{ name: "m", s3Prefix: "p/", smokeTest: { timeout: 5 } }]),
            "models[0].smokeTest.timeout",
            "not a known key",
        );
        expectProblem(
            (c) => (c.models = [{ name: "m", s3Prefix: "p/", smokeTest: true }]),
            "models[0].smokeTest",
            "must be an object",
        );
        const c = dev();
        c.models = [{ name: "m", s3Prefix: "p/", smokeTest: { maxTokens: 16 } }];
        expect(parseStackConfig(c).models[0].smokeTest).to.deep.equal({ maxTokens: 16 });
        expect(loadStack("prod", EXAMPLES_ROOT).models[0].smokeTest).to.deep.equal({ maxTokens: 16 });
    });

    it("models[].timeoutMinutes: optional minutes the import is waited for, named by full key", () => {
        expectProblem(
            (c) => (c.models = [{ name: "m", s3Prefix: "p/", timeoutMinutes: 0 }]),
            "models[0].timeoutMinutes",
            "number of minutes",
        );
        expectProblem(
            (c) => (c.models = [{ name: "m", s3Prefix: "p/", timeoutMinutes: "60" }]),
            "models[0].timeoutMinutes",
            "number of minutes",
        );
        const c = dev();
        c.models = [{ name: "m", s3Prefix: "p/", timeoutMinutes: 720 }];
        expect(parseStackConfig(c).models[0].timeoutMinutes).to.equal(720);
        expect(
            modelImportInputs(parseStackConfig(c), 0, { roleArn: "arn:aws:iam::777788889999:role/r" }).timeoutMinutes,
        ).to.equal(720);
        c.models = [{ name: "m", s3Prefix: "p/" }];
        expect(parseStackConfig(c).models[0]).to.not.have.property("timeoutMinutes");
    });
});
