// Bedrock's own s3Uri rule (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_S3DataSource.html): the
// config validator, the imported-model provider's check, `plan` and verify-access's stack loading refuse every prefix
// Bedrock would refuse at CreateModelImportJob, naming the character, the rule and how to move the weights.

import { expect } from "chai";
import fc from "fast-check";
import * as fs from "fs";
import { ConfigError, parseStackConfig } from "../../components/config/stackConfig";
import { createImportedModelProvider, type ImportedModelInputs } from "../../components/dynamic/importedModel";
import { modelImportInputs } from "../../components/crossAccountImport/modelInputs";
import { BEDROCK_S3_URI, s3UriProblems } from "../../components/rules";
import { planMain } from "../../scripts/plan/cli";
import { verifyArgs } from "../../scripts/verify/args";
import { contractConfig } from "../helpers/programHarness";
import { derivedStack, tempStackRoot } from "../helpers/stackFiles";

const PAGE = "https://docs.aws.amazon.com/bedrock/latest/APIReference/API_S3DataSource.html";
const BUCKET = "model-artifacts-111122223333";
const ROLE_ARN = "arn:aws:iam::777788889999:role/BedrockCMIExecutionRole-777788889999";

function problems(prefix: string): string[] {
    const c = contractConfig("dev");
    c.models = [{ name: "m", s3Prefix: prefix }];
    try {
        parseStackConfig(c);
        return [];
    } catch (e) {
        if (e instanceof ConfigError) return [...e.problems];
        throw e;
    }
}

const provider = createImportedModelProvider({
    clients: () => {
        throw new Error("check must not reach AWS");
    },
});

async function checkReasons(s3Uri: string): Promise<string[]> {
    const inputs: ImportedModelInputs = {
        accountId: "777788889999",
        region: "us-east-1",
        modelName: "m-0a1b2c",
        configPath: "models[0]",
        roleArn: ROLE_ARN,
        s3Uri,
    };
    const result = await provider.check(inputs, inputs);
    return (result.failures ?? []).map((f) => f.reason);
}

// Common folder names Bedrock refuses, each with the character to name.
const REFUSED: Array<[string, string]> = [
    ["checkpoints/epoch=2-step=1000/", '"=" (U+003D)'],
    ["partitions/date=2026-11-30/", '"=" (U+003D)'],
    ["runs/a+b/", '"+" (U+002B)'],
    ["team@research/mistral/", '"@" (U+0040)'],
    ["~backup/mistral/", '"~" (U+007E)'],
    ["my model/", '" " (U+0020, a space)'],
    ["modèle/", '"è" (U+00E8)'],
];

