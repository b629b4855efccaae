// `npm run plan`: the shipped example dev stack (its copy in tests/fixtures/examples) as a user runs it, from its
// project folder (the one child process), the rest in-process: the JSON plan with its documents, shared bucket
// statements and warnings, and broken builders or configs, showing the matrix and the document limits catch them and
// the exit code says so.

import { expect } from "chai";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { sidPrefixFor } from "../../components/naming";
import type * as policiesModule from "../../components/policies/statements";
import { planMain } from "../../scripts/plan/cli";
import { buildPlan, type Plan } from "../../scripts/plan/plan";
import { REPO_ROOT } from "../../scripts/common/stackFile";
import { EXAMPLES_ROOT, FIXTURES_ROOT } from "../helpers/programHarness";
import { derivedStack, tempStackRoot } from "../helpers/stackFiles";

function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
        execFile(
            process.execPath,
            [
                "-r",
                path.join(REPO_ROOT, "scripts", "common", "tsRegister.cjs"),
                path.join(REPO_ROOT, "scripts", "plan.ts"),
                ...args,
            ],
            // Started in the project folder, as Pulumi commands are (INIT_CWD would be npm's, when mocha runs under npm
            // test).
            {
                cwd: EXAMPLES_ROOT,
                env: {
                    ...process.env,
                    INIT_CWD: EXAMPLES_ROOT,
                    AWS_PROFILE: "",
                    AWS_ACCESS_KEY_ID: "",
                    AWS_SECRET_ACCESS_KEY: "",
                },
            },
            (err, stdout, stderr) =>
                resolve({
                    code: err ? Number((err as NodeJS.ErrnoException & { code?: number }).code ?? 1) : 0,
                    stdout,
                    stderr,
                }),
        );
    });
}

async function inProcess(
    argv: string[],
    opts: Parameters<typeof planMain>[2] = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = "";
    let stderr = "";
    const code = await planMain(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }, opts);
    return { code, stdout, stderr };
}

/** Replaces one export of the program's freshly loaded policy module (the program calls through the module object). */
function patchBuilder<K extends keyof typeof policiesModule>(
    name: K,
    wrap: (original: (typeof policiesModule)[K]) => (typeof policiesModule)[K],
): () => void {
    return () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const mod = require(path.join(REPO_ROOT, "components", "policies", "statements")) as typeof policiesModule;
        (mod as Record<K, unknown>)[name] = wrap(mod[name]);
    };
}

