// The pure parts of the bucket-policy resource: the document operations, statement comparison, the Sid prefix,
// check and diff, and the provider code version.

import { expect } from "chai";
import fc from "fast-check";
import {
    bucketPolicyStatementsProvider,
    type BucketPolicyStatementsOutputs,
} from "../../components/dynamic/bucketPolicyStatements";
import { ownerOf, sidPrefixFor } from "../../components/naming";
import { sameOwner } from "../../components/dynamic/importedModel/naming";
import {
    parseBucketPolicy as parsePolicy,
    policySize,
    removeOwn,
    replaceOwn,
} from "../../components/dynamic/bucketPolicyStatements/document";
import {
    canonicalStatement,
    prefixedStatements,
    sameStatements,
    type JsonObject,
    type OwnStatement as IamStatement,
    type PolicyDocument,
} from "../../components/policies/document";
import { UNKNOWN } from "../../components/dynamic/importedModel/validation";
import { BUCKET, inputsOf, researchPolicy, stackFixture, statementsOf } from "../fakes/bucketPolicyFixtures";

const A = stackFixture("dev", "777788889999");

describe("bucket policy documents", () => {
    const ours = (n: number): IamStatement[] =>
        Array.from({ length: n }, (_, i) => ({
            Sid: `${A.sidPrefix}S${i}`,
            Effect: "Allow",
            Principal: "*",
            Action: "s3:GetObject",
            Resource: `arn:aws:s3:::b/${i}`,
        }));

    it("replaceOwn keeps every other statement, its content and order, Version and Id; ours go where ours were", () => {
        const research = researchPolicy();
        const appended = replaceOwn(research, A.sidPrefix, ours(2));
        expect(appended.Id).to.equal("ResearchTeamArtifacts");
        expect(appended.Statement.slice(0, 3)).to.deep.equal(research.Statement);
        expect(appended.Statement.slice(3)).to.deep.equal(ours(2));
        // Ours in the middle: replaced in place, others around them untouched.
        const middle: PolicyDocument = {
            ...research,
            Statement: [research.Statement[0], ...ours(2), ...research.Statement.slice(1)],
        };
        const replaced = replaceOwn(middle, A.sidPrefix, ours(3));
        expect(replaced.Statement.map((s) => s.Sid ?? "-")).to.deep.equal([
            "ResearchTeamReadWrite",
            `${A.sidPrefix}S0`,
            `${A.sidPrefix}S1`,
            `${A.sidPrefix}S2`,
            "DenyDeletingWeights",
            "-",
        ]);
        expect(removeOwn(replaced, A.sidPrefix)).to.deep.equal(research);
        expect(replaceOwn(undefined, A.sidPrefix, ours(1))).to.deep.equal({
            Version: "2012-10-17",
            Statement: ours(1),
        });
        expect(research, "inputs are not mutated").to.deep.equal(researchPolicy());
    });

    it("parsePolicy accepts a single Statement object and keeps unknown top-level keys", () => {
        const doc = parsePolicy('{"Version":"2008-10-17","Statement":{"Sid":"X","Effect":"Allow"},"Extra":1}', "t");
        expect(doc).to.deep.equal({ Version: "2008-10-17", Statement: [{ Sid: "X", Effect: "Allow" }], Extra: 1 });
        expect(() => parsePolicy("<xml/>", "[bucket] b")).to.throw(
            "[bucket] b: the bucket policy S3 returned is not JSON",
        );
    });

    it(
        "statements compare as IAM reads them: list form, order, action case, account id vs root ARN, Bool strings, " +
            "key order",
        () => {
            const a: JsonObject = {
                Sid: "S",
                Effect: "Deny",
                Principal: { AWS: ["arn:aws:iam::777788889999:root"] },
                Action: ["s3:GetObject", "s3:ListBucket"],
                Resource: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            };
            const b: JsonObject = {
                Condition: { Bool: { "aws:securetransport": false } },
                Resource: ["arn:aws:s3:::b/*", "arn:aws:s3:::b"],
                Action: ["S3:ListBucket", "s3:getobject", "s3:GetObject"],
                Principal: { AWS: "777788889999" },
                Effect: "Deny",
                Sid: "S",
            };
            expect(canonicalStatement(a)).to.equal(canonicalStatement(b));
            expect(sameStatements([a, { ...a, Sid: "T" }], [{ ...b, Sid: "T" }, b])).to.equal(true);
            const changes: JsonObject[] = [
                { Resource: "arn:aws:s3:::b/*" },
                { Effect: "Allow" },
                { Sid: "S2" },
                { Condition: { Bool: { "aws:SecureTransport": "true" } } },
            ];
            for (const changed of changes) {
                expect(sameStatements([a], [{ ...a, ...changed }]), JSON.stringify(changed)).to.equal(false);
            }
            expect(sameStatements([a], [a, a])).to.equal(false);
        },
    );

    it("policySize splits the written bytes into this stack's and everyone else's", () => {
        const doc = replaceOwn(researchPolicy(), A.sidPrefix, statementsOf(A));
        const size = policySize(doc, A.sidPrefix);
        expect(size.total).to.equal(Buffer.byteLength(JSON.stringify(doc)));
        expect(size.ours).to.equal(statementsOf(A).reduce((n, s) => n + JSON.stringify(s).length + 1, 0));
        expect(size.ours + size.others).to.equal(size.total);
        expect(size.limit).to.equal(20480);
    });
});

