// `npm run bench`: how fast the REAL ImportedModel provider notices a finished import, how many GetModelImportJob calls
// that costs, and how quickly it starts a job once a fresh IAM role works, next to fixed-interval polling and a fixed
// 120 s sleep. Everything runs on a virtual clock with a the project's in-memory Bedrock (tests/fakes/bedrock.ts)
// injected through createImportedModelProvider({ now, sleep, clients }).
import * as fs from "node:fs";
import * as path from "node:path";
import {
    createImportedModelProvider,
    DEFAULT_POLL_INTERVAL_SECONDS,
    ImportedModelInputs,
} from "../components/dynamic/importedModel";
import { FakeBedrock } from "../tests/fakes/bedrock";
import { bedrockSender } from "../tests/fakes/bedrockSdk";
import { callsVerdict, lagVerdict, verdict } from "./targets";

const ACCOUNT = "777788889999";
const MINUTE = 60_000;

/** What one simulated import shows: when the job was started and seen complete, and what it cost in calls. */
interface ImportRun {
    firstCreateAttemptAt: number;
    jobCreatedAt: number;
    completionSeenAt: number;
    /** GetModelImportJob calls after the job started. */
    pollsAfterCreate: number;
    createCalls: number;
}

function observe(fake: FakeBedrock): ImportRun {
    const creates = fake.log.filter((e) => e.op === "CreateModelImportJob");
    const started = fake.log.findIndex((e) => e.op === "CreateModelImportJob" && e.outcome === "ok");
    const jobCreatedAt = fake.log[started].at;
    const [job] = [...fake.jobs.values()];
    return {
        firstCreateAttemptAt: creates[0].at,
        jobCreatedAt,
        // The model completes the job at the poll that first sees it done.
        completionSeenAt: job.endTime!.getTime(),
        pollsAfterCreate: fake.log.slice(started).filter((e) => e.op === "GetModelImportJob").length,
        createCalls: creates.length,
    };
}

const inputs: ImportedModelInputs = {
    accountId: ACCOUNT,
    region: "us-east-1",
    modelName: "bench-model",
    roleArn: `arn:aws:iam::${ACCOUNT}:role/BedrockCMIExecutionRole`,
    s3Uri: "s3://model-artifacts-111122223333/weights/",
    timeoutMinutes: 600,
};

/**
 * The provider's real create (start + wait) against the in-memory Bedrock: the job takes `durationMs`; a fresh role is
 * refused for `roleDelayMs`.
 */
async function runCreate(durationMs: number, roleDelayMs = 0): Promise<ImportRun> {
    let t = Date.parse("2030-01-01T00:00:00Z");
    const fake = new FakeBedrock({ accountId: ACCOUNT, now: () => t });
    fake.jobScript = { durationMs };
    fake.roleUsableAt = t + roleDelayMs;
    const client = bedrockSender(fake);
    const provider = createImportedModelProvider({
        now: () => t,
        sleep: async (ms) => {
            t += ms;
        },
        random: () => 1,
        clients: () => ({ bedrock: client, sts: client, quotas: client }),
    });
    await provider.create(inputs);
    return observe(fake);
}

/** Completion times spread over ±5 % of the nominal duration, so no strategy profits from alignment. */
function spread(durationMs: number, samples = 21): number[] {
    return Array.from({ length: samples }, (_, i) => durationMs * (0.95 + (0.1 * i) / (samples - 1)));
}

