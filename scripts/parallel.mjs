// Runs shell commands side by side (`npm test`: the type check, the linters and mocha) and fails if any of them fails.
// Each command's output is printed whole when it ends, so logs do not interleave, followed by the seconds it took
// (wall clock, and the CPU of the command and everything it started): where the time of `npm test` goes.
import { spawn } from "node:child_process";
import process from "node:process";

/** Runs one command through the shell, wrapped so that its children's CPU time can be read when it ends. */
function run(command) {
    return new Promise((resolve) => {
        const started = process.hrtime.bigint();
        // `times` prints the CPU of the shell's children (the command), user and system, as its second line.
        const child = spawn(`${command}\ncode=$?\ntimes >&3\nexit $code`, {
            shell: "/bin/sh",
            stdio: ["ignore", "pipe", "pipe", "pipe"],
        });
        let output = "";
        let times = "";
        child.stdout.on("data", (d) => (output += d));
        child.stderr.on("data", (d) => (output += d));
        child.stdio[3].on("data", (d) => (times += d));
        child.on("close", (code) => {
            const wall = Number(process.hrtime.bigint() - started) / 1e9;
            resolve({ command, code, output, wall, cpu: cpuSeconds(times) });
        });
    });
}

/** CPU seconds (user + system) from the second line of `times` ("0m1.230s 0m0.120s"), or undefined. */
function cpuSeconds(times) {
    const line = times.trim().split("\n")[1] ?? "";
    const parts = [...line.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
    return parts.length === 2 ? parts[0] + parts[1] : undefined;
}

const started = process.hrtime.bigint();
const results = await Promise.all(process.argv.slice(2).map(run));
for (const r of results) process.stdout.write(`\n$ ${r.command}\n${r.output}`);
process.stdout.write("\n");
for (const r of results) {
    const cpu = r.cpu === undefined ? "" : `, ${r.cpu.toFixed(1)} s CPU`;
    process.stdout.write(
        `${r.wall.toFixed(1).padStart(6)} s${cpu}  ${r.command}${r.code === 0 ? "" : `  (failed, exit ${r.code})`}\n`,
    );
}
process.stdout.write(`${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1).padStart(6)} s in all\n`);
const failed = results.filter((r) => r.code !== 0);
for (const r of failed) process.stderr.write(`failed (exit ${r.code}): ${r.command}\n`);
process.exit(failed.length > 0 ? 1 : 0);
