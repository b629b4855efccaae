// `npm run bench`: how fast the REAL ImportedModel provider notices a finished import, how many
// GetModelImportJob calls that costs, and how quickly it starts a job once a fresh IAM role works,
// next to fixed-interval polling and a fixed 120 s sleep. Everything runs on a virtual clock with a
// fake Bedrock client injected through createImportedModelProvider({ now, sleep, clients }).
import * as fs from "node:fs";
import * as path from "node:path";
import { createImportedModelProvider, DEFAULT_POLL_INTERVAL_SECONDS, ImportedModelInputs } from "../components/importedModel";
import type { CommandSender } from "../components/importedModel";
import { callsVerdict, lagVerdict, verdict } from "./targets";

const ACCOUNT = "777788889999";
const MINUTE = 60_000;

interface SdkCommand {
    input: Record<string, unknown>;
    constructor: { name: string };
}

function awsError(name: string, status: number, message: string): Error {
    const err = new Error(message) as Error & { $metadata: { httpStatusCode: number } };
    err.name = name;
    err.$metadata = { httpStatusCode: status };
    return err;
}

/** One simulated account: a job that completes `durationMs` after it is created, and a role usable from `roleUsableAt`. */
class SimulatedBedrock implements CommandSender {
    public jobCreatedAt?: number;
    public firstCreateAttemptAt?: number;
    public completionSeenAt?: number;
    public pollsAfterCreate = 0;
    public getJobCalls = 0;
    public createCalls = 0;

    constructor(
        private readonly clock: { now: () => number },
        private readonly durationMs: number,
        private readonly roleUsableAt: (firstAttempt: number) => number = (first) => first,
    ) {}

    public async send(command: object): Promise<unknown> {
        const cmd = command as SdkCommand;
        const now = this.clock.now();
        switch (cmd.constructor.name) {
            case "GetCallerIdentityCommand":
                return { Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/bench` };
            case "CreateModelImportJobCommand":
                this.createCalls += 1;
                this.firstCreateAttemptAt ??= now;
                if (now < this.roleUsableAt(this.firstCreateAttemptAt)) {
                    throw awsError("ValidationException", 400, "The provided role ARN is invalid or Bedrock could not assume it.");
                }
                this.jobCreatedAt = now;
                return { jobArn: `arn:aws:bedrock:us-east-1:${ACCOUNT}:model-import-job/bench` };
            case "GetModelImportJobCommand": {
                this.getJobCalls += 1;
                if (this.jobCreatedAt === undefined) {
                    throw awsError("ResourceNotFoundException", 404, "not found");
                }
                this.pollsAfterCreate += 1;
                const done = now >= this.jobCreatedAt + this.durationMs;
                if (done) {
                    this.completionSeenAt ??= now;
                }
                return {
                    jobName: String(cmd.input.jobIdentifier),
                    jobArn: `arn:aws:bedrock:us-east-1:${ACCOUNT}:model-import-job/bench`,
                    status: done ? "Completed" : "InProgress",
                    importedModelArn: done ? `arn:aws:bedrock:us-east-1:${ACCOUNT}:imported-model/bench` : undefined,
                    creationTime: new Date(this.jobCreatedAt),
                };
            }
            case "GetImportedModelCommand":
                if (this.completionSeenAt === undefined) {
                    throw awsError("ResourceNotFoundException", 404, "not found");
                }
                return {
                    modelArn: `arn:aws:bedrock:us-east-1:${ACCOUNT}:imported-model/bench`,
                    modelName: "bench-model",
                    jobName: "bench",
                    modelArchitecture: "llama3",
                    instructSupported: true,
                    creationTime: new Date(now),
                };
            case "ListTagsForResourceCommand":
                return { tags: [] };
            default:
                return {};
        }
    }
}

const inputs: ImportedModelInputs = {
    accountId: ACCOUNT,
    region: "us-east-1",
    modelName: "bench-model",
    roleArn: `arn:aws:iam::${ACCOUNT}:role/BedrockCMIExecutionRole`,
    s3Uri: "s3://model-artifacts-111122223333/weights/",
    timeoutMinutes: 600,
};

/** Runs the provider's real create (start + wait) against a simulated account; returns the simulator. */
async function runCreate(durationMs: number, roleUsableAt?: (first: number) => number): Promise<SimulatedBedrock> {
    let t = Date.parse("2030-01-01T00:00:00Z");
    const clock = { now: () => t };
    const sim = new SimulatedBedrock(clock, durationMs, roleUsableAt);
    const provider = createImportedModelProvider({
        now: clock.now,
        sleep: async (ms) => {
            t += ms;
        },
        random: () => 1,
        clients: () => ({ bedrock: sim, sts: sim }),
    });
    await provider.create(inputs);
    return sim;
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
            provider: { meanLagMs: mean(ours.map((o) => o.lagMs)), maxLagMs: maxLag, meanCalls, maxCalls: Math.max(...ours.map((o) => o.calls)) },
            fixed30s: { meanLagMs: mean(f30.map((o) => o.lagMs)), maxLagMs: Math.max(...f30.map((o) => o.lagMs)), meanCalls: calls30 },
            fixed60s: { meanLagMs: mean(f60.map((o) => o.lagMs)), maxLagMs: Math.max(...f60.map((o) => o.lagMs)), meanCalls: mean(f60.map((o) => o.calls)) },
            targets: {
                lagWithin10PercentAnd60s: lagVerdict(d.ms, maxLag),
                fewerCallsThan30sPolling: callsVerdict(d.ms, meanCalls, calls30),
            },
        });
    }

    const iamRows = [];
    for (const delayS of [5, 15, 60]) {
        const sim = await runCreate(5 * MINUTE, (first) => first + delayS * 1000);
        const startedAfterS = (sim.jobCreatedAt! - sim.firstCreateAttemptAt!) / 1000;
        iamRows.push({
            roleUsableAfterS: delayS,
            provider: { startedAfterS, lagAfterUsableS: startedAfterS - delayS, createCalls: sim.createCalls },
            fixedSleep120s: { startedAfterS: delayS <= 120 ? 120 : null, lagAfterUsableS: delayS <= 120 ? 120 - delayS : null },
            targets: { startedWithin10sOfUsable: verdict(startedAfterS - delayS <= 10) },
        });
    }

    console.log(`ImportedModel wait benchmark (real provider code, virtual clock; pollIntervalSeconds default ${DEFAULT_POLL_INTERVAL_SECONDS} s)`);
    console.log(
        "Job completion: lag = completion -> detection; calls = GetModelImportJob after the job started; 21 completion times within ±5 % of each duration",
    );
    const header = ["job", "provider lag mean/max", "calls", "30 s lag mean/max", "calls", "60 s lag mean/max", "calls", "lag target", "calls < 30 s"];
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
        ["role usable after", "provider started after", "lag after usable", "create calls", "fixed 120 s sleep", "within 10 s"],
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
    fs.writeFileSync(out, JSON.stringify({ pollIntervalSeconds: DEFAULT_POLL_INTERVAL_SECONDS, jobWait: waitRows, iamPropagation: iamRows }, null, 2) + "\n");
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
