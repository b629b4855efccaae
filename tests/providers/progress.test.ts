// What the ImportedModel provider prints while it waits, on a virtual clock against the in-memory Bedrock: a line when
// a wait starts, when what it waits on changes, at most every 5 minutes in between, and when it ends; never per poll.
import { expect } from "chai";
import {
    createImportedModelProvider,
    type ImportedModelInputs,
    type ImportedModelOutputs,
} from "../../components/dynamic/importedModel";
import { jobNameFor } from "../../components/dynamic/importedModel/naming";
import { consoleProgress, formatDuration, PROGRESS_ENV } from "../../components/dynamic/importedModel/progress";
import { FakeBedrock, fakeErrors } from "../fakes/bedrock";
import { bedrockSender } from "../fakes/bedrockSdk";
import { rejection } from "../helpers/rejection";

const ACCOUNT = "777788889999";
const REGION = "us-east-1";
const MIN = 60_000;
const START = Date.parse("2030-01-01T00:00:00Z");

function inputs(overrides: Partial<ImportedModelInputs> = {}): ImportedModelInputs {
    return {
        accountId: ACCOUNT,
        region: REGION,
        modelName: "mistral-01-abc123",
        roleArn: `arn:aws:iam::${ACCOUNT}:role/BedrockCMIExecutionRole-${ACCOUNT}`,
        s3Uri: "s3://model-artifacts-111122223333/mistral-model-weights/",
        pollIntervalSeconds: 5,
        timeoutMinutes: 360,
        configPath: "models[0]",
        ...overrides,
    };
}