describe("Sid prefix", () => {
    it("is BedrockCmi + 8 hex + the stack in letters and digits, stable, and differs per stack and component", () => {
        const p = sidPrefixFor("bedrock-cross-account-import", "prod-eu_2", "bedrock-cmi-prod-eu_2");
        expect(p).to.match(/^BedrockCmi[0-9a-f]{8}ProdEu2$/);
        expect(sidPrefixFor("bedrock-cross-account-import", "prod-eu_2", "bedrock-cmi-prod-eu_2")).to.equal(p);
        expect(sidPrefixFor("bedrock-cross-account-import", "prod-eu_2", "other-component")).not.to.equal(p);
        expect(sidPrefixFor("other-project", "prod-eu_2", "bedrock-cmi-prod-eu_2")).not.to.equal(p);
    });

    it(
        "names the deployment: same-named stacks in other hosting accounts or organizations never share a prefix or " +
            "an owner",
        () => {
            const args = ["bedrock-cross-account-import", "prod", "bedrock-cmi-prod"] as const;
            const teamA = { hostingAccountId: "444455556666" };
            const teamB = { hostingAccountId: "777788889999" };
            const prefixes = [
                sidPrefixFor(...args, teamA),
                sidPrefixFor(...args, teamB),
                sidPrefixFor(...args, { ...teamA, organization: "acme" }),
                sidPrefixFor(...args, { ...teamA, organization: "globex" }),
                // What stacks deployed before the deployment was part of the prefix carry.
                sidPrefixFor(...args),
            ];
            expect(new Set(prefixes).size).to.equal(prefixes.length);
            for (const p of prefixes) expect(p).to.match(/^BedrockCmi[0-9a-f]{8}Prod$/);
            // A backend without organizations reports "organization": the same deployment as none named.
            expect(sidPrefixFor(...args, { ...teamA, organization: "organization" })).to.equal(prefixes[0]);
            expect(ownerOf("bedrock-cross-account-import", "prod", teamA)).to.equal(
                "bedrock-cross-account-import/prod@444455556666",
            );
            expect(ownerOf("bedrock-cross-account-import", "prod", { ...teamA, organization: "acme" })).to.equal(
                "acme/bedrock-cross-account-import/prod@444455556666",
            );
        },
    );

    it("an owner recognises the owner tag it had before it named the deployment, and nothing else", () => {
        const legacy = ownerOf("p", "prod");
        expect(sameOwner(legacy, ownerOf("p", "prod", { hostingAccountId: "444455556666" }))).to.equal(true);
        expect(
            sameOwner(legacy, ownerOf("p", "prod", { hostingAccountId: "444455556666", organization: "acme" })),
        ).to.equal(true);
        expect(sameOwner(ownerOf("p", "prod2"), ownerOf("p", "prod", { hostingAccountId: "444455556666" }))).to.equal(
            false,
        );
        expect(
            sameOwner(
                ownerOf("p", "prod", { hostingAccountId: "111122223333" }),
                ownerOf("p", "prod", { hostingAccountId: "444455556666" }),
            ),
        ).to.equal(false);
        expect(sameOwner("acme/p/prod@444455556666", "globex/p/prod@444455556666")).to.equal(false);
        expect(sameOwner(undefined, legacy)).to.equal(false);
    });

    it("no stack's prefix is the start of another's (so no stack can claim another's statements)", () => {
        fc.assert(
            fc.property(fc.string({ minLength: 1, maxLength: 30 }), fc.string({ maxLength: 10 }), (stack, suffix) => {
                const a = sidPrefixFor("p", stack, `c-${stack}`);
                const b = sidPrefixFor("p", stack + suffix, `c-${stack}${suffix}`);
                return suffix === "" || (!b.startsWith(a) && !a.startsWith(b));
            }),
        );
        // The layout "base + stack + hash" would fail this: "dev" + hash vs a stack named "dev" + that hash + "x".
    });

    it("prefixedStatements renames only the Sid", () => {
        expect(
            prefixedStatements(
                [{ Sid: "X", Effect: "Allow", Action: "s3:GetObject" } as IamStatement],
                "BedrockCmiAbcdef12",
            ),
        ).to.deep.equal([{ Sid: "BedrockCmiAbcdef12X", Effect: "Allow", Action: "s3:GetObject" }]);
    });
});

