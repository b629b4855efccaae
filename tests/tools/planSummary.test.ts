// A plan a reviewer can read: the summary first (per account what up creates, per model what up does and how long
// it may wait, what outlives the stack and the edit that stops managing it), then the deployer's identity policy, then
// the documents; --summary leaves the documents out. In-process, on the fixture stacks.

import { expect } from "chai";
import * as fs from "fs";
import { planMain } from "../../scripts/plan/cli";
import type { Plan } from "../../scripts/plan/plan";
import { RETAINED_SECTION } from "../../scripts/plan/summary";
import { EXAMPLES_ROOT, FIXTURES_ROOT } from "../helpers/programHarness";
import { derivedStack, tempStackRoot } from "../helpers/stackFiles";

async function plan(root: string, ...argv: string[]): Promise<{ code: number; stdout: string }> {
    let stdout = "";
    const code = await planMain(argv, { stdout: (t) => (stdout += t), stderr: () => undefined }, { root });
    return { code, stdout };
}

/** The lines of the summary section (up to the blank line that ends it). */
function summaryOf(text: string): string {
    const start = text.indexOf("Summary: what pulumi up does");
    expect(start, text.slice(0, 500)).to.be.greaterThan(0);
    return text.slice(start, text.indexOf("\n\n", start));
}

