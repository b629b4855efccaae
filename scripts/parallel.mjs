// Runs shell commands side by side (the type check and the linters in `npm test`) and fails if any of them fails.
// Each command's output is printed whole when it ends, so logs do not interleave.
import { spawn } from "node:child_process";
import process from "node:process";

const commands = process.argv.slice(2);
const results = await Promise.all(
    commands.map(
        (command) =>
            new Promise((resolve) => {
                const child = spawn(command, { shell: true, stdio: ["ignore", "pipe", "pipe"] });
                let output = "";
                child.stdout.on("data", (d) => (output += d));
                child.stderr.on("data", (d) => (output += d));
                child.on("close", (code) => {
                    process.stdout.write(`\n$ ${command}\n${output}`);
                    resolve({ command, code });
                });
            }),
    ),
);
const failed = results.filter((r) => r.code !== 0);
for (const r of failed) process.stderr.write(`failed (exit ${r.code}): ${r.command}\n`);
process.exit(failed.length > 0 ? 1 : 0);