describe("BucketPolicyStatements check", () => {
    const check = async (overrides: Record<string, unknown>) =>
        (await bucketPolicyStatementsProvider.check(inputsOf(A), { ...inputsOf(A), ...overrides } as never)).failures ??
        [];

    it("accepts the program's statements", async () => {
        expect(await check({})).to.deep.equal([]);
    });

    it("rejects statements without Sid or with a Sid of someone else, naming the statement and the fix", async () => {
        const [first, second, ...rest] = statementsOf(A);
        const failures = await check({
            statements: [{ ...first, Sid: "AllowBedrockExecutionRoleList" }, { ...second, Sid: undefined }, ...rest],
        });
        expect(failures.map((f) => f.property)).to.deep.equal(["statements", "statements"]);
        expect(failures[0].reason).to.include(
            `[statements[0].Sid] "AllowBedrockExecutionRoleList" does not start with the sidPrefix "${A.sidPrefix}"`,
        );
        expect(failures[0].reason).to.include(`Name it "${A.sidPrefix}AllowBedrockExecutionRoleList"`);
        expect(failures[1].reason).to.include("[statements[1].Sid] is required");
    });

    it("rejects repeated Sids, non-alphanumeric Sids, and statements without principal, action or resource", async () => {
        const [first] = statementsOf(A);
        const failures = await check({
            statements: [
                first,
                { ...first },
                { Sid: `${A.sidPrefix}Bad-Sid`, Effect: "Permit", Action: "s3:GetObject" },
            ],
        });
        const reasons = failures.map((f) => f.reason);
        expect(reasons.some((r) => r.startsWith("[statements[1].Sid] repeats the Sid"))).to.equal(true);
        expect(reasons.some((r) => r.startsWith("[statements[2].Sid] must be ASCII letters and digits only"))).to.equal(
            true,
        );
        expect(reasons.some((r) => r.startsWith('[statements[2].Effect] must be "Allow" or "Deny"'))).to.equal(true);
        expect(reasons.some((r) => r.startsWith("[statements[2]] needs Principal or NotPrincipal"))).to.equal(true);
        expect(reasons.some((r) => r.startsWith("[statements[2]] needs Resource or NotResource"))).to.equal(true);
    });

    it("rejects a bad sidPrefix (characters, too short to be safe)", async () => {
        for (const sidPrefix of ["Bedrock-Cmi-Dev-1", "Allow", ""]) {
            const failures = await check({ sidPrefix, statements: [] });
            expect(
                failures.map((f) => f.property),
                sidPrefix,
            ).to.deep.equal(["sidPrefix"]);
        }
        expect((await check({ sidPrefix: "Allow", statements: [] }))[0].reason).to.include(
            "a short prefix could claim other teams' statements",
        );
    });

    it("rejects bad bucket names, accounts, regions and deployer roles with the rulebook's words", async () => {
        const failures = await check({ bucket: "Model_Artifacts", accountId: "1111", region: "us-east-9" });
        expect(failures.map((f) => f.property).sort()).to.deep.equal(["accountId", "bucket", "bucket", "region"]);
        const role = await check({ assumeRoleArn: "arn:aws:iam::777788889999:role/deployer" });
        expect(role.map((f) => f.reason)).to.deep.equal([
            "[assumeRoleArn] is in account 777788889999; it must be in account 111122223333",
        ]);
        expect(failures.find((f) => f.property === "bucket")?.reason).to.match(/^\[bucket\] .*Model_Artifacts/);
        expect((await check({ bucket: "ab" })).map((f) => f.property)).to.deep.equal(["bucket"]);
    });

    it("rejects this stack's statements alone when they exceed 20 KB; values unknown at preview are not judged", async () => {
        const many = Array.from({ length: 120 }, (_, i) => ({ ...statementsOf(A)[1], Sid: `${A.sidPrefix}Read${i}` }));
        const failures = await check({ statements: many });
        expect(failures.map((f) => f.reason)).to.satisfy((r: string[]) =>
            r.some((x) => x.startsWith("[statements] this stack's part of the bucket policy")),
        );
        expect(await check({ statements: UNKNOWN, bucket: UNKNOWN, sidPrefix: UNKNOWN })).to.deep.equal([]);
        expect(await check({ statements: [{ ...statementsOf(A)[0], Resource: UNKNOWN }] })).to.deep.equal([]);
    });
});

