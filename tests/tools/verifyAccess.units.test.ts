// The pure parts of verify-access: safetensors header validation, architecture matching, document
// parsing and drift comparison, principal ARNs, alias names and the formatter's marks.

import { expect } from "chai";
import { MAX_CONTEXT_TOKENS, SUPPORTED_ARCHITECTURES, importableIn } from "../../components/rules";
import { contextLengthOf, matchArchitecture } from "../../scripts/verify/architectures";
import { PROJECT, stackNames } from "../../components/naming";
import { parsePolicy } from "../../components/policies/document";
import { compareDocuments, hasDrift } from "../../scripts/verify/documents";
import { formatResults } from "../../scripts/verify/format";
import { matchConfiguredPrincipal, parseRoleArn, principalArnOf, roleSessionOf } from "../../scripts/verify/identity";
import { headerLength, validateHeader } from "../../scripts/verify/safetensors";
import { fail, pass, skip, warn } from "../../scripts/verify/types";
import { hfLayout, safetensors } from "../fakes/hfLayout";

describe("verify-access: pure helpers", () => {
    describe("safetensors", () => {
        const file = hfLayout()["model.safetensors"];
        const n = headerLength(file.subarray(0, 8));

        it("accepts the bytes hfLayout writes (header padded to 8, offsets covering the data)", () => {
            expect(n % 8).to.equal(0);
            expect(validateHeader(file.subarray(8, 8 + n), file.length)).to.deep.equal({
                tensors: 2,
                dataBytes: 8 * 4 * 4 + 4 * 4,
            });
        });

        it("refuses implausible lengths, non-JSON, missing fields, wrong sizes and truncation", () => {
            expect(() => headerLength(Buffer.from("PK\u0003\u0004xxxx"))).to.throw(/not plausible/);
            expect(() => headerLength(Buffer.alloc(4))).to.throw(/shorter than 8/);
            expect(() => validateHeader(Buffer.from("{ nope"), 100)).to.throw(/not JSON/);
            expect(() =>
                validateHeader(Buffer.from(JSON.stringify({ w: { dtype: "F32", shape: [2] } })), 100),
            ).to.throw(/lacks/);
            expect(() =>
                validateHeader(
                    Buffer.from(JSON.stringify({ w: { dtype: "F32", shape: [3], data_offsets: [0, 8] } })),
                    100,
                ),
            ).to.throw(/needs 12 bytes/);
            expect(() => validateHeader(Buffer.from(JSON.stringify({ __metadata__: {} })), 100)).to.throw(/no tensors/);
            expect(() => validateHeader(file.subarray(8, 8 + n), file.length - 1)).to.throw(/truncated/);
            const f16 = safetensors({ x: { dtype: "F16", shape: [2, 2], data: Buffer.alloc(8) } });
            const m = headerLength(f16);
            expect(validateHeader(f16.subarray(8, 8 + m), f16.length).tensors).to.equal(1);
        });
    });

    describe("architectures", () => {
        it("matches every supported class name and model_type; architectures[0] wins over model_type", () => {
            for (const s of SUPPORTED_ARCHITECTURES) {
                expect(matchArchitecture({ architectures: [...s.architectures] }).supported, s.family).to.equal(s);
                expect(matchArchitecture({ model_type: s.modelType }).supported, s.family).to.equal(s);
            }
            expect(matchArchitecture({ architectures: ["BertModel"], model_type: "llama" }).supported).to.equal(
                undefined,
            );
            expect(matchArchitecture({}).declared).to.equal("neither architectures nor model_type");
            expect(matchArchitecture({ model_type: "qwen2_5_vl" }).supported?.multimodal).to.equal(true);
        });

        it("Qwen3: the dense and the MoE class; no other Qwen3 class (AWS supports only these two)", () => {
            expect(
                matchArchitecture({ architectures: ["Qwen3MoeForCausalLM"], model_type: "qwen3_moe" }).supported
                    ?.family,
            ).to.equal("Qwen3 MoE");
            expect(matchArchitecture({ architectures: ["Qwen3ForCausalLM"] }).supported?.family).to.equal("Qwen3");
            expect(
                matchArchitecture({ architectures: ["Qwen3VLForConditionalGeneration"], model_type: "qwen3_vl" })
                    .supported,
            ).to.equal(undefined);
        });

        it("regions: GPT-OSS only in us-east-1, the others wherever Custom Model Import runs", () => {
            const byFamily = (f: string) => SUPPORTED_ARCHITECTURES.find((s) => s.family === f)!;
            expect(importableIn(byFamily("GPT-OSS"), "us-east-1")).to.equal(true);
            expect(importableIn(byFamily("GPT-OSS"), "us-west-2")).to.equal(false);
            expect(importableIn(byFamily("Qwen3 MoE"), "us-west-2")).to.equal(true);
            expect(SUPPORTED_ARCHITECTURES.filter((s) => s.regions).map((s) => s.family)).to.deep.equal(["GPT-OSS"]);
        });

        it("context length: the largest of the declared keys, top level or text_config", () => {
            expect(MAX_CONTEXT_TOKENS).to.equal(128 * 1024);
            expect(contextLengthOf({ max_position_embeddings: 32768 })).to.deep.equal({
                key: "max_position_embeddings",
                tokens: 32768,
            });
            expect(contextLengthOf({ n_positions: 8192 })).to.deep.equal({ key: "n_positions", tokens: 8192 });
            expect(contextLengthOf({ max_seq_len: 4096, seq_length: 65536 })).to.deep.equal({
                key: "seq_length",
                tokens: 65536,
            });
            expect(
                contextLengthOf({ model_type: "mllama", text_config: { max_position_embeddings: 131072 } }),
            ).to.deep.equal({
                key: "text_config.max_position_embeddings",
                tokens: 131072,
            });
            expect(contextLengthOf({ model_type: "t5", d_model: 512 })).to.equal(undefined);
            expect(contextLengthOf({ max_position_embeddings: "131072" })).to.equal(undefined);
        });
    });

    describe("documents", () => {
        const doc = {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "A",
                    Effect: "Allow",
                    Action: ["s3:GetObject", "s3:ListBucket"],
                    Resource: "arn:aws:s3:::b",
                    Condition: { StringEquals: { "aws:ResourceAccount": "111122223333" } },
                },
            ],
        };

        it("parses URL-encoded IAM documents and single-statement objects", () => {
            const encoded = encodeURIComponent(JSON.stringify({ ...doc, Statement: doc.Statement[0] }));
            expect(parsePolicy(encoded, true).Statement).to.have.length(1);
            expect(() => parsePolicy("[]")).to.throw(/not a JSON object/);
            expect(() => parsePolicy("{}")).to.throw(/no Statement/);
        });

        it("treats order, single-vs-array and Sid renames as equivalent, and reports real changes", () => {
            const same = {
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "Renamed",
                        Effect: "Allow",
                        Action: ["s3:ListBucket", "s3:GetObject"],
                        Resource: ["arn:aws:s3:::b"],
                        Condition: { StringEquals: { "aws:ResourceAccount": ["111122223333"] } },
                    },
                ],
            };
            expect(
                hasDrift(compareDocuments(parsePolicy(JSON.stringify(same)), parsePolicy(JSON.stringify(doc)))),
            ).to.equal(false);
            const changed = {
                ...doc,
                Statement: [
                    { ...doc.Statement[0], Resource: "arn:aws:s3:::other" },
                    { Sid: "X", Effect: "Deny", Action: "*", Resource: "*" },
                ],
            };
            expect(
                compareDocuments(parsePolicy(JSON.stringify(changed)), parsePolicy(JSON.stringify(doc))),
            ).to.deep.equal({
                missing: [],
                unexpected: ["X"],
                changed: ["A"],
            });
        });
    });

    it("principal ARNs: an assumed-role session is its role; others unchanged", () => {
        expect(principalArnOf("arn:aws:sts::777788889999:assumed-role/Ops/alice")).to.equal(
            "arn:aws:iam::777788889999:role/Ops",
        );
        expect(principalArnOf("arn:aws-cn:sts::777788889999:assumed-role/Ops/alice@x")).to.equal(
            "arn:aws-cn:iam::777788889999:role/Ops",
        );
        expect(principalArnOf("arn:aws:iam::777788889999:user/bob")).to.equal("arn:aws:iam::777788889999:user/bob");
    });

    it("role paths: a session matches a configured role ARN by account and role name, keeping the configured path", () => {
        const session = "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_abc/alice";
        const sso = "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_abc";
        const ssoRegional =
            "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-2/AWSReservedSSO_Admin_abc";
        expect(roleSessionOf(session)).to.deep.equal({
            partition: "aws",
            account: "123456789012",
            roleName: "AWSReservedSSO_Admin_abc",
            sessionName: "alice",
        });
        expect(roleSessionOf("arn:aws:iam::123456789012:user/bob")).to.equal(undefined);
        expect(parseRoleArn(ssoRegional)).to.deep.equal({
            partition: "aws",
            account: "123456789012",
            path: "/aws-reserved/sso.amazonaws.com/eu-west-2/",
            name: "AWSReservedSSO_Admin_abc",
        });
        expect(parseRoleArn("arn:aws:iam::123456789012:role/Ops")?.path).to.equal("/");
        expect(matchConfiguredPrincipal(session, ["arn:aws:iam::123456789012:role/Ops", sso])).to.equal(sso);
        expect(matchConfiguredPrincipal(session, [ssoRegional])).to.equal(ssoRegional);
        // Role names are not case-sensitive in IAM.
        expect(
            matchConfiguredPrincipal(session, ["arn:aws:iam::123456789012:role/x/awsreservedsso_admin_abc"]),
        ).to.equal("arn:aws:iam::123456789012:role/x/awsreservedsso_admin_abc");
        // Same name, another account or partition; a user of that name: not the caller.
        expect(
            matchConfiguredPrincipal(session, [
                "arn:aws:iam::999999999999:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_abc",
            ]),
        ).to.equal(undefined);
        expect(
            matchConfiguredPrincipal(session, ["arn:aws-cn:iam::123456789012:role/AWSReservedSSO_Admin_abc"]),
        ).to.equal(undefined);
        expect(matchConfiguredPrincipal(session, ["arn:aws:iam::123456789012:user/AWSReservedSSO_Admin_abc"])).to.equal(
            undefined,
        );
        // Users match exactly.
        expect(
            matchConfiguredPrincipal("arn:aws:iam::123456789012:user/bob", ["arn:aws:iam::123456789012:user/bob"]),
        ).to.equal("arn:aws:iam::123456789012:user/bob");
    });

    it("key aliases follow the component's names, sanitized like it does", () => {
        const keyAliases = (stack: string) => stackNames(PROJECT, stack).keyAliases;
        expect(keyAliases("dev")).to.deep.equal({
            development: "alias/bedrock-cmi-dev-artifacts",
            hosting: "alias/bedrock-cmi-dev-imported-models",
        });
        expect(keyAliases("team.prod").development).to.equal("alias/bedrock-cmi-team-prod-artifacts");
    });

    it("formats ✔ ✘ – ⚠ and summarizes", () => {
        const text = formatResults([
            pass("identity.development", "dev ok", "arn"),
            fail("identity.hosting", "host", "wrong account", "use the right profile"),
            skip("probe", "probe", "skipped: not enabled", "enable it"),
            warn("drift.bucketPolicy", "drift", "edited", "pulumi up"),
        ]);
        expect(text).to.contain("✔ dev ok\n    arn");
        expect(text).to.contain("✘ host\n    problem: wrong account\n    fix: use the right profile");
        expect(text).to.contain("– probe\n    skipped: not enabled\n    fix: enable it");
        expect(text).to.contain("⚠ drift\n    edited\n    fix: pulumi up");
        expect(text).to.match(/1 of 4 checks FAILED \(1 skipped\): identity\.hosting$/);
        expect(formatResults([pass("identity.development", "ok")])).to.match(/All 1 checks passed\.$/);
    });
});
