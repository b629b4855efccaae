// `npm run bench` (second part): downtime while a new model version rolls out, and how long the smoke test waits for a
// model that is not ready yet. The REAL ImportedModel provider runs against the project's in-memory Bedrock
// (tests/fakes/bedrock.ts: control plane and runtime) on a virtual clock; the engine's steps (create new, move the
// pointer, delete old) are driven in order, and the clock measures every interval in which the pointer names a model
// that does not exist.
import * as fs from "node:fs";
import * as path from "node:path";
import { createImportedModelProvider, type ImportedModelInputs } from "../components/dynamic/importedModel";
import { versionedModelName } from "../components/naming";
import { FakeBedrock } from "../tests/fakes/bedrock";
import { bedrockSender } from "../tests/fakes/bedrockSdk";

const ACCOUNT = "777788889999";
const MINUTE = 60_000;

/**
 * One account's in-memory Bedrock (control plane and runtime): imports take `importMs`, a new model is not ready for
 * `notReadyMs`.
 */
function account(
    now: () => number,
    importMs: number,
    notReadyMs: number,
): { fake: FakeBedrock; client: ReturnType<typeof bedrockSender> } {
    const fake = new FakeBedrock({ accountId: ACCOUNT, now });
    fake.jobScript = { durationMs: importMs };
    fake.notReadyMs = notReadyMs;
    fake.modelArchitecture = "mistral";
    return { fake, client: bedrockSender(fake) };
}

const exists = (fake: FakeBedrock, arn: string | undefined) =>
    arn !== undefined && [...fake.models.values()].some((m) => m.modelArn === arn);

function inputs(prefix: string, versioned: boolean, smoke: boolean): ImportedModelInputs {
    const s3Uri = `s3://model-artifacts-111122223333/${prefix}`;
    return {
        accountId: ACCOUNT,
        region: "us-east-1",
        modelName: versioned
            ? versionedModelName("mistral-prod-01", { s3Uri, modelKey: "aws-owned" })
            : "mistral-prod-01",
        baseName: "mistral-prod-01",
        roleArn: `arn:aws:iam::${ACCOUNT}:role/exec`,
        s3Uri,
        owner: "bench/prod",
        ...(smoke ? { smokeTest: { maxTokens: 16 } } : {}),
    };
}

/**
 * One rollout from v1 to v2 in the engine's order for the diff's answer; returns seconds without a live model behind
 * the pointer.
 */
async function rollout(
    importMinutes: number,
    strategy: "versioned" | "delete-first",
): Promise<{ downtimeS: number; rolloutS: number }> {
    let t = 0;
    let pointer: string | undefined;
    let downtimeMs = 0;
    const { fake, client } = account(() => t, importMinutes * MINUTE, 0);
    const provider = createImportedModelProvider({
        now: () => t,
        sleep: async (ms) => {
            if (!exists(fake, pointer)) downtimeMs += ms;
            t += ms;
        },
        random: () => 0.5,
        clients: () => ({ bedrock: client, sts: client, runtime: client, quotas: client }),
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
    if (strategy === "versioned" && diff.deleteBeforeReplace)
        throw new Error("bench: a versioned rollout asked for delete-first");
    return { downtimeS: downtimeMs / 1000, rolloutS: (t - started) / 1000 };
}

/** The smoke test of a fresh model that answers ModelNotReadyException for `notReadyMinutes`. */
async function smokeWait(notReadyMinutes: number): Promise<{ firstAnswerS: number; retries: number; calls: number }> {
    let t = 0;
    const { fake, client } = account(() => t, 5 * MINUTE, notReadyMinutes * MINUTE);
    const provider = createImportedModelProvider({
        now: () => t,
        sleep: async (ms) => void (t += ms),
        random: () => 0.5,
        clients: () => ({ bedrock: client, sts: client, runtime: client, quotas: client }),
    });
    const { outs } = await provider.create({
        ...inputs("v1/", true, false),
        smokeTest: { maxTokens: 16, timeoutMinutes: 10 },
    });
    return {
        firstAnswerS: outs.smokeTestSecondsToFirstAnswer ?? NaN,
        retries: outs.smokeTestNotReadyRetries ?? NaN,
        calls: fake.calls.InvokeModel,
    };
}

async function main(): Promise<void> {
    const rows: Array<Record<string, number | string>> = [];
    console.log(
        "Rollout of a new model version (real provider code, virtual clock): seconds the pointer names no live model",
    );
    console.log(
        "import time | versioned (create new, move pointer, delete old) | delete-first (before versioned names) " +
            "| versioned/delete-first | rollout time, versioned",
    );
    for (const minutes of [10, 60, 180]) {
        const v = await rollout(minutes, "versioned");
        const d = await rollout(minutes, "delete-first");
        rows.push({
            importMinutes: minutes,
            versionedDowntimeS: v.downtimeS,
            deleteFirstDowntimeS: d.downtimeS,
            versionedRolloutS: v.rolloutS,
        });
        const ratio = d.downtimeS > 0 ? (v.downtimeS / d.downtimeS).toFixed(2) : "–";
        console.log(
            `${String(minutes).padStart(4)} min    | ${v.downtimeS.toFixed(0)} s | ${d.downtimeS.toFixed(0)} s | ` +
                `ratio ${ratio} | ${v.rolloutS.toFixed(0)} s`,
        );
    }
    console.log(
        "\nSmoke test against a model that is not ready for N minutes (ModelNotReadyException, retried with backoff)",
    );
    console.log("not ready | first answer after | ratio to N | not-ready retries | InvokeModel calls");
    const smoke: Array<Record<string, number>> = [];
    for (const minutes of [0, 1, 5]) {
        const s = await smokeWait(minutes);
        const ratio = minutes === 0 ? "–" : (s.firstAnswerS / (minutes * 60)).toFixed(2);
        smoke.push({ notReadyMinutes: minutes, firstAnswerS: s.firstAnswerS, retries: s.retries, calls: s.calls });
        console.log(
            `${String(minutes).padStart(3)} min   | ${String(s.firstAnswerS).padStart(8)} s | ${ratio} | ` +
                `${s.retries} | ${s.calls}`,
        );
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
