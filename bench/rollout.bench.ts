// `npm run bench` (second part): downtime while a new model version rolls out, and how long the smoke test waits
// for a model that is not ready yet. The REAL ImportedModel provider runs against an in-memory Bedrock (control
// plane and runtime) on a virtual clock; the engine's steps (create new, move the pointer, delete old) are driven
// in order, and the clock measures every interval in which the pointer names a model that does not exist.
import * as fs from "node:fs";
import * as path from "node:path";
import { createImportedModelProvider, type CommandSender, type ImportedModelInputs } from "../components/importedModel";
import { versionedModelName } from "../components/modelVersion";

const ACCOUNT = "777788889999";
const MINUTE = 60_000;

function awsError(name: string, status: number, message: string): Error {
    const err = new Error(message) as Error & { $metadata: { httpStatusCode: number } };
    err.name = name;
    err.$metadata = { httpStatusCode: status };
    return err;
}

interface Model {
    name: string;
    arn: string;
    readyAt: number;
}

/** One account's Bedrock: imports finish `importMs` after they start; an invoked model answers from `readyAt` on. */
class SimulatedBedrock implements CommandSender {
    readonly models = new Map<string, Model>();
    private readonly jobs = new Map<string, { name: string; model: string; doneAt: number; arn: string }>();
    private seq = 0;
    invocations = 0;

    constructor(
        private readonly clock: { now: () => number },
        private readonly importMs: number,
        private readonly notReadyMs: number,
    ) {}

    exists(arn: string | undefined): boolean {
        return arn !== undefined && [...this.models.values()].some((m) => m.arn === arn);
    }

