// npm run verify-access -- --stack <name> [--model <name>]
// Read-only verification of a deployed stack with the stack's own credentials configuration: identities,
// deployed documents through the IAM simulator, the model artifacts, and (opt-in) a probe as the execution role.
// Exit code: 0 all checks passed, 1 a check failed, 2 bad arguments or invalid stack config.

import { UsageError } from "./common/stackFile";
import { formatResults } from "./verify/format";
import { runVerification } from "./verify/run";
import { VERIFY_USAGE, verifyArgs, type VerifyArgs } from "./verify/args";

async function main(argv: readonly string[]): Promise<number> {
    let parsed: VerifyArgs;
    try {
        parsed = verifyArgs(argv);
    } catch (e) {
        // Includes the program's ConfigError, whose message names every bad key.
        console.error(e instanceof Error ? e.message : String(e));
        if (e instanceof UsageError) console.error(VERIFY_USAGE);
        return 2;
    }
    const { stack, model, config } = parsed;
    try {
        const results = await runVerification(config, { stack, ...(model !== undefined ? { model } : {}) });
        console.log(
            `verify-access: stack ${stack}, development ${config.modelDevelopment.accountId}, hosting ` +
                `${config.modelHosting.accountId}\n`,
        );
        console.log(formatResults(results));
        return results.some((r) => !r.ok) ? 1 : 0;
    } catch (e) {
        console.error(e instanceof Error ? e.message : String(e));
        return 2;
    }
}

main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
        console.error(e);
        process.exit(2);
    },
);
