// The engine suite (npm run test:engine): the real Pulumi CLI runs preview, up, refresh and destroy on a program that
// registers both dynamic resources; S3 and STS are moto's, Bedrock and bedrock-runtime the project's stubs.
// Each scenario asserts on the CLI's exit code and output, on the checkpoint, and on the stubs' state and call order.
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { runtimeErrors } from "../fakes/runtimeStub";
import {
    BUCKET,
    DEV_ACCOUNT,
    EngineStack,
    findPulumi,
    IMPORTED_MODEL_TYPE,
    Moto,
    resourcesOfType,
    STATEMENTS_TYPE,
    type CliResult,
    ok,
} from "./harness";

const WRITES = ["CreateModelImportJob", "DeleteImportedModel", "TagResource", "UntagResource"];

function failed(result: CliResult, what: string): CliResult {
    expect(result.code, `${what} should fail:\n${result.output}`).to.not.equal(0);
    return result;
}

/** The research team's statement, which no stack may touch. */
const RESEARCH_STATEMENT = {
    Sid: "ResearchTeamReadOnly",
    Effect: "Allow",
    Principal: { AWS: `arn:aws:iam::${DEV_ACCOUNT}:root` },
    Action: "s3:GetObject",
    Resource: `arn:aws:s3:::${BUCKET}/research/*`,
};

