// What a user sees while `up` and `destroy` wait, on the real engine with --non-interactive (as in CI): the provider's
// progress lines reach the CLI's output live, while the ImportedModel is still being created (or deleted).
import { expect } from "chai";
import { EngineStack, findPulumi, Moto, ok } from "./harness";

/** The position of the first line of `text` matching `re`; fails when none does. */
function lineIndex(text: string, re: RegExp): number {
    const index = text.split("\n").findIndex((line) => re.test(line));
    expect(index, `no line matches ${re} in:\n${text}`).to.be.at.least(0);
    return index;
}

describe("the real Pulumi engine: long waits say what is happening (--non-interactive)", function () {
    this.timeout(300_000);
    const moto = new Moto();
    let stack: EngineStack;

    before(async () => moto.start());
    after(() => moto.stop());
    beforeEach(async () => {
        stack = new EngineStack(moto, findPulumi());
        await stack.start();
    });
    afterEach(async () => stack.stop());

    it(
        "up: the import's start (job, ARN, how to follow it), its status while it runs, its end, and the smoke " +
            "test's wait, before the model is created",
        async () => {
            // Four seconds of import on the stub's wall clock; the engine program polls every 50 ms, so a "still waiting"
            // line comes every 60 polls (3 s), as every 5 min in production.
            stack.bedrock.jobScript = { durationMs: 4_000 };
            stack.bedrock.notReadyMs = 2_500;
            stack.models[0].smokeTest = { maxTokens: 8 };
            const up = ok(await stack.up(), "up");
            const out = up.stdout;
            const [job] = [...stack.bedrock.jobs.values()];
            const model = `\\[${job.importedModelName}\\] import job ${job.jobName}`;

            const started = lineIndex(
                out,
                new RegExp(
                    `${model}: started \\(${job.jobArn}\\), importing model ${job.importedModelName} from s3://`,
                ),
            );
            expect(out).to.contain(
                `Follow it with: aws bedrock get-model-import-job --job-identifier ${job.jobName} --region us-east-1`,
            );
            const waiting = lineIndex(
                out,
                new RegExp(
                    `${model}: InProgress, waited [0-9]+ s \\(gives up at 60 s, models\\[0\\]\\.timeoutMinutes\\)`,
                ),
            );
            const completed = lineIndex(
                out,
                new RegExp(`${model}: Completed \\(the import ran [4-9] s\\), waited [0-9]+ s`),
            );
            const smoke = lineIndex(out, /smoke test of arn:aws:bedrock:.*: no answer yet: .*ModelNotReadyException/);
            const answered = lineIndex(out, /smoke test of arn:aws:bedrock:.*: the model answered/);
            // Live, in order, and all of it before the engine reports the model created.
            const created = lineIndex(out, /ImportedModel .* created/);
            expect([started, waiting, completed, smoke, answered, created]).to.deep.equal(
                [...[started, waiting, completed, smoke, answered, created]].sort((a, b) => a - b),
            );
            // Polled many times, printed a few lines.
            const printed = out
                .split("\n")
                .filter((line) => line.includes(`import job ${job.jobName}: InProgress`)).length;
            expect(stack.bedrock.calls.GetModelImportJob, "polls").to.be.greaterThan(printed * 5);
        },
    );

    it("destroy waiting for an import that is still running says so, and when it ends", async () => {
        stack.timeoutMinutes = 0.05;
        stack.bedrock.jobScript = { polls: 1_000_000 };
        const up = await stack.up();
        expect(up.code, up.output).to.not.equal(0);
        expect(up.stdout).to.match(
            /import job .*: still InProgress at the deadline: giving up \(the job keeps running in Bedrock\)/,
        );

        const [job] = [...stack.bedrock.jobs.values()];
        // The job ends 10 polls into destroy's wait (within its 3 s), however long the CLI takes to start.
        stack.bedrock.jobScript = { polls: job.polls + 10 };
        const destroy = ok(await stack.destroy(), "destroy");
        const out = destroy.stdout;
        const waits = lineIndex(
            out,
            new RegExp(
                `import job ${job.jobName}: running since .* \\(${job.jobArn}\\); destroy waits for it to ` +
                    `finish, then deletes the model it made`,
            ),
        );
        const completed = lineIndex(
            out,
            new RegExp(`import job ${job.jobName}: Completed \\(the import ran [0-9]+ s\\)`),
        );
        const deleted = lineIndex(out, /ImportedModel .* deleted/);
        expect(waits).to.be.below(completed);
        expect(completed).to.be.below(deleted);
        expect(stack.bedrock.models.size).to.equal(0);
    });
});