describe("npm run plan: the summary first, the deployer's policy next, the documents last", function () {
    this.timeout(60000);

    it(
        "the shipped dev stack: the research team's bucket and key used, not created; one model, no smoke test, the " +
            "default wait",
        async () => {
            const { code, stdout } = await plan(EXAMPLES_ROOT, "--stack", "dev");
            expect(code).to.equal(0);
            const order = [
                "Summary: what pulumi up does",
                "── Identity policy the hosting deployer needs",
                "Policy documents",
                "── Bucket policy",
                "Access matrix",
            ].map((s) => stdout.indexOf(s));
            expect(order.every((at) => at > 0)).to.equal(true);
            expect(order).to.deep.equal([...order].sort((a, b) => a - b));
            const summary = summaryOf(stdout);
            expect(summary).to.include(
                "- uses the existing artifact bucket model-artifacts-111122223333 (artifactBucket.create: false)",
            );
            expect(summary).to.include(
                "- adds a grant on the research team's key " +
                    "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            );
            expect(summary).to.include("- adds 3 statements to the bucket policy of model-artifacts-111122223333");
            expect(summary).to.include(
                "- creates the execution role BedrockCMIExecutionRole-dev and its policy " +
                    "BedrockCMIExecutionPolicy-dev (attached)",
            );
            expect(summary).to.include(
                "- creates 1 SSM pointer to the live model ARN: /bedrock-cmi/dev/mistral-dev-01/model-arn",
            );
            expect(summary).not.to.include("creates the artifact bucket").and.not.to.include("hosting key");
            expect(summary).to.include("models[0] mistral-dev-01:");
            expect(summary).to.match(
                /1\. import job from s3:\/\/model-artifacts-111122223333\/mistral-model-weights\/ into the imported model mistral-dev-01-[0-9a-f]{6}\n/,
            );
            expect(summary).to.include("2. no smoke test (models[0].smokeTest not set)");
            expect(summary).to.include("3. the pointer /bedrock-cmi/dev/mistral-dev-01/model-arn names the new model");
            // The figures are the README's (an import takes minutes to hours) and the provider's own default bound.
            expect(summary).to.include(
                "wait: an import takes minutes to hours; up waits up to 360 min (models[0].timeoutMinutes, default)",
            );
            expect(summary).to.include(
                "Result: exit 0. All 39 access checks as they should be, all 3 documents within AWS's limits; 0 " +
                    "warnings.",
            );
        },
    );

    it("a stack that creates its bucket and both keys, with a smoke test and its own wait: each is named", async () => {
        const root = tempStackRoot({
            owned: derivedStack({
                yaml: (s) => {
                    s.section("modelHosting").kms = { enabled: true };
                    s.section("modelDevelopment").kms = { enabled: true };
                    Object.assign(s.models[0], { timeoutMinutes: 90, smokeTest: { timeoutMinutes: 10 } });
                },
            }),
        });
        try {
            const { code, stdout } = await plan(root, "--stack", "owned");
            expect(code).to.equal(0);
            const summary = summaryOf(stdout);
            expect(summary).to.include(
                "- creates the artifact bucket model-artifacts-111122223333 with 4 settings (public access " +
                    "block, ownership, default encryption, versioning); kept by destroy",
            );
            expect(summary).to.include(
                "- creates the development key alias/bedrock-cmi-owned-artifacts that encrypts the bucket; kept " +
                    "by destroy",
            );
            expect(summary).to.include(
                "- creates the hosting key alias/bedrock-cmi-owned-imported-models that encrypts the imported models",
            );
            expect(summary).to.include("(encrypted with the hosting key)");
            expect(summary).to.include(
                "2. smoke test: one InvokeModel before the pointer moves, retried for a cold model up to " +
                    "models[0].smokeTest.timeoutMinutes (10 min)",
            );
            expect(summary).to.include(
                "up waits up to 90 min (models[0].timeoutMinutes), then stops waiting and the next up resumes",
            );
        } finally {
            fs.rmSync(root, { recursive: true, force: true });
        }
    });

    it(
        "--summary leaves the documents out and keeps the summary, the deployer's policy, the sizes, the verdict and " +
            "the warnings",
        async () => {
            for (const [root, stack] of [
                [EXAMPLES_ROOT, "dev"],
                [EXAMPLES_ROOT, "prod"],
                [FIXTURES_ROOT, "prod"],
            ]) {
                const full = await plan(root, "--stack", stack);
                const short = await plan(root, "--stack", stack, "--summary");
                expect(short.code).to.equal(full.code);
                expect(short.stdout)
                    .to.include("Summary: what pulumi up does")
                    .and.include("── Identity policy the hosting deployer needs");
                expect(short.stdout)
                    .to.include("Document sizes")
                    .and.match(/All \d+ access checks are as they should be\.\n$/);
                for (const gone of [
                    "Policy documents",
                    "── Bucket policy",
                    "── Execution role trust policy",
                    "Identity policy an app",
                    "✔ [must be",
                ]) {
                    expect(short.stdout, `${stack}: ${gone}`).not.to.include(gone);
                }
                expect(short.stdout.split("\n").length, stack).to.be.lessThan(full.stdout.split("\n").length / 2);
            }
        },
    );

    describe("what outlives the stack: the edit that stops managing it, and the README section on the hand-over", () => {
        it(
            "a stack that creates the bucket and the development key: destroy, artifactBucket.create: false or " +
                "kms.enabled: false stop managing them",
            async () => {
                const { stdout } = await plan(FIXTURES_ROOT, "--stack", "prod", "--json");
                const retained = (JSON.parse(stdout) as Plan).summary.retained;
                expect(retained.map((n) => n.key)).to.deep.equal([
                    "modelDevelopment.artifactBucket.create",
                    "modelDevelopment.kms.enabled",
                ]);
                expect(retained[0].message).to.match(
                    /^true: the bucket model-artifacts-prod-111122223333 and its settings outlive the stack; destroy, or the edit artifactBucket\.create: false, stops managing them/,
                );
                expect(retained[1].message).to.include(
                    "destroy, or the edit kms.enabled: false (with kms.keyArn set to it), stops managing it",
                );
                expect(retained.every((n) => n.message.endsWith(RETAINED_SECTION))).to.equal(true);
                const text = await plan(FIXTURES_ROOT, "--stack", "prod", "--summary");
                expect(summaryOf(text.stdout)).to.include(
                    `NOTE: [modelDevelopment.artifactBucket.create] true: the bucket model-artifacts-prod-111122223333`,
                );
            },
        );

        it(
            "a stack whose config does not manage them (create: false, kms.keyArn): if an earlier up created them, " +
                "this up stops managing them",
            async () => {
                const { stdout } = await plan(EXAMPLES_ROOT, "--stack", "dev");
                const summary = summaryOf(stdout);
                expect(summary).to.include(
                    "NOTE: [modelDevelopment.artifactBucket.create] false: if an earlier up of this stack created " +
                        "model-artifacts-111122223333, this up stops managing it",
                );
                expect(summary).to.include(
                    "NOTE: [modelDevelopment.kms.keyArn] set (kms.enabled false): if an earlier up of this stack " +
                        "created a development key",
                );
                expect(summary).to.include(`how to hand it over: ${RETAINED_SECTION}`);
            },
        );
    });
});
