// Property: the config validator and the imported-model provider's `check` agree. For generated configs,
// whatever the validator accepts, `check` accepts for every ImportedModel the program would register, and
// whenever `check` accepts a model's inputs, the validator has no complaint about that model.

import { expect } from "chai";
import fc from "fast-check";
import { ConfigError, parseStackConfig, type RawStackConfig } from "../../components/config/stackConfig";
import { createImportedModelProvider, type ImportedModelInputs } from "../../components/dynamic/importedModel";
import { modelImportInputs } from "../../components/crossAccountImport/modelInputs";
import { defaultTags, ownerOf, versionedModelName } from "../../components/naming";
import { parseOptionsFor } from "../../components/config/providerArgs";
import { isAwsRegion, normalizePrefix, partitionOf, s3Uri } from "../../components/rules";
import { contractConfig } from "../helpers/programHarness";

const provider = createImportedModelProvider({
    clients: () => {
        throw new Error("check must not reach AWS");
    },
});
const options = parseOptionsFor("bedrock-cross-account-import", "dev");
const DEFAULT_TAGS = defaultTags("bedrock-cross-account-import", "dev");
const OWNER = ownerOf("bedrock-cross-account-import", "dev");
const ROLE_ARN = "arn:aws:iam::777788889999:role/BedrockCMIExecutionRole-777788889999";

// Characters chosen to sit on both sides of every rule: Bedrock's tag set, IAM's U+0020-U+00FF, wildcards, policy
// variables, path separators, Unicode letters and spaces. Bedrock's s3Uri rule adds its own edges: "=", "+", "@", "~"
// refused, "!", "'", "(", ")" accepted, 1,024 characters in all.
const pieces = [
    ...[
        "a",
        "Z",
        "7",
        "-",
        "_",
        ".",
        "/",
        " ",
        ":",
        "=",
        "+",
        "@",
        "#",
        "*",
        "?",
        "${",
        "é",
        "模",
        "\u00a0",
        "\t",
        "..",
        "//",
        "s3://",
    ],
    ...["~", "!", "'", "(", ")", "epoch=2", "///"],
];
const text = (maxLength: number) => fc.array(fc.constantFrom(...pieces), { maxLength }).map((parts) => parts.join(""));
const longText = fc.oneof(
    text(8),
    fc.integer({ min: 120, max: 300 }).map((n) => "v".repeat(n)),
);
const tagMap = fc.oneof(
    fc.dictionary(text(6), longText, { maxKeys: 4 }),
    // Around Bedrock's 50, with the program's three default tags and the owner tag counted.
    fc
        .integer({ min: 44, max: 52 })
        .map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`t${i}`, "x"]))),
);
const model = fc.record({
    name: fc.oneof(text(10), fc.constantFrom("mistral-01", "m".repeat(63), "m".repeat(64), "a_b-c")),
    s3Prefix: fc.oneof(
        text(12),
        fc.constantFrom("mistral-model-weights/", "a/b c/", "x".repeat(1010)),
        // Around Bedrock's 1,024-character s3Uri with the contract bucket (28 characters): prefixes of 985 to 992 (989
        // fits).
        fc.integer({ min: 985, max: 992 }).map((n) => "x".repeat(n)),
    ),
    tags: tagMap,
});
const config = fc.record({
    region: fc.constantFrom("us-east-1", "us-west-2", "eu-central-1", "ap-south-1", "us-gov-west-1", "us-east-9"),
    accountId: fc.constantFrom("777788889999", "77778888999"),
    models: fc.array(model, { minLength: 1, maxLength: 3 }),
});

type Generated = {
    region: string;
    accountId: string;
    models: Array<{ name: string; s3Prefix: string; tags: Record<string, string> }>;
};

function raw(g: Generated): RawStackConfig {
    const base = contractConfig("dev");
    return {
        modelDevelopment: base.modelDevelopment,
        modelHosting: { ...base.modelHosting, region: g.region, accountId: g.accountId },
        models: g.models,
    };
}