describe("npm run plan", function () {
    this.timeout(60000);

    it("dev stack from a shell, no credentials: resources per account, documents, green matrix, exit 0", async () => {
        const { code, stdout } = await runCli(["--stack", "dev"]);
        expect(code).to.equal(0);
        expect(stdout).to.include('Plan for stack "dev"');
        expect(stdout).to.include("Model development account 111122223333 (us-east-1; profile model-development)");
        // The shipped dev stack reads the research team's bucket and key: a grant, no bucket, no key.
        expect(stdout).to.include("+ aws:kms/grant:Grant  bedrock-cmi-artifacts-key-grant");
        // The research key's grant is labelled as a grant, not as a key policy the stack would edit.
        expect(stdout).to.include("── Grant on the research team's key (development account)");
        expect(stdout).not.to.include("── Development key policy");
        expect(stdout).not.to.include("aws:s3/bucket:Bucket");
        expect(stdout).to.include("Model hosting account 777788889999 (us-east-1; profile model-hosting-dev)");
        expect(stdout).to.include(
            "+ aws:iam/role:Role  bedrock-cmi-execution-role  (name=BedrockCMIExecutionRole-dev)",
        );
        expect(stdout).to.include("── Bucket policy (development account) ──");
        // The dev stack deploys with a profile, so the key policy cannot name the deployer: the plan prints what to
        // attach to it.
        expect(stdout).to.include("── Identity policy the hosting deployer needs");
        expect(stdout).to.include('"iam:PassedToService": "bedrock.amazonaws.com"');
        // The app's policy: the stack's pointer, and (before up) the hosting account's imported models of the region.
        const invoker = stdout.slice(stdout.indexOf("── Identity policy an app that invokes the models needs"));
        expect(invoker).to.include(
            '"Resource": "arn:aws:ssm:us-east-1:777788889999:parameter/bedrock-cmi/dev/mistral-dev-01/model-arn"',
        );
        expect(invoker).to.include('"Resource": "arn:aws:bedrock:us-east-1:777788889999:imported-model/*"');
        expect(stdout).to.include("✔ [must be denied] The app cannot read another stack's pointer");
        expect(stdout).to.include("── Execution role trust policy (hosting account) ──");
        expect(stdout).to.include('"aws:SourceArn": "arn:aws:bedrock:us-east-1:777788889999:model-import-job/*"');
        expect(stdout).to.match(/All \d+ access checks are as they should be\./);
        expect(stdout).to.include("✔ execution policy BedrockCMIExecutionPolicy-dev: ");
        expect(stdout).to.include(
            "Statements this stack adds to the bucket policy of model-artifacts-111122223333 (the Sids it owns)",
        );
        expect(stdout).to.include("Statements of others (the research team's, other stacks') are not visible offline");
        expect(stdout).not.to.include("✘");
        expect(stdout).not.to.include("WARNING");
    });

    it("--json prints one JSON document and nothing else on stdout", async () => {
        const { code, stdout, stderr } = await inProcess(["--stack", "prod", "--json"], { root: FIXTURES_ROOT });
        expect(code).to.equal(0);
        expect(stderr).to.equal("");
        const plan = JSON.parse(stdout) as Plan;
        expect(plan.ok).to.equal(true);
        expect(plan.stack).to.equal("prod");
        expect(Object.keys(plan.policies)).to.deep.equal([
            "bucketPolicy",
            "trustPolicy",
            "executionPolicy",
            "developmentKeyPolicy",
            "hostingKeyPolicy",
        ]);
        expect(plan.accounts.modelDevelopment.resources.map((r) => r.type)).to.include.members([
            "aws:kms/key:Key",
            "aws:kms/alias:Alias",
        ]);
        expect(plan.other.map((r) => r.type)).to.include("pulumi-nodejs:dynamic/bedrock:BucketPolicyStatements");
        expect(plan.accounts.modelHosting.resources.map((r) => r.type)).to.include.members([
            "aws:kms/key:Key",
            "aws:iam/role:Role",
            "aws:iam/policy:Policy",
        ]);
        expect(plan.accessMatrix.every((r) => r.ok)).to.equal(true);
        expect(plan.accessMatrix.some((r) => r.id === "kms.hosting.kms:CreateGrant")).to.equal(true);
        // The app's policy decrypts with the hosting key through Bedrock, and the matrix judged it.
        expect(plan.invokerPolicy.Statement.map((st) => [st.Sid, st.Resource])).to.deep.equal([
            [
                "ReadModelPointers",
                "arn:aws:ssm:us-east-1:777788889999:parameter/bedrock-cmi/prod/mistral-prod-01/model-arn",
            ],
            ["InvokeImportedModels", "arn:aws:bedrock:us-east-1:777788889999:imported-model/*"],
            [
                "DecryptImportedModelsThroughBedrock",
                "arn:aws:kms:us-east-1:777788889999:key/key-bedrock-cmi-imported-models-key",
            ],
        ]);
        expect(plan.accessMatrix.filter((r) => r.id.startsWith("invoker.")).map((r) => [r.id, r.ok])).to.deep.include([
            "invoker.decrypt-through-bedrock",
            true,
        ]);
        expect(plan.documents.map((d) => [d.kind, d.name, d.limit, d.ok])).to.deep.equal([
            [
                "bucketPolicy",
                "this stack's statements in the bucket policy of model-artifacts-prod-111122223333",
                20480,
                true,
            ],
            ["trustPolicy", "trust policy of role BedrockCMIExecutionRole-prod", 2048, true],
            ["managedPolicy", "execution policy BedrockCMIExecutionPolicy-prod", 6144, true],
            ["keyPolicy", "key policy of bedrock-cmi-artifacts-key", 32768, true],
            ["keyPolicy", "key policy of bedrock-cmi-imported-models-key", 32768, true],
        ]);
        // Sizes are those of the documents as written: compact JSON, white space not counted for IAM.
        const trust = plan.documents.find((d) => d.kind === "trustPolicy");
        expect(trust?.size).to.equal(JSON.stringify(plan.policies.trustPolicy).replace(/\s/g, "").length);
        // The builder's Sids under this stack's prefix (derived from project, stack and component).
        const prefix = sidPrefixFor("bedrock-cross-account-import", "prod", "bedrock-cmi-prod", {
            hostingAccountId: "777788889999",
        });
        expect(plan.sharedBucketPolicy.ownSids).to.deep.equal([
            `${prefix}AllowBedrockExecutionRoleList`,
            `${prefix}AllowBedrockExecutionRoleReadModels`,
            `${prefix}DenyInsecureTransport`,
        ]);
        expect(plan.warnings).to.deep.equal([]);
    });

    it("an existing, shared bucket: only this stack's statements are written, others' are kept; no warning", async () => {
        const root = tempStackRoot({
            shared: derivedStack({ yaml: (s) => void (s.sub("modelDevelopment", "artifactBucket").create = false) }),
        });
        try {
            const { code, stdout, stderr } = await inProcess(["--stack", "shared", "--json"], { root });
            expect(code).to.equal(0);
            const plan = JSON.parse(stdout) as Plan;
            expect(plan.sharedBucketPolicy.others).to.include("are kept as they are");
            expect(plan.sharedBucketPolicy.ownSids).to.have.length(3);
            expect(plan.sharedBucketPolicy.ownSids.every((sid) => /^BedrockCmi[0-9a-f]{8}Shared/.test(sid))).to.equal(
                true,
            );
            expect(plan.warnings).to.deep.equal([]);
            expect(stderr).not.to.include("WARNING");
        } finally {
            fs.rmSync(root, { recursive: true, force: true });
        }
    });

    it("two models: the rollout warning (4 slots > 3) suggests one model at a time; exit unaffected", async () => {
        const root = tempStackRoot({
            two: derivedStack({
                yaml: (s) =>
                    void (s.models = [
                        { name: "mistral-a", s3Prefix: "a/" },
                        { name: "mistral-b", s3Prefix: "b/" },
                    ]),
            }),
        });
        try {
            const { code, stdout } = await inProcess(["--stack", "two"], { root });
            expect(code).to.equal(0);
            const warnings = stdout.split("\n").filter((l) => l.startsWith("WARNING"));
            expect(warnings).to.have.length(1);
            expect(warnings[0]).to.include(
                "needs 4 imported-model slots, more than the default quota of 3 (code L-45B04988)",
            );
            expect(warnings[0]).to.include("roll out one model at a time (3 slots)");
            expect(warnings[0]).to.include("--quota-code L-45B04988 --desired-value 4 --region us-east-1");
        } finally {
            fs.rmSync(root, { recursive: true, force: true });
        }
    });

    it(
        "--json: errors and warnings are { key, message } objects (key null when there is none); error keeps the " +
            "whole message",
        async () => {
            const root = tempStackRoot({
                broken: derivedStack({
                    yaml: (s) => {
                        s.section("modelHosting").accountId = "7777";
                        s.models[0].nam = s.models[0].name;
                        delete s.models[0].name;
                    },
                }),
                // A prefix that begins with the bucket's name (keyed) and two models (the quota warning, no key).
                warned: derivedStack({
                    yaml: (s) =>
                        void (s.models = [
                            { name: "mistral-a", s3Prefix: "model-artifacts-111122223333/a/" },
                            { name: "mistral-b", s3Prefix: "b/" },
                        ]),
                }),
            });
            try {
                const broken = await inProcess(["--stack", "broken", "--json"], { root });
                expect(broken.code).to.equal(2);
                const failed = JSON.parse(broken.stdout) as {
                    ok: boolean;
                    error: string;
                    errors: unknown[];
                    warnings: unknown[];
                };
                expect(failed.errors).to.deep.equal([
                    { key: "modelHosting.accountId", message: 'must be a 12-digit string, got "7777"' },
                    {
                        key: "models[0].nam",
                        message:
                            "is not a known key; did you mean name? Known keys: name, s3Prefix, tags, smokeTest, " +
                            "timeoutMinutes",
                    },
                ]);
                expect(failed.warnings).to.deep.equal([]);
                expect(failed.error)
                    .to.include("Invalid stack config")
                    .and.include('[modelHosting.accountId] must be a 12-digit string, got "7777"');
                const unknown = JSON.parse((await inProcess(["--stack", "nope", "--json"], { root })).stdout) as {
                    error: string;
                    errors: unknown[];
                };
                expect(unknown.errors).to.deep.equal([{ key: null, message: unknown.error }]);

                const warned = await inProcess(["--stack", "warned", "--json"], { root });
                expect(warned.code).to.equal(0);
                const plan = JSON.parse(warned.stdout) as Plan;
                expect(plan.errors).to.deep.equal([]);
                const prefix = plan.warnings.find((w) => w.key === "models[0].s3Prefix");
                expect(prefix?.message).to.match(
                    /^"model-artifacts-111122223333\/a\/" begins with the bucket's own name/,
                );
                expect(plan.warnings.find((w) => w.key === null)?.message).to.match(
                    /^a rollout of a new version of all 2 models at once needs 4/,
                );
                // stderr repeats them as the text plan prints.
                expect(warned.stderr).to.include("plan: WARNING: [models[0].s3Prefix] ");
            } finally {
                fs.rmSync(root, { recursive: true, force: true });
            }
        },
    );

    it("unknown stack and bad arguments exit 2 with a message", async () => {
        const unknown = await inProcess(["--stack", "nope"], { root: EXAMPLES_ROOT });
        expect(unknown.code).to.equal(2);
        expect(unknown.stderr).to.include("No stack file Pulumi.nope.yaml");
        expect(unknown.stderr).to.include(`known stacks in ${EXAMPLES_ROOT}: dev, prod`);
        const bad = await inProcess(["--stak", "dev"], { root: EXAMPLES_ROOT });
        expect(bad.code).to.equal(2);
        expect(bad.stderr).to.include("unknown argument --stak");
        expect(bad.stderr).to.include("usage: npm run plan -- --stack <name> [--json]");
        const missing = await inProcess(["--json"], { root: EXAMPLES_ROOT });
        expect(missing.code).to.equal(2);
        expect(JSON.parse(missing.stdout)).to.deep.include({ ok: false });
        expect(missing.stderr).to.include(
            `--stack <name> is required: it names the Pulumi.<name>.yaml to read, and there is no default stack ` +
                `(known stacks in ${EXAMPLES_ROOT}: dev, prod)`,
        );
    });

    it("an invalid stack config exits 2 with the program's message naming the key", async () => {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
        try {
            const text = fs
                .readFileSync(path.join(EXAMPLES_ROOT, "Pulumi.dev.yaml"), "utf8")
                .replace('accountId: "777788889999"', 'accountId: "7777"');
            fs.writeFileSync(path.join(root, "Pulumi.broken.yaml"), text);
            let stdout = "";
            let stderr = "";
            const code = await planMain(
                ["--stack", "broken", "--json"],
                { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) },
                { root },
            );
            expect(code).to.equal(2);
            expect(stderr).to.include('[modelHosting.accountId] must be a 12-digit string, got "7777"');
            expect(JSON.parse(stdout)).to.include({ ok: false, stack: "broken" });
        } finally {
            fs.rmSync(root, { recursive: true, force: true });
        }
    });

    it("messages name the stack file read (its path, in stackConfigDir too), never the literal Pulumi.<stack>.yaml", async () => {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
        try {
            fs.mkdirSync(path.join(root, "stacks"));
            fs.writeFileSync(
                path.join(root, "Pulumi.yaml"),
                "name: bedrock-cross-account-import\nruntime: nodejs\nstackConfigDir: stacks\n",
            );
            const text = fs
                .readFileSync(path.join(EXAMPLES_ROOT, "Pulumi.dev.yaml"), "utf8")
                .replace('accountId: "777788889999"', 'accountId: "7777"');
            // A bare key too: its fix names the file it belongs in.
            fs.writeFileSync(path.join(root, "stacks", "Pulumi.broken.yaml"), `${text}\n  models: []\n`);
            const { code, stderr } = await inProcess(["--stack", "broken"], { root });
            expect(code).to.equal(2);
            const file = path.join(root, "stacks", "Pulumi.broken.yaml");
            expect(stderr).to.include(`fix these keys in ${file} and run again`);
            expect(stderr).to.include(
                `[models] has no namespace; write it as bedrock-cross-account-import:models in ${file}`,
            );
            expect(stderr).not.to.include("Pulumi.<stack>.yaml");
        } finally {
            fs.rmSync(root, { recursive: true, force: true });
        }
    });

    describe("broken builders: the matrix catches them and the plan exits 1", () => {
        const cases: Array<{ name: string; patch: () => void; failing: string[]; statement: string }> = [
            {
                name: "bucket policy without the aws:PrincipalArn condition",
                patch: patchBuilder("bucketPolicy", (orig) => (p) => {
                    const doc = orig(p);
                    return {
                        ...doc,
                        Statement: doc.Statement.map((s) =>
                            s.Sid === "AllowBedrockExecutionRoleReadModels" ? { ...s, Condition: undefined } : s,
                        ),
                    };
                }),
                failing: ["s3.other-hosting-role"],
                statement: "bucketPolicy (aws:PrincipalArn condition)",
            },
            {
                name: "trust policy without the confused-deputy conditions",
                patch: patchBuilder("trustPolicy", (orig) => (p) => {
                    const doc = orig(p);
                    return { ...doc, Statement: doc.Statement.map((s) => ({ ...s, Condition: undefined })) };
                }),
                failing: ["trust.other-account-job", "trust.no-source"],
                statement: "trustPolicy:AllowBedrockModelImportJobs",
            },
            {
                name: "execution policy that forgets the object reads",
                patch: patchBuilder("executionPolicy", (orig) => (p) => {
                    const doc = orig(p);
                    return { ...doc, Statement: doc.Statement.filter((s) => s.Sid !== "ReadModelArtifacts") };
                }),
                failing: ["s3.read:mistral-model-weights/config.json"],
                statement: "executionPolicy:ReadModelArtifacts",
            },
            {
                name: "bucket policy reads scoped to a wrong prefix",
                patch: patchBuilder("bucketPolicy", (orig) => (p) => {
                    const doc = orig(p);
                    return {
                        ...doc,
                        Statement: doc.Statement.map((s) =>
                            s.Sid === "AllowBedrockExecutionRoleReadModels"
                                ? { ...s, Resource: `arn:aws:s3:::${p.bucketName}/wrong-prefix/*` }
                                : s,
                        ),
                    };
                }),
                failing: ["s3.read:mistral-model-weights/config.json"],
                statement: "bucketPolicy:AllowBedrockExecutionRoleReadModels",
            },
        ];
        for (const c of cases) {
            it(c.name, async () => {
                const { code, stdout, stderr } = await inProcess(["--stack", "dev"], {
                    beforeLoad: c.patch,
                    root: FIXTURES_ROOT,
                });
                expect(code).to.equal(1);
                expect(stdout).to.include("✘");
                expect(stdout).to.include(c.statement);
                expect(stderr).to.include("access is not as it should be");
                // The short form keeps the failing checks and what to look at.
                const short = await inProcess(["--stack", "dev", "--summary"], {
                    beforeLoad: c.patch,
                    root: FIXTURES_ROOT,
                });
                expect(short.code).to.equal(1);
                expect(short.stdout)
                    .to.include("✘")
                    .and.include(c.statement)
                    .and.match(/\d+ of \d+ access checks are NOT as they should be\./);
                expect(short.stdout).not.to.include("Policy documents");
                const plan = await buildPlan("dev", { beforeLoad: c.patch, root: FIXTURES_ROOT });
                expect(plan.ok).to.equal(false);
                expect(plan.accessMatrix.filter((r) => !r.ok).map((r) => r.id)).to.include.members(c.failing);
                // --json's errors: one { key: null, message } per failing check.
                expect(plan.errors).to.have.length(plan.accessMatrix.filter((r) => !r.ok).length);
                expect(
                    plan.errors.every((e) => e.key === null && e.message.startsWith("access is not as it should be: ")),
                ).to.equal(true);
            });
        }

        it("after the broken runs, the unpatched program is green again (no patch leaks between runs)", async () => {
            expect((await inProcess(["--stack", "dev"], { root: FIXTURES_ROOT })).code).to.equal(0);
        });
    });
});
