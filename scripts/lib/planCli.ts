// The plan command's logic, separate from process handling so tests can run it in-process.

import { formatMatrix } from "./accessMatrix";
import { buildPlan, formatPlan, type PlanOptions } from "./plan";
import { parseArgs } from "./stackFile";

export interface Io {
    stdout(text: string): void;
    stderr(text: string): void;
}

/** Exit codes: 0 all access as it should be; 1 some access wrong; 2 invalid config, unknown stack or usage. */
export async function planMain(argv: readonly string[], io: Io, opts: PlanOptions = {}): Promise<number> {
    let args: Record<string, string | boolean>;
    try {
        args = parseArgs(argv, ["stack"], ["json"]);
    } catch (e) {
        io.stderr(`plan: ${(e as Error).message}\nusage: npm run plan -- --stack <name> [--json]\n`);
        return 2;
    }
    const stack = typeof args.stack === "string" ? args.stack : "dev";
    const asJson = args.json === true;
    try {
        const plan = await buildPlan(stack, opts);
        io.stdout((asJson ? JSON.stringify(plan, null, 2) : formatPlan(plan, formatMatrix)) + "\n");
        if (!plan.ok && !asJson) io.stderr(`plan: access is not as it should be for stack "${stack}"; see the ✘ lines above.\n`);
        return plan.ok ? 0 : 1;
    } catch (e) {
        const message = (e as Error).message;
        if (asJson) io.stdout(JSON.stringify({ stack, ok: false, error: message }, null, 2) + "\n");
        io.stderr(`plan: ${message}\n`);
        return 2;
    }
}
