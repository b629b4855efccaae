// The plan command's logic, separate from process handling so tests can run it in-process.

import { formatMatrix } from "../access/matrix";
import { ConfigError } from "../../components/config/stackConfig";
import { buildPlan, formatPlan, warningLine, type Plan, type PlanOptions } from "./plan";
import { problemOf, type Problem } from "./problems";
import { parseArgs, projectRoot, requireStack, UsageError } from "../common/stackFile";

export interface Io {
    stdout(text: string): void;
    stderr(text: string): void;
}

const PLAN_USAGE = "usage: npm run plan -- --stack <name> [--json] [--summary]";

/** Why the plan failed, for stderr: each refused document with its size and limit, then the access verdict. */
function failures(plan: Plan): string[] {
    const lines = plan.documents.flatMap((d) => d.problems.map((p) => `plan: AWS would refuse a document: ${p}`));
    if (!plan.accessMatrix.every((r) => r.ok))
        lines.push(
            `plan: access is not as it should be for stack "${plan.stack}"; see the ✘ lines of the access matrix.`,
        );
    return lines;
}

/** The problems of a plan that could not run (exit 2): each config key the validator named, else the message alone. */
function errorsOf(e: unknown): Problem[] {
    return e instanceof ConfigError ? e.problems.map(problemOf) : [{ key: null, message: (e as Error).message }];
}

/**
 * Exit codes: 0 as it should be; 1 some access wrong or a document AWS would refuse; 2 invalid config, unknown stack or
 * usage.
 */
export async function planMain(argv: readonly string[], io: Io, opts: PlanOptions = {}): Promise<number> {
    let stack: string;
    let asJson: boolean;
    let summary: boolean;
    try {
        const args = parseArgs(argv, ["stack"], ["json", "summary"]);
        asJson = args.json === true;
        summary = args.summary === true;
        stack = requireStack(args, opts.root ?? projectRoot());
    } catch (e) {
        const message = (e as Error).message;
        // A script that asked for JSON parses stdout: give it a document there too.
        if (argv.includes("--json"))
            io.stdout(JSON.stringify({ ok: false, error: message, errors: errorsOf(e), warnings: [] }, null, 2) + "\n");
        io.stderr(`plan: ${message}\n${e instanceof UsageError ? `${PLAN_USAGE}\n` : ""}`);
        return 2;
    }
    try {
        const plan = await buildPlan(stack, opts);
        // --summary shortens the text; the JSON document is always whole.
        io.stdout((asJson ? JSON.stringify(plan, null, 2) : formatPlan(plan, formatMatrix, { summary })) + "\n");
        // With --json, stdout is the JSON document alone; the warnings are in it and repeated on stderr.
        if (asJson) for (const w of plan.warnings) io.stderr(`plan: ${warningLine(w)}\n`);
        for (const line of failures(plan)) io.stderr(`${line}\n`);
        return plan.ok ? 0 : 1;
    } catch (e) {
        const message = (e as Error).message;
        // `error` is the whole message as before; `errors` has one { key, message } per problem for annotations.
        if (asJson)
            io.stdout(
                JSON.stringify({ stack, ok: false, error: message, errors: errorsOf(e), warnings: [] }, null, 2) + "\n",
            );
        io.stderr(`plan: ${message}\n`);
        return 2;
    }
}