function fixedPolling(durationMs: number, intervalMs: number): { lagMs: number; calls: number } {
    const calls = Math.ceil(durationMs / intervalMs);
    return { lagMs: calls * intervalMs - durationMs, calls };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const fmt = (ms: number) => (ms >= 600_000 ? `${(ms / 60_000).toFixed(1)} min` : `${(ms / 1000).toFixed(1)} s`);

async function main(): Promise<void> {
    const durations = [
        { label: "1 min", ms: 1 * MINUTE },
        { label: "10 min", ms: 10 * MINUTE },
        { label: "1 h", ms: 60 * MINUTE },
        { label: "3 h", ms: 180 * MINUTE },
    ];
    const waitRows = [];
    for (const d of durations) {
        const ours = [];
        for (const actual of spread(d.ms)) {
            const sim = await runCreate(actual);
            ours.push({ lagMs: sim.completionSeenAt! - (sim.jobCreatedAt! + actual), calls: sim.pollsAfterCreate });
        }
        const f30 = spread(d.ms).map((ms) => fixedPolling(ms, 30_000));
        const f60 = spread(d.ms).map((ms) => fixedPolling(ms, 60_000));
        const maxLag = Math.max(...ours.map((o) => o.lagMs));
        const meanCalls = mean(ours.map((o) => o.calls));
        const calls30 = mean(f30.map((o) => o.calls));
        waitRows.push({
            duration: d.label,
            durationMs: d.ms,
            provider: {
                meanLagMs: mean(ours.map((o) => o.lagMs)),
                maxLagMs: maxLag,
                meanCalls,
                maxCalls: Math.max(...ours.map((o) => o.calls)),
            },
            fixed30s: {
                meanLagMs: mean(f30.map((o) => o.lagMs)),
                maxLagMs: Math.max(...f30.map((o) => o.lagMs)),
                meanCalls: calls30,
            },
            fixed60s: {
                meanLagMs: mean(f60.map((o) => o.lagMs)),
                maxLagMs: Math.max(...f60.map((o) => o.lagMs)),
                meanCalls: mean(f60.map((o) => o.calls)),
            },
            targets: {
                lagWithin10PercentAnd60s: lagVerdict(d.ms, maxLag),
                fewerCallsThan30sPolling: callsVerdict(d.ms, meanCalls, calls30),
            },
        });
    }

    const iamRows = [];
    for (const delayS of [5, 15, 60]) {
        const sim = await runCreate(5 * MINUTE, delayS * 1000);
        const startedAfterS = (sim.jobCreatedAt! - sim.firstCreateAttemptAt!) / 1000;
        iamRows.push({
            roleUsableAfterS: delayS,
            provider: { startedAfterS, lagAfterUsableS: startedAfterS - delayS, createCalls: sim.createCalls },
            fixedSleep120s: {
                startedAfterS: delayS <= 120 ? 120 : null,
                lagAfterUsableS: delayS <= 120 ? 120 - delayS : null,
            },
            targets: { startedWithin10sOfUsable: verdict(startedAfterS - delayS <= 10) },
        });
    }

    console.log(
        `ImportedModel wait benchmark (real provider code, virtual clock; pollIntervalSeconds default ` +
            `${DEFAULT_POLL_INTERVAL_SECONDS} s)`,
    );
    console.log(
        "Job completion: lag = completion -> detection; calls = GetModelImportJob after the job started; 21 " +
            "completion times within ±5 % of each duration",
    );
    const header = [
        "job",
        "provider lag mean/max",
        "calls",
        "30 s lag mean/max",
        "calls",
        "60 s lag mean/max",
        "calls",
        "lag target",
        "calls < 30 s",
    ];
    const rows = waitRows.map((r) => [
        r.duration,
        `${fmt(r.provider.meanLagMs)} / ${fmt(r.provider.maxLagMs)}`,
        r.provider.meanCalls.toFixed(1),
        `${fmt(r.fixed30s.meanLagMs)} / ${fmt(r.fixed30s.maxLagMs)}`,
        r.fixed30s.meanCalls.toFixed(1),
        `${fmt(r.fixed60s.meanLagMs)} / ${fmt(r.fixed60s.maxLagMs)}`,
        r.fixed60s.meanCalls.toFixed(1),
        r.targets.lagWithin10PercentAnd60s,
        r.targets.fewerCallsThan30sPolling,
    ]);
    printTable(header, rows);
    console.log("\nFresh IAM role: time from the first CreateModelImportJob attempt to a started job");
    printTable(
        [
            "role usable after",
            "provider started after",
            "lag after usable",
            "create calls",
            "fixed 120 s sleep",
            "within 10 s",
        ],
        iamRows.map((r) => [
            `${r.roleUsableAfterS} s`,
            `${r.provider.startedAfterS.toFixed(1)} s`,
            `${r.provider.lagAfterUsableS.toFixed(1)} s`,
            String(r.provider.createCalls),
            r.fixedSleep120s.startedAfterS === null ? "fails" : `${r.fixedSleep120s.startedAfterS} s`,
            r.targets.startedWithin10sOfUsable,
        ]),
    );

    const out = path.join(__dirname, "results", "importWait.json");
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(
        out,
        JSON.stringify(
            { pollIntervalSeconds: DEFAULT_POLL_INTERVAL_SECONDS, jobWait: waitRows, iamPropagation: iamRows },
            null,
            2,
        ) + "\n",
    );
    console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
}

function printTable(header: string[], rows: string[][]): void {
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join(" | ");
    console.log(line(header));
    console.log(widths.map((w) => "-".repeat(w)).join("-|-"));
    for (const r of rows) {
        console.log(line(r));
    }
}

main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
});