describe("Bedrock's s3Uri rule", () => {
    for (const [prefix, character] of REFUSED) {
        it(
            `refuses ${JSON.stringify(prefix)} in config and in check, naming ${character}, the rule and how to move ` +
                `the weights`,
            async () => {
                const [message, ...rest] = problems(prefix);
                expect(rest, rest.join("\n")).to.deep.equal([]);
                expect(message).to.match(/^\[models\[0\]\.s3Prefix\] /);
                expect(message).to.include(character).and.include("Bedrock's s3Uri rule").and.include(PAGE);
                expect(message)
                    .to.include(`aws s3 cp --recursive 's3://${BUCKET}/${prefix}'`)
                    .and.include("aws s3 sync");
                const reasons = await checkReasons(`s3://${BUCKET}/${prefix}`);
                expect(reasons).to.have.length(1);
                expect(reasons[0]).to.match(/^\[models\[0\]\.s3Prefix\] /);
                expect(reasons[0]).to.include(character).and.include(PAGE);
            },
        );
    }

    it("the move command proposes a prefix Bedrock accepts", () => {
        const [message] = problems("checkpoints/epoch=2-step=1000/");
        expect(message)
            .to.include(`'s3://${BUCKET}/checkpoints/epoch-2-step-1000/'`)
            .and.include('s3Prefix: "checkpoints/epoch-2-step-1000/"');
        expect(problems("checkpoints/epoch-2-step-1000/")).to.deep.equal([]);
    });

    it("refuses an s3Uri longer than 1,024 characters (here 1,036) in config and in check", async () => {
        // s3://<28-character bucket>/<prefix>/ with a 1,001-character prefix is 1,036 characters.
        const prefix = "w".repeat(1001);
        const uri = `s3://${BUCKET}/${prefix}/`;
        expect(uri).to.have.length(1036);
        const [message] = problems(prefix);
        expect(message)
            .to.include("[models[0].s3Prefix]")
            .and.include("1036 characters")
            .and.include("at most 1024")
            .and.include(PAGE);
        const reasons = await checkReasons(uri);
        expect(reasons.join("\n")).to.include("1036 characters").and.include("at most 1024");
        // At the limit it is accepted.
        const fits = "w".repeat(989);
        expect(`s3://${BUCKET}/${fits}/`).to.have.length(1024);
        expect(problems(fits)).to.deep.equal([]);
    });

    it('refuses "*" with its own reason: the policies would grant a wildcard (Bedrock itself would accept it)', () => {
        const [message, ...rest] = problems("weights/*/");
        expect(rest).to.deep.equal([]);
        expect(message).to.include('"*" (U+002A)').and.include("wildcard").and.include("aws s3 cp --recursive");
        expect(message).not.to.include("Bedrock's s3Uri rule refuses");
    });

    it("refuses a 63-character bucket name: S3 allows it, Bedrock's s3Uri pattern does not", () => {
        const c = contractConfig("dev");
        (c.modelDevelopment.artifactBucket as Record<string, unknown>).name = "b".repeat(63);
        expect(() => parseStackConfig(c))
            .to.throw(ConfigError)
            .with.property("problems")
            .that.satisfies((list: string[]) =>
                list.some((p) => p.startsWith("[modelDevelopment.artifactBucket.name]") && p.includes("at most 62")),
            );
        expect(s3UriProblems(`s3://${"b".repeat(63)}/weights/`).join("\n")).to.include("at most 62");
        expect(s3UriProblems(`s3://${"b".repeat(62)}/weights/`)).to.deep.equal([]);
    });

    it(
        'trailing slashes are handled one way: "x/", "x//" and "x///" all become "x/"; only "//" inside a prefix is ' +
            "refused",
        () => {
            const c = contractConfig("dev");
            c.models = ["x/", "y//", "z///"].map((s3Prefix, i) => ({ name: `m${i}`, s3Prefix }));
            expect(parseStackConfig(c).models.map((m) => m.s3Prefix)).to.deep.equal(["x/", "y/", "z/"]);
            expect(problems("x//y/")[0]).to.include("empty segments");
            // A URI given to the provider directly: one trailing "/" only, with the URI to use.
            expect(s3UriProblems(`s3://${BUCKET}/x///`)[0])
                .to.include("more than one")
                .and.include(`"s3://${BUCKET}/x/"`);
        },
    );

    it("whatever the validator accepts becomes an s3Uri matching Bedrock's pattern and length exactly", () => {
        const piece = fc.constantFrom(
            "a",
            "Z",
            "9",
            "-",
            "_",
            ".",
            "!",
            "'",
            "(",
            ")",
            "/",
            "=",
            "+",
            "@",
            "~",
            " ",
            "é",
            "*",
            "..",
            "//",
        );
        fc.assert(
            fc.property(fc.array(piece, { minLength: 1, maxLength: 14 }), (parts) => {
                const prefix = parts.join("");
                const c = contractConfig("dev");
                c.models = [{ name: "m", s3Prefix: prefix }];
                let parsed;
                try {
                    parsed = parseStackConfig(c);
                } catch {
                    return;
                }
                const uri = modelImportInputs(parsed, 0, { roleArn: ROLE_ARN }).s3Uri;
                expect(BEDROCK_S3_URI.test(uri), uri).to.equal(true);
                expect(uri.length).to.be.at.most(1024);
            }),
            { numRuns: 500 },
        );
    });

    describe("through plan and verify-access", () => {
        let root: string;
        before(() => {
            root = tempStackRoot({
                epoch: derivedStack({ yaml: (s) => void (s.models[0].s3Prefix = "checkpoints/epoch=2-step=1000/") }),
            });
        });
        after(() => fs.rmSync(root, { recursive: true, force: true }));

        it("npm run plan exits 2 naming the key, the character and the move", async () => {
            let out = "";
            const code = await planMain(
                ["--stack", "epoch"],
                { stdout: (t) => (out += t), stderr: (t) => (out += t) },
                { root },
            );
            expect(code, out).to.equal(2);
            expect(out).to.include("[models[0].s3Prefix]").and.include('"=" (U+003D)').and.include("aws s3 sync");
        });

        it("verify-access refuses the stack file with the same message", () => {
            // By name: the plan above runs the program under mocks, which reloads the config module (another class).
            expect(() => verifyArgs(["--stack", "epoch"], root))
                .to.throw()
                .that.satisfies((e: Error) => e.name === "ConfigError")
                .and.has.property("message")
                .that.includes("[models[0].s3Prefix]")
                .and.includes('"=" (U+003D)');
        });
    });
});
