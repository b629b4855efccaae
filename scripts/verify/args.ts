// The verify-access command line, separate from the command so tests can check it in-process.

import type { StackConfig } from "../../components/config/stackConfig";
import { loadStack, parseArgs, projectRoot, requireStack, stackNameOf } from "../common/stackFile";

export const VERIFY_USAGE = "usage: npm run verify-access -- --stack <name> [--model <name>]";

export interface VerifyArgs {
    stack: string;
    model?: string;
    config: StackConfig;
}

/**
 * Parses argv and loads the stack; throws UsageError for the command line, ConfigError (naming every key) for the stack
 * file.
 */
export function verifyArgs(argv: readonly string[], root = projectRoot()): VerifyArgs {
    const args = parseArgs(argv, ["stack", "model"], []);
    const stack = requireStack(args, root);
    const model = typeof args["model"] === "string" ? args["model"] : undefined;
    // The stack's own name: pulumi.getStack() returns it, and the names verify-access derives (aliases, Sids) use it.
    return { stack: stackNameOf(stack), ...(model !== undefined ? { model } : {}), config: loadStack(stack, root) };
}
