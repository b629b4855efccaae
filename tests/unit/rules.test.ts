// The rulebook on its own: each rule with values AWS accepts and values AWS refuses.

import { expect } from "chai";
import {
    accountIdProblems,
    cmiRegionProblems,
    documentProblems,
    documentSize,
    importedModelNameProblems,
    jobNameProblems,
    kmsKeyArnProblems,
    kmsKeyReferenceProblems,
    parsePrincipalArn,
    principalArnProblems,
    regionProblems,
    s3PrefixProblems,
    s3UriProblems,
    tagProblems,
} from "../../components/rules";

describe("rulebook", () => {
    it("regions: only the four regions that offer Custom Model Import host; any region may hold the bucket", () => {
        for (const r of ["us-east-1", "us-east-2", "us-west-2", "eu-central-1"])
            expect(cmiRegionProblems(r)).to.deep.equal([]);
        for (const r of ["ap-south-1", "cn-north-1", "us-gov-west-1", "eu-west-1"]) {
            expect(cmiRegionProblems(r)).to.have.length(1);
            expect(cmiRegionProblems(r)[0])
                .to.include("not offered")
                .and.include("us-east-1, us-east-2, us-west-2, eu-central-1");
        }
        expect(cmiRegionProblems("us-east-9")[0]).to.include("offers Amazon Bedrock Custom Model Import");
        expect(regionProblems("ap-south-1")).to.deep.equal([]);
        expect(regionProblems("us-east-9")[0]).to.include("must be an AWS region name");
    });

    it("account ids: a number from YAML gets a quote hint that invents no digits", () => {
        expect(accountIdProblems("012345678901")).to.deep.equal([]);
        const [hint] = accountIdProblems(12345678901);
        expect(hint).to.include("in quotes").and.include("11 digits");
        expect(hint).not.to.include('"12345678901"');
        expect(hint).not.to.include('"012345678901"');
        expect(accountIdProblems("7777")[0]).to.include("12-digit");
        // 12 digits as a number are the id (an unquoted YAML integer); no leading zero can have been lost.
        expect(accountIdProblems(777788889999)).to.deep.equal([]);
        expect(accountIdProblems(77778888999)[0]).to.include("cannot keep leading zeros");
    });

    it("imported model and job names follow CreateModelImportJob's patterns and lengths", () => {
        expect(importedModelNameProblems("mistral_01-a")).to.deep.equal([]);
        expect(importedModelNameProblems("double--dash")).to.have.length(1);
        expect(importedModelNameProblems("m".repeat(64))[0]).to.include("at most 63");
        expect(importedModelNameProblems("m".repeat(60), 56)[0]).to.include("version suffix");
        // Found by the property test: "a-" is a valid name, "a--68601f" is not.
        expect(importedModelNameProblems("a-")).to.deep.equal([]);
        expect(importedModelNameProblems("a-", 56)[0]).to.include('must not end with "-"');
        expect(jobNameProblems("a-b.c+d")).to.deep.equal([]);
        expect(jobNameProblems("a_b")[0]).to.include('no "_"');
        expect(jobNameProblems("a".repeat(64))[0]).to.include("at most 63");
    });

    it("tags: Bedrock's ASCII pattern (no Unicode letters or spaces), lengths, aws: prefix, 50 counting added tags", () => {
        expect(tagProblems({ team: "hosting", "cost/center": "a b:c=d+e@f-g_h.i" })).to.deep.equal([]);
        const keyOf = (own: Record<string, unknown>) => tagProblems(own).map((p) => p.key);
        expect(keyOf({ "cost#center": "x" })).to.deep.equal(["cost#center"]);
        expect(keyOf({ équipe: "x" })).to.deep.equal(["équipe"]);
        expect(keyOf({ team: "hébergement" })).to.deep.equal(["team"]);
        // U+00A0 is whitespace to JavaScript's \s but not to Bedrock's (Java) \s.
        expect(keyOf({ team: "a\u00a0b" })).to.deep.equal(["team"]);
        expect(keyOf({ "aws:owner": "x" })).to.deep.equal(["aws:owner"]);
        expect(keyOf({ ["k".repeat(129)]: "x" })).to.have.length(1);
        expect(keyOf({ team: "v".repeat(257) })).to.deep.equal(["team"]);
        const own = Object.fromEntries(Array.from({ length: 48 }, (_, i) => [`t${i}`, "x"]));
        expect(tagProblems(own)).to.deep.equal([]);
        const added = { ManagedBy: "pulumi", PulumiProject: "p", PulumiStack: "s" };
        const [count] = tagProblems(own, added);
        expect(count.key).to.equal(undefined);
        expect(count.message).to.include("51 tags").and.include("at most 50").and.include("PulumiStack");
        // Overriding a default tag does not add one.
        expect(
            tagProblems(
                { ...Object.fromEntries(Array.from({ length: 47 }, (_, i) => [`t${i}`, "x"])), ManagedBy: "me" },
                added,
            ),
        ).to.deep.equal([]);
        expect(tagProblems({ "bedrock-cmi:owner": "x" }, {}, ["bedrock-cmi:owner"])[0].message).to.include(
            "set by the program",
        );
    });

    it("S3 prefixes: Bedrock's s3Uri characters, no wildcards, dot segments or empty segments", () => {
        for (const ok of [
            "mistral-model-weights/",
            "fine-tunes/2026-11-25/run_3",
            "checkpoints/(final)/",
            "x//",
            "x///",
        ]) {
            expect(s3PrefixProblems(ok), ok).to.deep.equal([]);
        }
        const bad: Array<[string, string]> = [
            ["模型/mistral/", "U+6A21"],
            ["a/${aws:username}/", '"$" (U+0024)'],
            ["weights/*", "wildcards"],
            ["weights/?/", "wildcards"],
            ["a/../b/", '".."'],
            ["a//b/", "empty segments"],
            ["my model /weights/", '" " (U+0020, a space)'],
            [" weights/", '" " (U+0020, a space)'],
            ["café/", '"é" (U+00E9)'],
            ["/weights/", 'must not start with "/"'],
            ["s3://b/p/", "not an S3 URI"],
            ["   ", "must name the folder"],
            ["x".repeat(1020), "too long"],
        ];
        for (const [prefix, fragment] of bad) {
            expect(s3PrefixProblems(prefix).join("; "), prefix).to.include(fragment);
        }
        expect(s3UriProblems("s3://model-artifacts-111122223333/weights/")).to.deep.equal([]);
        expect(s3UriProblems("s3://model-artifacts-111122223333/weights")[0]).to.include('must end with "/"');
        expect(s3UriProblems("s3://Bad_Bucket/weights/")[0]).to.include("bucket");
    });

    it("principal ARNs: roles and users with paths; sessions and root refused with the ARN to use", () => {
        const expect1 = {
            partition: "aws" as const,
            kinds: ["role", "user"] as const,
            what: "an IAM role or user ARN",
        };
        const sso =
            "arn:aws:iam::777788889999:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef";
        expect(principalArnProblems(sso, expect1)).to.deep.equal([]);
        expect(parsePrincipalArn(sso)).to.include({
            kind: "role",
            path: "/aws-reserved/sso.amazonaws.com/",
            name: "AWSReservedSSO_Admin_0123456789abcdef",
        });
        expect(principalArnProblems("arn:aws:iam::444455556666:user/ops/alice", expect1)).to.deep.equal([]);
        const [session] = principalArnProblems("arn:aws:sts::777788889999:assumed-role/Admin/alice", expect1);
        expect(session).to.include("session").and.include("arn:aws:iam::777788889999:role/<path>Admin");
        expect(principalArnProblems("arn:aws:iam::777788889999:root", expect1)[0])
            .to.include("account root")
            .and.include("name a role");
        expect(principalArnProblems("arn:aws-cn:iam::777788889999:role/Ops", expect1)[0]).to.include(
            "partition aws-cn",
        );
        expect(
            principalArnProblems("arn:aws:iam::777788889999:user/alice", { ...expect1, kinds: ["role"] })[0],
        ).to.include("got a user ARN");
        expect(
            principalArnProblems("arn:aws:iam::111122223333:role/x", { ...expect1, account: "777788889999" })[0],
        ).to.include("must be in account 777788889999");
        expect(principalArnProblems("alice", expect1)[0]).to.include("like arn:aws:iam::");
    });

    it(
        "KMS keys: an existing key is an ARN in the bucket's region and partition; import keys may be ARNs, ids or " +
            "aliases",
        () => {
            const arn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
            expect(kmsKeyArnProblems(arn, { partition: "aws", region: "us-east-1" })).to.deep.equal([]);
            expect(kmsKeyArnProblems(arn, { partition: "aws", region: "us-west-2" })[0])
                .to.include("us-east-1")
                .and.include("us-west-2");
            expect(
                kmsKeyArnProblems(arn.replace("arn:aws:", "arn:aws-us-gov:"), {
                    partition: "aws",
                    region: "us-east-1",
                })[0],
            ).to.include("partition");
            expect(kmsKeyArnProblems("alias/research", { partition: "aws", region: "us-east-1" })[0]).to.include(
                "not an alias",
            );
            expect(kmsKeyReferenceProblems("alias/kms-cmk-777788889999", { region: "us-east-1" })).to.deep.equal([]);
            expect(kmsKeyReferenceProblems(arn, { region: "eu-central-1" })[0]).to.include("regional");
            expect(kmsKeyReferenceProblems("not-a-key", {})).to.have.length(1);
        },
    );

    it(
        "documents: sizes counted as AWS counts (IAM without white space, S3 and KMS in bytes), and IAM's character " +
            "set",
        () => {
            const doc = {
                Version: "2012-10-17",
                Statement: [{ Sid: "A B", Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/é/*" }],
            };
            const compact = JSON.stringify(doc);
            expect(documentSize("managedPolicy", doc)).to.equal(compact.length - 1); // the space in "A B"
            expect(documentSize("bucketPolicy", doc)).to.equal(compact.length + 1); // "é" is two bytes
            expect(documentProblems("managedPolicy", doc, "the execution policy")).to.deep.equal([]);
            const big = {
                ...doc,
                Statement: Array.from({ length: 80 }, (_, i) => ({ ...doc.Statement[0], Sid: `S${i}` })),
            };
            const [problem] = documentProblems("managedPolicy", big, "the execution policy");
            expect(problem).to.match(
                /the execution policy is \d+ characters \(white space not counted\); the IAM managed policy limit is 6144/,
            );
            expect(documentProblems("trustPolicy", { x: "模型" }, "the trust policy")[0]).to.include("U+0020-U+00FF");
            expect(documentProblems("keyPolicy", { x: "y".repeat(33 * 1024) }, "the hosting key policy")[0]).to.include(
                "32768",
            );
        },
    );
});

describe("manual import command job name", () => {
    it("fits Bedrock's job-name rule for the longest model names", async () => {
        const { manualJobName } = await import("../../components/naming");
        for (const name of ["m".repeat(63), "a_b".repeat(21), "x-".repeat(31) + "y", "qwen_01"]) {
            const job = manualJobName(name);
            expect(jobNameProblems(job), job).to.deep.equal([]);
        }
        expect(manualJobName("qwen_01")).to.equal("qwen-01-manual-1");
    });
});
