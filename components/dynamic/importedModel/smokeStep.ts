// The smoke test as a step of the resource's lifecycle: after the model exists and before it goes live. A failure
// keeps the model in state (an initialization error carrying id and properties), so the old version stays live and
// the next `up` repeats only the smoke test, never the import.

import * as awsErrors from "../../awsSdk/errors";
import type { Context } from "./context";
import { runSmokeTest } from "./smokeTest";
import { boundedWait } from "./progress";
import type { ImportedModelOutputs } from "./types";

type SmokeFields = Pick<
    ImportedModelOutputs,
    "smokeTestPassedAt" | "smokeTestSecondsToFirstAnswer" | "smokeTestNotReadyRetries" | "smokeTestReply"
>;

/** The smoke-test outputs of a state, to carry over when the same model already passed. */
export function passedSmokeTest(state: ImportedModelOutputs | undefined, modelArn: string | undefined): SmokeFields {
    if (!state?.smokeTestPassedAt || !modelArn || state.modelArn !== modelArn) return {};
    return {
        smokeTestPassedAt: state.smokeTestPassedAt,
        smokeTestSecondsToFirstAnswer: state.smokeTestSecondsToFirstAnswer,
        smokeTestNotReadyRetries: state.smokeTestNotReadyRetries,
        smokeTestReply: state.smokeTestReply,
    };
}

/** Runs the smoke test when configured and not yet passed for this model; returns the outputs with its results. */
export async function withSmokeTest(
    ctx: Context,
    id: string,
    outs: ImportedModelOutputs,
): Promise<ImportedModelOutputs> {
    const settings = ctx.inputs.smokeTest;
    if (!settings || outs.smokeTestPassedAt || !outs.modelArn) return outs;
    const keep = (message: string) => awsErrors.resourceInitError(message, id, { ...outs, smokeTestFailure: message });
    if (!ctx.clients.runtime)
        throw keep(`[${ctx.inputs.modelName}] a smoke test is configured but no bedrock-runtime client is available.`);
    try {
        const limit = `${ctx.inputs.configPath ?? "models[]"}.smokeTest.timeoutMinutes`;
        const progress = (startedAt: number, deadline: number) =>
            boundedWait(ctx, `smoke test of ${outs.modelArn}`, startedAt, deadline, limit);
        const r = await runSmokeTest(
            { runtime: ctx.clients.runtime, now: ctx.now, sleep: ctx.sleep, random: ctx.random, progress },
            outs.modelArn,
            settings,
        );
        const passed: ImportedModelOutputs = {
            ...outs,
            smokeTestPassedAt: r.passedAt,
            smokeTestSecondsToFirstAnswer: r.secondsToFirstAnswer,
            smokeTestNotReadyRetries: r.notReadyRetries,
            smokeTestReply: r.reply,
        };
        delete passed.smokeTestFailure;
        return passed;
    } catch (err) {
        throw keep(`[${ctx.inputs.modelName}] ${awsErrors.errorMessage(err)}`);
    }
}