    async send(command: object): Promise<unknown> {
        const name = (command as { constructor: { name: string } }).constructor.name;
        const input = (command as { input: Record<string, unknown> }).input;
        const now = this.clock.now();
        switch (name) {
            case "GetCallerIdentityCommand":
                return { Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/bench` };
            case "ListImportedModelsCommand":
                return { modelSummaries: [...this.models.values()].map((m) => ({ modelName: m.name, modelArn: m.arn })) };
            case "ListModelImportJobsCommand":
                return { modelImportJobSummaries: [] };
            case "CreateModelImportJobCommand": {
                const jobName = String(input.jobName);
                const arn = `arn:aws:bedrock:us-east-1:${ACCOUNT}:model-import-job/j${++this.seq}`;
                this.jobs.set(jobName, { name: jobName, model: String(input.importedModelName), doneAt: now + this.importMs, arn });
                return { jobArn: arn };
            }
            case "GetModelImportJobCommand": {
                const job = this.jobs.get(String(input.jobIdentifier));
                if (!job) throw awsError("ResourceNotFoundException", 404, "no such job");
                if (now < job.doneAt) return { jobName: job.name, jobArn: job.arn, status: "InProgress" };
                if (!this.models.has(job.model)) {
                    this.models.set(job.model, {
                        name: job.model,
                        arn: `arn:aws:bedrock:us-east-1:${ACCOUNT}:imported-model/m${++this.seq}`,
                        readyAt: now + this.notReadyMs,
                    });
                }
                return { jobName: job.name, jobArn: job.arn, status: "Completed", importedModelArn: this.models.get(job.model)!.arn };
            }
            case "GetImportedModelCommand": {
                const id = String(input.modelIdentifier);
                const m = [...this.models.values()].find((x) => x.arn === id || x.name === id);
                if (!m) throw awsError("ResourceNotFoundException", 404, "no such model");
                const job = [...this.jobs.values()].find((j) => j.model === m.name);
                return { modelName: m.name, modelArn: m.arn, jobName: job?.name, jobArn: job?.arn, modelArchitecture: "mistral", instructSupported: true };
            }
            case "ListTagsForResourceCommand":
                return { tags: [{ key: "bedrock-cmi:owner", value: "bench/prod" }] };
            case "TagResourceCommand":
            case "UntagResourceCommand":
                return {};
            case "DeleteImportedModelCommand": {
                const id = String(input.modelIdentifier);
                for (const m of this.models.values()) if (m.arn === id || m.name === id) this.models.delete(m.name);
                return {};
            }
            case "InvokeModelCommand": {
                this.invocations++;
                const m = [...this.models.values()].find((x) => x.arn === input.modelId);
                if (!m) throw awsError("ResourceNotFoundException", 404, "no such model");
                if (now < m.readyAt) throw awsError("ModelNotReadyException", 429, "Model is not ready for inference.");
                return { body: Buffer.from(JSON.stringify({ choices: [{ text: "hi" }] })) };
            }
            default:
                throw new Error(`bench: unexpected ${name}`);
        }
    }
}

function inputs(prefix: string, versioned: boolean, smoke: boolean): ImportedModelInputs {
    const s3Uri = `s3://model-artifacts-111122223333/${prefix}`;
    return {
        accountId: ACCOUNT,
        region: "us-east-1",
        modelName: versioned ? versionedModelName("mistral-prod-01", { s3Uri, modelKey: "aws-owned" }) : "mistral-prod-01",
        baseName: "mistral-prod-01",
        roleArn: `arn:aws:iam::${ACCOUNT}:role/exec`,
        s3Uri,
        owner: "bench/prod",
        ...(smoke ? { smokeTest: { maxTokens: 16 } } : {}),
    };
}

/** One rollout from v1 to v2 in the engine's order for the diff's answer; returns seconds without a live model behind the pointer. */
async function rollout(importMinutes: number, strategy: "versioned" | "delete-first"): Promise<{ downtimeS: number; rolloutS: number }> {
    let t = 0;
    let pointer: string | undefined;
    let downtimeMs = 0;
    const clock = { now: () => t };
    const bedrock = new SimulatedBedrock(clock, importMinutes * MINUTE, 0);
    const provider = createImportedModelProvider({
        now: clock.now,
        sleep: async (ms) => {
            if (!bedrock.exists(pointer)) downtimeMs += ms;
            t += ms;
        },
        random: () => 0.5,
        clients: () => ({ bedrock, sts: bedrock, runtime: bedrock }),
    });
    const versioned = strategy === "versioned";
    const v1 = await provider.create(inputs("v1/", versioned, true));
    pointer = v1.outs.modelArn;
    // Measure the rollout only: v1 is live from here on.
    downtimeMs = 0;
    const started = t;
    const next = inputs("v2/", versioned, true);
    const diff = await provider.diff(v1.id, v1.outs, next);
    if (diff.deleteBeforeReplace) {
        await provider.delete(v1.id, v1.outs);
        const v2 = await provider.create(next);
        pointer = v2.outs.modelArn;
    } else {
        const v2 = await provider.create(next);
        pointer = v2.outs.modelArn;
        await provider.delete(v1.id, v1.outs);
    }
    if (strategy === "versioned" && diff.deleteBeforeReplace) throw new Error("bench: a versioned rollout asked for delete-first");
    return { downtimeS: downtimeMs / 1000, rolloutS: (t - started) / 1000 };
}

/** The smoke test of a fresh model that answers ModelNotReadyException for `notReadyMinutes`. */
async function smokeWait(notReadyMinutes: number): Promise<{ firstAnswerS: number; retries: number; calls: number }> {
    let t = 0;
    const clock = { now: () => t };
    const bedrock = new SimulatedBedrock(clock, 5 * MINUTE, notReadyMinutes * MINUTE);
    const provider = createImportedModelProvider({
        now: clock.now,
        sleep: async (ms) => void (t += ms),
        random: () => 0.5,
        clients: () => ({ bedrock, sts: bedrock, runtime: bedrock }),
    });
    const { outs } = await provider.create({ ...inputs("v1/", true, false), smokeTest: { maxTokens: 16, timeoutMinutes: 10 } });
    return { firstAnswerS: outs.smokeTestSecondsToFirstAnswer ?? NaN, retries: outs.smokeTestNotReadyRetries ?? NaN, calls: bedrock.invocations };
}

async function main(): Promise<void> {
    const rows: Array<Record<string, number | string>> = [];
    console.log("Rollout of a new model version (real provider code, virtual clock): seconds the pointer names no live model");
    console.log(
        "import time | versioned (create new, move pointer, delete old) | delete-first (before versioned names) | versioned/delete-first | rollout time, versioned",
    );
    for (const minutes of [10, 60, 180]) {
        const v = await rollout(minutes, "versioned");
        const d = await rollout(minutes, "delete-first");
        rows.push({ importMinutes: minutes, versionedDowntimeS: v.downtimeS, deleteFirstDowntimeS: d.downtimeS, versionedRolloutS: v.rolloutS });
        const ratio = d.downtimeS > 0 ? (v.downtimeS / d.downtimeS).toFixed(2) : "–";
        console.log(
            `${String(minutes).padStart(4)} min    | ${v.downtimeS.toFixed(0)} s | ${d.downtimeS.toFixed(0)} s | ratio ${ratio} | ${v.rolloutS.toFixed(0)} s`,
        );
    }
    console.log("\nSmoke test against a model that is not ready for N minutes (ModelNotReadyException, retried with backoff)");
    console.log("not ready | first answer after | ratio to N | not-ready retries | InvokeModel calls");
    const smoke: Array<Record<string, number>> = [];
    for (const minutes of [0, 1, 5]) {
        const s = await smokeWait(minutes);
        const ratio = minutes === 0 ? "–" : (s.firstAnswerS / (minutes * 60)).toFixed(2);
        smoke.push({ notReadyMinutes: minutes, firstAnswerS: s.firstAnswerS, retries: s.retries, calls: s.calls });
        console.log(`${String(minutes).padStart(3)} min   | ${String(s.firstAnswerS).padStart(8)} s | ${ratio} | ${s.retries} | ${s.calls}`);
    }
    const out = path.join(__dirname, "results", "rollout.json");
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, JSON.stringify({ rollout: rows, smokeTest: smoke }, null, 2) + "\n");
    console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
}

main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
});
