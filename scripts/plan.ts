// npm run plan -- --stack <name> [--json] [--summary]
// Offline: no AWS credentials, no Pulumi CLI. Exit 0: every access as it should be (warnings may be printed);
// 1: some required access denied, some forbidden one allowed, or a policy document AWS would refuse (size,
// characters); 2: invalid stack config, unknown or missing --stack, or bad usage.

import { planMain } from "./plan/cli";

const stdout = process.stdout.write.bind(process.stdout);
// stdout carries the plan only (one JSON document with --json); whatever else logs goes to stderr.
console.log = (...a: unknown[]) => void process.stderr.write(a.map(String).join(" ") + "\n");

planMain(process.argv.slice(2), { stdout: (t) => void stdout(t), stderr: (t) => void process.stderr.write(t) }).then(
    (code) => {
        process.exitCode = code;
    },
    (e: unknown) => {
        process.stderr.write(`plan: ${(e as Error).stack ?? String(e)}\n`);
        process.exitCode = 2;
    },
);