function problemsOf(r: RawStackConfig): string[] {
    try {
        parseStackConfig(r, options);
        return [];
    } catch (e) {
        if (e instanceof ConfigError) return [...e.problems];
        throw e;
    }
}

async function checkFailures(inputs: ImportedModelInputs): Promise<string[]> {
    const result = await provider.check(inputs, inputs);
    return (result.failures ?? []).map((f) => f.reason);
}

/** What the program would pass for a model, built the same way even when the config is invalid. */
function naiveInputs(g: Generated, index: number): ImportedModelInputs {
    const m = g.models[index];
    const bucket = (contractConfig("dev").modelDevelopment.artifactBucket as { name: string }).name;
    return {
        accountId: g.accountId,
        region: g.region,
        modelName: versionedModelName(m.name, {
            s3Uri: s3Uri(bucket, normalizePrefix(m.s3Prefix)),
            modelKey: "aws-owned",
        }),
        baseName: m.name,
        configPath: `models[${index}]`,
        // The role is created by the hosting provider, so its ARN carries the hosting region's partition.
        roleArn: isAwsRegion(g.region) ? ROLE_ARN.replace("arn:aws:", `arn:${partitionOf(g.region)}:`) : ROLE_ARN,
        s3Uri: s3Uri(bucket, normalizePrefix(m.s3Prefix)),
        tags: { ...DEFAULT_TAGS, ...m.tags },
        owner: OWNER,
    };
}

describe("config validator and provider check agree (property)", function () {
    this.timeout(20000);

    it("whatever the validator accepts, check accepts for every registered model", async () => {
        await fc.assert(
            fc.asyncProperty(config, async (g) => {
                const r = raw(g);
                if (problemsOf(r).length > 0) return;
                const parsed = parseStackConfig(r, options);
                for (let i = 0; i < parsed.models.length; i++) {
                    const inputs = modelImportInputs(parsed, i, {
                        roleArn: ROLE_ARN,
                        defaultTags: DEFAULT_TAGS,
                        owner: OWNER,
                    });
                    expect(await checkFailures(inputs), JSON.stringify(inputs)).to.deep.equal([]);
                }
            }),
            { numRuns: 400 },
        );
    });

    it(
        "whatever check accepts for a model, the validator accepts for that model, naming the same keys when both " +
            "refuse",
        async () => {
            await fc.assert(
                fc.asyncProperty(config, async (g) => {
                    // Duplicate names are a config-level rule (one stack, unique models) that a single resource cannot see.
                    fc.pre(new Set(g.models.map((m) => m.name)).size === g.models.length);
                    const problems = problemsOf(raw(g));
                    for (let i = 0; i < g.models.length; i++) {
                        const failures = await checkFailures(naiveInputs(g, i));
                        const own = problems.filter(
                            (p) =>
                                p.startsWith(`[models[${i}]`) ||
                                p.startsWith("[modelHosting.region]") ||
                                p.startsWith("[modelHosting.accountId]"),
                        );
                        const keys = (list: string[]) =>
                            [
                                ...new Set(
                                    list.map((p) =>
                                        p.slice(1, p.indexOf("] ")).replace(/^(models\[\d+\]\.tags)\..*$/, "$1"),
                                    ),
                                ),
                            ].sort();
                        expect(
                            keys(failures),
                            `check: ${failures.join("\n")}\nconfig: ${own.join("\n")}`,
                        ).to.deep.equal(keys(own));
                    }
                }),
                { numRuns: 400 },
            );
        },
    );

    it("finds the disagreements it is meant to find (a check that accepted Unicode tag letters would fail it)", async () => {
        // The property is only worth something if a real divergence breaks it: Unicode letters in a tag value.
        const g: Generated = {
            region: "us-east-1",
            accountId: "777788889999",
            models: [{ name: "m", s3Prefix: "p/", tags: { team: "équipe" } }],
        };
        expect(problemsOf(raw(g))).to.have.length(1);
        expect(await checkFailures(naiveInputs(g, 0))).to.have.length(1);
    });
});