describe("BucketPolicyStatements diff", () => {
    const state = (overrides: Partial<BucketPolicyStatementsOutputs> = {}): BucketPolicyStatementsOutputs => ({
        ...inputsOf(A),
        ...overrides,
    });
    const diff = (olds: BucketPolicyStatementsOutputs, news: Record<string, unknown>) =>
        bucketPolicyStatementsProvider.diff("id", olds, { ...inputsOf(A), ...news } as never);

    it("nothing changed: no change, even when the live statements are formatted differently", async () => {
        const reformatted = statementsOf(A).map((s) => ({
            ...s,
            Action: Array.isArray(s.Action) ? s.Action : [s.Action as string],
        }));
        expect(await diff(state({ statements: reformatted }), {})).to.deep.include({ changes: false, replaces: [] });
    });

    it("a new provider version is an in-place update, never a replace; so is a state written before versions existed", async () => {
        expect(await diff(state(), { providerVersion: "next" })).to.deep.include({
            changes: true,
            replaces: [],
            deleteBeforeReplace: false,
        });
        expect(await diff(state({ providerVersion: undefined }), {})).to.deep.include({ changes: true, replaces: [] });
    });

    it("statements, credentials and region: update in place", async () => {
        expect(await diff(state(), { statements: statementsOf(A, ["other/"]) })).to.deep.include({
            changes: true,
            replaces: [],
        });
        expect(await diff(state(), { statements: UNKNOWN })).to.deep.include({ changes: true, replaces: [] });
        for (const news of [
            { profile: "p" },
            { assumeRoleArn: "arn:aws:iam::111122223333:role/d" },
            { region: "eu-west-1" },
        ]) {
            expect(await diff(state(), news), JSON.stringify(news)).to.deep.include({ changes: true, replaces: [] });
        }
    });

    it("bucket, account or prefix: replace; the old one first only when both would write the same statements", async () => {
        expect(await diff(state(), { bucket: "other-bucket" })).to.deep.include({
            changes: true,
            replaces: ["bucket"],
            deleteBeforeReplace: false,
        });
        expect(await diff(state(), { accountId: "210987654321" })).to.deep.include({
            replaces: ["accountId"],
            deleteBeforeReplace: true,
        });
        const other = stackFixture("other", "777788889999").sidPrefix;
        expect(await diff(state(), { sidPrefix: other })).to.deep.include({
            replaces: ["sidPrefix"],
            deleteBeforeReplace: false,
        });
        expect(await diff(state(), { sidPrefix: `${A.sidPrefix}V2` })).to.deep.include({
            replaces: ["sidPrefix"],
            deleteBeforeReplace: true,
        });
        expect(await diff(state(), { bucket: UNKNOWN })).to.deep.include({ replaces: ["bucket"] });
    });
});

// Keeps the fixture's bucket name in view: the check above relies on it being valid.
void BUCKET;