describe("ImportedModel provider: progress lines while it waits (virtual clock)", () => {
    let t: number;
    let fake: FakeBedrock;
    /** Each line with the virtual time it was printed at. */
    let lines: { at: number; text: string }[];
    /** Called before each sleep returns: a test changes the world at a given time. */
    let onSleep: () => void;
    const provider = createImportedModelProvider({
        now: () => t,
        sleep: async (ms: number) => {
            t += ms;
            onSleep();
        },
        random: () => 1,
        clients: () => {
            const sender = bedrockSender(fake);
            return { bedrock: sender, sts: sender, runtime: sender };
        },
        progress: (text: string) => lines.push({ at: t, text }),
    });
    const texts = () => lines.map((l) => l.text);
    const matching = (re: RegExp) => lines.filter((l) => re.test(l.text));
    const expectLine = (re: RegExp) =>
        expect(matching(re), `no line matches ${re}:\n${texts().join("\n")}`).to.have.length(1);

    beforeEach(() => {
        t = START;
        fake = new FakeBedrock({ accountId: ACCOUNT, region: REGION, now: () => t });
        lines = [];
        onSleep = () => {};
    });

    it(
        "an import: a start line (job, ARN, model, how to follow it), then at most one line per 5 min, then the end " +
            "with the duration",
        async () => {
            fake.jobScript = { durationMs: 32 * MIN };
            const { outs } = await provider.create(inputs());
            const jobName = jobNameFor(inputs(), 1);
            const polls = fake.calls.GetModelImportJob;
            expect(polls, "the import was polled often").to.be.greaterThan(30);
            expect(lines.length, texts().join("\n")).to.be.below(12);

            const [intro, first] = texts();
            expect(intro).to.equal(
                `[mistral-01-abc123] import job ${jobName}: started (${outs.jobArn}), importing model ` +
                    `mistral-01-abc123 from ${inputs().s3Uri}. ` +
                    `Follow it with: aws bedrock get-model-import-job --job-identifier ${jobName} --region us-east-1`,
            );
            expect(first).to.equal(
                `[mistral-01-abc123] import job ${jobName}: InProgress, waited 5 s (gives up at 360 min, ` +
                    `models[0].timeoutMinutes)`,
            );

            const waiting = matching(/: InProgress, waited/);
            for (let i = 1; i < waiting.length; i++) {
                const gap = waiting[i].at - waiting[i - 1].at;
                // Every 5 min, give or take one poll (polls are at most 60 s apart).
                expect(gap, waiting[i].text)
                    .to.be.at.least(5 * MIN)
                    .and.below(6 * MIN);
            }
            expect(waiting.length).to.be.within(6, 8);
            expect(waiting.at(-1)!.text).to.match(
                /InProgress, waited (2[5-9]|3[0-2]) min \(gives up at 360 min, models\[0\]\.timeoutMinutes\)$/,
            );
            expect(texts().at(-1)).to.match(
                new RegExp(
                    `^\\[mistral-01-abc123\\] import job ${jobName}: Completed \\(the import ran 3[23] min\\), ` +
                        `waited 3[23] min$`,
                ),
            );
        },
    );

    it("a status change is printed when it happens, not at the next interval: a failure 2 min in", async () => {
        fake.jobScript = { durationMs: 2 * MIN, fail: "The model architecture is not supported." };
        const err = await rejection(provider.create(inputs()));
        expect(String(err)).to.contain("not supported");
        const failed = matching(/: Failed: The model architecture is not supported\.,/);
        expect(failed).to.have.length(1);
        expect(failed[0].at - START).to.be.within(2 * MIN, 3 * MIN);
        // Start, the first InProgress, the failure: nothing per poll in between.
        expect(lines, texts().join("\n")).to.have.length(3);
    });

    it("adopting a job an earlier run started says so, with its creation time", async () => {
        const jobName = jobNameFor(inputs(), 1);
        fake.seedJob({
            jobName,
            importedModelName: "mistral-01-abc123",
            status: "InProgress",
            creationTime: new Date(START - 40 * MIN),
        });
        fake.jobScript = { durationMs: 45 * MIN };
        await provider.create(inputs());
        expect(texts()[0]).to.contain(
            `import job ${jobName}: running since 2029-12-31T23:20:00.000Z (arn:aws:bedrock:`,
        );
        expect(texts()[0]).to.contain("started by an earlier run; waiting for it instead of starting another");
        expect(texts().at(-1)).to.match(/Completed \(the import ran 45 min\), waited 5 min$/);
    });

    it("at the deadline: one line that it gives up, naming the config key", async () => {
        fake.jobScript = { polls: 1_000_000 };
        await rejection(provider.create(inputs({ timeoutMinutes: 12 })));
        expect(texts().at(-1)).to.match(
            /: still InProgress at the deadline: giving up \(the job keeps running in Bedrock\), waited 12 min$/,
        );
        expect(matching(/gives up at 12 min, models\[0\]\.timeoutMinutes/).length).to.be.within(3, 4);
    });

    it("waiting for the one-import-per-account quota names the job that blocks, and the next one when it changes", async () => {
        fake.enforceConcurrency = false;
        fake.inject("CreateModelImportJob", ...Array.from({ length: 40 }, () => fakeErrors.quota()));
        fake.seedJob({ jobName: "another-stacks-import", importedModelName: "other", status: "InProgress" });
        let switched = false;
        onSleep = () => {
            if (!switched && t - START > 2 * MIN) {
                switched = true;
                fake.completeJob("another-stacks-import");
                fake.seedJob({ jobName: "a-third-import", importedModelName: "third", status: "InProgress" });
            }
        };
        fake.jobScript = { polls: 1 };
        await provider.create(inputs());
        expect(fake.calls.CreateModelImportJob).to.equal(41);
        const quota = matching(/not started: account/);
        // 40 refused creates over 13 min: the first, the change of blocking job (at 2 min), then every 5 min.
        expect(
            quota.map((l) => Math.floor((l.at - START) / MIN)),
            texts().join("\n"),
        ).to.deep.equal([0, 2, 7, 12]);
        expect(quota[0].text).to.equal(
            `[mistral-01-abc123] import job ${jobNameFor(inputs(), 1)}: not started: account ${ACCOUNT} is busy ` +
                `with import job another-stacks-import ` +
                `(Bedrock runs one import per account at a time), waited 0 s (gives up at 360 min, ` +
                `models[0].timeoutMinutes)`,
        );
        expect(quota[1].text).to.contain("busy with import job a-third-import");
        expectLine(/: the account is free, import started, waited [0-9]+ (s|min)$/);
    });

    it("waiting for a new execution role to become usable: a line when it starts and one when Bedrock accepts it", async () => {
        fake.roleUsableAt = START + 40_000;
        fake.jobScript = { polls: 1 };
        await provider.create(inputs());
        const role = matching(/cannot use the execution role/);
        expect(role, texts().join("\n")).to.have.length(1);
        expect(role[0].text).to.contain(`(gives up at 5 min, 60 × pollIntervalSeconds)`);
        expectLine(/: Bedrock accepts the execution role, import started, waited 4[0-9] s$/);
    });

    it("destroy's wait for a running import reports it and its end", async () => {
        const jobName = jobNameFor(inputs(), 1);
        const job = fake.seedJob({
            jobName,
            importedModelName: "mistral-01-abc123",
            status: "InProgress",
            creationTime: new Date(START - 3 * MIN),
        });
        fake.jobScript = { durationMs: 14 * MIN };
        const pending: ImportedModelOutputs = {
            ...inputs(),
            jobName,
            jobArn: job.jobArn,
            attempt: 1,
            jobStatus: "InProgress",
        };
        await provider.delete(pending.modelName, pending);
        expect(fake.models.size).to.equal(0);
        expect(texts()[0]).to.equal(
            `[mistral-01-abc123] import job ${jobName}: running since 2029-12-31T23:57:00.000Z (${job.jobArn}); ` +
                `destroy waits for it to finish, then ` +
                `deletes the model it made. Follow it with: aws bedrock get-model-import-job --job-identifier ` +
                `${jobName} --region us-east-1`,
        );
        expect(matching(/: InProgress, waited/).length).to.be.within(2, 4);
        expect(texts().at(-1)).to.match(/: Completed \(the import ran 14 min\), waited 1[01] min$/);
    });

    it("the smoke test's wait for a cold model: a line when it starts, at most one per 5 min, and the answer", async () => {
        fake.jobScript = { polls: 1 };
        fake.notReadyMs = 11 * MIN;
        const { outs } = await provider.create(inputs({ smokeTest: { timeoutMinutes: 20 } }));
        expect(outs.smokeTestPassedAt).to.be.a("string");
        const smoke = matching(/smoke test of/);
        expect(smoke[0].text).to.match(
            /: no answer yet: .*ModelNotReadyException.*, waited [0-9] s \(gives up at 20 min, models\[0\]\.smokeTest\.timeoutMinutes\)$/,
        );
        expect(outs.smokeTestNotReadyRetries, "polled more often than it printed").to.be.greaterThan(smoke.length * 3);
        expect(smoke.length, smoke.map((l) => l.text).join("\n")).to.be.within(3, 5);
        expect(smoke.at(-1)!.text).to.match(
            /: the model answered \(after [0-9]+ ModelNotReadyException answers\), waited 1[12] min$/,
        );
    });

    it("a model that answers at once prints nothing for the smoke test", async () => {
        fake.jobScript = { polls: 1 };
        await provider.create(inputs({ smokeTest: {} }));
        expect(matching(/smoke test/)).to.deep.equal([]);
    });

    it("the default sink writes to stdout unless BEDROCK_CMI_PROGRESS=off", () => {
        const printed: unknown[] = [];
        const original = console.log;
        const saved = process.env[PROGRESS_ENV];
        console.log = (...args: unknown[]) => printed.push(...args);
        try {
            delete process.env[PROGRESS_ENV];
            consoleProgress("one");
            process.env[PROGRESS_ENV] = "off";
            consoleProgress("two");
        } finally {
            console.log = original;
            if (saved === undefined) delete process.env[PROGRESS_ENV];
            else process.env[PROGRESS_ENV] = saved;
        }
        expect(printed).to.deep.equal(["one"]);
    });

    it("formats durations as seconds below two minutes, whole minutes above", () => {
        expect([0, 4_600, 119_000, 120_000, 359 * 1000, 360 * MIN].map(formatDuration)).to.deep.equal([
            "0 s",
            "5 s",
            "119 s",
            "2 min",
            "5 min",
            "360 min",
        ]);
    });
});
