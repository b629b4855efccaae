// `npm run bench` (third part): how long one `npm run plan -- --stack dev` takes, loaded as the npm script loads it
// (scripts/common/tsRegister.cjs, with its transpile cache filled and empty) and as it was loaded before (ts-node,
// transpile-only). Each variant runs RUNS times, one after the other, in the copy of the shipped example stacks
// (tests/fixtures/examples); the table gives medians of wall time and of CPU time (user + system, the plan process's
// own, read by a preloaded reporter), and each variant's ratio to ts-node. CPU time barely moves with other load on
// the machine; wall time does, so the 4 s target is judged on a quiet machine.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { planVerdict } from "./targets";

const REPO = path.resolve(__dirname, "..");
const EXAMPLES = path.join(REPO, "tests", "fixtures", "examples");
const HOOK = path.join(REPO, "scripts", "common", "tsRegister.cjs");
const PLAN = path.join(REPO, "scripts", "plan.ts");
const RUNS = 3;

interface Sample {
    wallMs: number;
    cpuMs: number;
}

interface Variant {
    name: string;
    args: string[];
    /** Run before each sample (an empty cache for the cold variant). */
    env: () => NodeJS.ProcessEnv;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "plan-bench-"));
// Preloaded into the plan process: writes its own CPU time to the file named by PLAN_BENCH_CPU when it exits.
const REPORTER = path.join(tmp, "cpu.cjs");
fs.writeFileSync(
    REPORTER,
    'process.on("exit", () => { const u = process.cpuUsage(); ' +
        'require("fs").writeFileSync(process.env.PLAN_BENCH_CPU, String((u.user + u.system) / 1000)); });\n',
);

function sample(variant: Variant): Sample {
    const cpuFile = path.join(tmp, "cpu.txt");
    const env = {
        ...process.env,
        ...variant.env(),
        INIT_CWD: EXAMPLES,
        PLAN_BENCH_CPU: cpuFile,
        AWS_PROFILE: "",
        AWS_ACCESS_KEY_ID: "",
        AWS_SECRET_ACCESS_KEY: "",
    };
    const started = process.hrtime.bigint();
    execFileSync(process.execPath, ["-r", REPORTER, ...variant.args, PLAN, "--stack", "dev"], {
        cwd: EXAMPLES,
        env,
        stdio: ["ignore", "ignore", "inherit"],
    });
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    return { wallMs, cpuMs: Number(fs.readFileSync(cpuFile, "utf8")) };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function main(): void {
    const warmCache = path.join(tmp, "warm-cache");
    let cold = 0;
    const variants: Variant[] = [
        {
            name: "ts-node --transpile-only (before)",
            args: [require.resolve("ts-node/dist/bin.js"), "--transpile-only"],
            env: () => ({}),
        },
        {
            name: "tsRegister.cjs, empty cache",
            args: ["-r", HOOK],
            env: () => ({ TS_TRANSPILE_CACHE_DIR: path.join(tmp, `cold-cache-${cold++}`) }),
        },
        {
            name: "tsRegister.cjs, filled cache (npm run plan)",
            args: ["-r", HOOK],
            env: () => ({ TS_TRANSPILE_CACHE_DIR: warmCache }),
        },
    ];
    // Fills the warm variant's cache, and the file system's, before anything is timed.
    sample(variants[2]);
    const rows = variants.map((variant) => {
        const samples = Array.from({ length: RUNS }, () => sample(variant));
        return {
            variant: variant.name,
            wallMs: median(samples.map((s) => s.wallMs)),
            cpuMs: median(samples.map((s) => s.cpuMs)),
        };
    });
    const base = rows[0];
    console.log(
        `\nOne npm run plan -- --stack dev (tests/fixtures/examples), median of ${RUNS}; load average ` +
            `${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs`,
    );
    console.log("loaded with | wall | CPU | wall ratio | CPU ratio | under 4 s (quiet machine)");
    for (const r of rows) {
        const ratio = (a: number, b: number) => (a / b).toFixed(2);
        console.log(
            `${r.variant} | ${(r.wallMs / 1000).toFixed(2)} s | ${(r.cpuMs / 1000).toFixed(2)} s | ` +
                `${ratio(r.wallMs, base.wallMs)} | ${ratio(r.cpuMs, base.cpuMs)} | ${planVerdict(r.wallMs)}`,
        );
    }
    fs.rmSync(tmp, { recursive: true, force: true });
    const out = path.join(__dirname, "results", "plan.json");
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(
        out,
        JSON.stringify({ runs: RUNS, loadAverage: os.loadavg()[0], cpus: os.cpus().length, rows }, null, 2) + "\n",
    );
    console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
}

main();