describe("the real Pulumi engine: both dynamic providers through preview, up, refresh and destroy", function () {
    this.timeout(300_000);
    const moto = new Moto();
    let pulumiBin: string;
    let stack: EngineStack;

    before(async () => {
        pulumiBin = findPulumi();
        await moto.start();
    });
    after(() => moto.stop());

    beforeEach(async () => {
        stack = new EngineStack(moto, pulumiBin);
        await stack.start();
    });
    afterEach(async function () {
        if (this.currentTest?.state === "failed") {
            // Keep what the engine did visible in the mocha report.
            console.error(`stub log: ${stack.bedrock.log.map((e) => e.op).join(", ")}`);
        }
        await stack.stop();
    });

    it(
        "preview of a new stack shows the creates, with an input unknown until another resource exists, and writes " +
            "nothing",
        async () => {
            await stack.putBucketPolicy({ Version: "2012-10-17", Statement: [RESEARCH_STATEMENT] });
            const before = await stack.bucketPolicy();
            const out = ok(await stack.preview(), "preview");
            expect(out.stdout).to.match(/\+\s+pulumi-nodejs:dynamic\/bedrock:BucketPolicyStatements/);
            expect(out.stdout).to.match(/\+\s+pulumi-nodejs:dynamic\/bedrock:ImportedModel/);
            expect(out.stdout).to.match(/4 to create/);
            expect(stack.bedrock.log.filter((e) => WRITES.includes(e.op))).to.deep.equal([]);
            expect(await stack.bucketPolicy()).to.equal(before);
        },
    );

    it(
        "up creates both; a second up and a refresh --expect-no-changes pass; a tag change updates in place without " +
            "a new job",
        async () => {
            ok(await stack.up(), "up");
            expect(stack.bedrock.jobsCreated).to.equal(1);
            expect(stack.bedrock.models.size).to.equal(1);
            const policy = JSON.parse((await stack.bucketPolicy())!) as { Statement: { Sid: string }[] };
            expect(policy.Statement.map((s) => s.Sid).every((sid) => sid.startsWith("BedrockCmi"))).to.equal(true);

            ok(await stack.up("--expect-no-changes"), "second up");
            // What both providers read back matches what they stored: refresh has nothing to change.
            ok(await stack.refresh("--expect-no-changes"), "refresh after up");
            ok(await stack.up("--expect-no-changes"), "up after the refresh");
            expect(stack.bedrock.jobsCreated).to.equal(1);

            stack.models[0].tags = { team: "serving" };
            const out = ok(await stack.up(), "tag change");
            expect(out.stdout).to.match(/~\s+pulumi-nodejs:dynamic\/bedrock:ImportedModel/);
            expect(out.stdout).to.not.match(/\+-\s+pulumi-nodejs:dynamic\/bedrock:ImportedModel/);
            expect(stack.bedrock.jobsCreated).to.equal(1);
            expect([...stack.bedrock.models.values()][0].tags.team).to.equal("serving");
            ok(await stack.up("--expect-no-changes"), "up after the tag change");
        },
    );

    it("a prefix change creates the new model before the old one is deleted", async () => {
        ok(await stack.up(), "up");
        const [old] = [...stack.bedrock.models.values()];
        stack.bedrock.resetCounters();
        stack.models[0].s3Prefix = "mistral-model-weights-v2/";
        const out = ok(await stack.up(), "up with a new prefix");
        expect(out.stdout).to.match(/\+-\s+pulumi-nodejs:dynamic\/bedrock:ImportedModel/);
        const ops = stack.bedrock.log.map((e) => e.op);
        expect(ops.indexOf("CreateModelImportJob")).to.be.greaterThan(-1);
        expect(ops.indexOf("CreateModelImportJob")).to.be.lessThan(ops.indexOf("DeleteImportedModel"));
        expect([...stack.bedrock.models.keys()])
            .to.have.length(1)
            .and.not.include(old.modelName);
        expect([...stack.bedrock.models.values()][0].s3Uri).to.equal(`s3://${BUCKET}/mistral-model-weights-v2/`);
    });

    it(
        "an edit to the providers' code (a comment, formatting) changes nothing: preview and up --expect-no-changes " +
            "pass, without a Bedrock call",
        async () => {
            ok(await stack.up(), "up");
            const providers = path.join(stack.root, "components", "dynamic");
            for (const entry of [
                "importedModel/provider.ts",
                "importedModel/sweeper.ts",
                "bucketPolicyStatements/provider.ts",
            ]) {
                const file = path.join(providers, entry);
                expect(fs.existsSync(file), `${file} is a provider's entry`).to.equal(true);
                // A comment and blank lines: what a review nit or a reformat does.
                fs.writeFileSync(file, `// a comment on the provider\n\n${fs.readFileSync(file, "utf8")}\n\n`);
            }
            stack.bedrock.resetCounters();
            ok(await stack.preview("--expect-no-changes"), "preview after the edit");
            ok(await stack.up("--expect-no-changes"), "up after the edit");
            expect(stack.bedrock.bedrockCalls(), "no Bedrock reads or writes for a diff without changes").to.equal(0);
            // The edited code is what runs: refresh loads it from the checkout.
            ok(await stack.refresh("--expect-no-changes"), "refresh after the edit");
        },
    );

    it("a failed job fails up with Bedrock's failureMessage; after the fix the next up imports", async () => {
        const failure =
            "Amazon Bedrock doesn't have access to the S3 location " +
            "(s3://model-artifacts-111122223333/mistral-model-weights/).";
        stack.bedrock.jobScript = { polls: 1, fail: failure };
        const out = failed(await stack.up(), "up with a failing job");
        expect(out.output).to.contain(failure);
        expect(stack.bedrock.models.size).to.equal(0);

        stack.bedrock.jobScript = { polls: 1 };
        ok(await stack.up(), "up after the fix");
        expect(stack.bedrock.jobsCreated).to.equal(2);
        expect(stack.bedrock.models.size).to.equal(1);
        ok(await stack.up("--expect-no-changes"), "up after the import");
    });

    it(
        "an import that outlives timeoutMinutes: up fails, state keeps it, refresh works, destroy waits and deletes " +
            "the model",
        async () => {
            stack.timeoutMinutes = 0.05;
            stack.bedrock.jobScript = { polls: 1_000_000 };
            const out = failed(await stack.up(), "up past the timeout");
            expect(out.output).to.contain("still InProgress");
            const state = await stack.exportState();
            const [model] = resourcesOfType(state, IMPORTED_MODEL_TYPE);
            expect(model.outputs?.jobName, "the job is recorded in state").to.be.a("string");
            expect(model.outputs?.__provider, "the loader travels with the failure").to.be.a("string");

            ok(await stack.refresh(), "refresh after the timeout");
            // The job finishes while destroy waits for it; destroy then deletes the model it produced.
            stack.bedrock.jobScript = { polls: 3 };
            ok(await stack.destroy(), "destroy");
            expect(stack.bedrock.models.size).to.equal(0);
            expect(stack.bedrock.calls.DeleteImportedModel).to.equal(1);
            expect(resourcesOfType(await stack.exportState(), IMPORTED_MODEL_TYPE)).to.deep.equal([]);
        },
    );

    it("a smoke test that fails for good leaves nothing billable that destroy cannot remove", async () => {
        stack.models[0].smokeTest = { maxTokens: 8 };
        for (let i = 0; i < 20; i++) stack.runtime.queued.push(runtimeErrors.malformed());
        const out = failed(await stack.up(), "up with a failing smoke test");
        expect(out.output).to.match(/smoke test/i);
        expect(stack.bedrock.models.size, "the model exists and is billed").to.equal(1);
        ok(await stack.refresh(), "refresh after the smoke-test failure");
        ok(await stack.destroy(), "destroy");
        expect(stack.bedrock.models.size).to.equal(0);
    });

    it("up killed (SIGINT, then SIGKILL) while it waits: after the README's recovery the next up adopts the same job", async () => {
        stack.timeoutMinutes = 10;
        stack.bedrock.jobScript = { polls: 1_000_000 };
        await stack.killUpWhileWaiting();
        // The provider host runs in its own process group, so the SIGKILL misses it: it must notice the engine is gone.
        expect(await stack.processesLeftAfter(30_000), "processes of the killed up still running").to.deep.equal([]);
        const state = await stack.exportState();
        const pending = (state.deployment.pending_operations ?? []).filter(
            (op) => op.resource.type === IMPORTED_MODEL_TYPE,
        );
        expect(pending.map((op) => op.type)).to.deep.equal(["creating"]);

        // The README's recovery: release the lock the killed run left, then drop the pending create.
        ok(await stack.cli(["cancel", "--yes"]), "pulumi cancel");
        ok(await stack.refresh("--clear-pending-creates"), "refresh --clear-pending-creates");
        stack.bedrock.jobScript = { polls: 1 };
        ok(await stack.up(), "up after the recovery");
        expect(stack.bedrock.jobsCreated, "the running job was adopted, not started again").to.equal(1);
        expect(stack.bedrock.jobs.size).to.equal(1);
        expect(stack.bedrock.models.size).to.equal(1);
        ok(await stack.up("--expect-no-changes"), "up after the adoption");
    });

    it("the model deleted outside Pulumi: refresh drops it and up imports it again", async () => {
        ok(await stack.up(), "up");
        stack.bedrock.models.clear();
        ok(await stack.refresh(), "refresh");
        expect(resourcesOfType(await stack.exportState(), IMPORTED_MODEL_TYPE)).to.deep.equal([]);
        ok(await stack.up(), "up after the out-of-band delete");
        expect(stack.bedrock.models.size).to.equal(1);
        expect(stack.bedrock.jobsCreated).to.equal(2);
    });

    it(
        "destroy with the research team's statements in the bucket policy: theirs stay byte-identical, ours go, the " +
            "model is deleted",
        async () => {
            await stack.putBucketPolicy({ Version: "2012-10-17", Statement: [RESEARCH_STATEMENT] });
            ok(await stack.up(), "up");
            const during = JSON.parse((await stack.bucketPolicy())!) as { Statement: { Sid: string }[] };
            expect(during.Statement.length).to.be.greaterThan(1);
            const research = JSON.stringify(during.Statement.find((s) => s.Sid === RESEARCH_STATEMENT.Sid));
            ok(await stack.destroy({ fromElsewhere: true }), "destroy with --cwd from another folder");
            const after = JSON.parse((await stack.bucketPolicy())!) as { Statement: { Sid: string }[] };
            expect(after.Statement.map((s) => s.Sid)).to.deep.equal([RESEARCH_STATEMENT.Sid]);
            expect(JSON.stringify(after.Statement[0])).to.equal(research);
            expect(stack.bedrock.models.size).to.equal(0);
            expect(resourcesOfType(await stack.exportState(), STATEMENTS_TYPE)).to.deep.equal([]);
        },
    );

    it("bad inputs: preview fails naming the config key, and nothing is written", async () => {
        stack.models[0].s3Prefix = "../weights";
        stack.models.push({ name: "bad name!", s3Prefix: "x/" });
        const out = failed(await stack.preview(), "preview with bad config");
        expect(out.output).to.contain("[models[0].s3Prefix]");
        expect(out.output).to.contain("[models[1].name]");
        // A RunError: the message alone, with no Node stack trace and no util.inspect dump repeating the problems.
        expect(out.output).to.not.match(/^\s+at .+\(.*:\d+:\d+\)$/m);
        expect(out.output).to.not.contain("ConfigError:");
        expect(out.output).to.not.contain("problems: [");
        expect(stack.bedrock.log.filter((e) => WRITES.includes(e.op))).to.deep.equal([]);
        expect(await stack.bucketPolicy()).to.equal(undefined);
    });
});
