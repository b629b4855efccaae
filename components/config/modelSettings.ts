// The bounds of two per-model settings of the stack config that are the program's own choices, not AWS limits:
// `models[].smokeTest` and `models[].timeoutMinutes`. The config validator and the imported-model provider's `check`
// apply the same functions, so `npm run plan` and `pulumi preview` refuse the same values. Pure.

import { show } from "../util/show";

/** `models[].smokeTest`: one small InvokeModel call after an import, before the pointer moves. */
export interface SmokeTestSettings {
    prompt?: string;
    maxTokens?: number;
    timeoutMinutes?: number;
}

/** Bounds the smoke test's settings: a smoke test is a few tokens, not a workload. */
const SMOKE_TEST_LIMITS = { maxTokens: 4096, timeoutMinutes: 60, promptLength: 2000 } as const;

/** The longest wait for one import that `models[].timeoutMinutes` accepts: a week. */
const MAX_TIMEOUT_MINUTES = 7 * 24 * 60;

/** Problems with `models[].smokeTest`, for the config validator and the provider's check alike. */
export function smokeTestProblems(value: unknown): Array<{ key?: string; message: string }> {
    if (value === undefined || value === null) return [];
    if (typeof value !== "object" || Array.isArray(value))
        return [
            { message: `must be an object ({ prompt?, maxTokens?, timeoutMinutes? }), got ${JSON.stringify(value)}` },
        ];
    const v = value as Record<string, unknown>;
    const problems: Array<{ key?: string; message: string }> = [];
    for (const key of Object.keys(v)) {
        if (!["prompt", "maxTokens", "timeoutMinutes"].includes(key))
            problems.push({ key, message: "is not a known key; known keys are prompt, maxTokens, timeoutMinutes" });
    }
    if (
        v.prompt !== undefined &&
        (typeof v.prompt !== "string" || v.prompt.trim() === "" || v.prompt.length > SMOKE_TEST_LIMITS.promptLength)
    ) {
        problems.push({
            key: "prompt",
            message: `must be a non-empty string of at most ${SMOKE_TEST_LIMITS.promptLength} characters`,
        });
    }
    if (
        v.maxTokens !== undefined &&
        (!Number.isInteger(v.maxTokens) ||
            (v.maxTokens as number) < 1 ||
            (v.maxTokens as number) > SMOKE_TEST_LIMITS.maxTokens)
    ) {
        problems.push({
            key: "maxTokens",
            message: `must be a whole number from 1 to ${SMOKE_TEST_LIMITS.maxTokens}, got ${JSON.stringify(v.maxTokens)}`,
        });
    }
    if (
        v.timeoutMinutes !== undefined &&
        (typeof v.timeoutMinutes !== "number" ||
            !Number.isFinite(v.timeoutMinutes) ||
            v.timeoutMinutes <= 0 ||
            v.timeoutMinutes > SMOKE_TEST_LIMITS.timeoutMinutes)
    ) {
        problems.push({
            key: "timeoutMinutes",
            message: `must be minutes in (0, ${SMOKE_TEST_LIMITS.timeoutMinutes}], got ${JSON.stringify(v.timeoutMinutes)}`,
        });
    }
    return problems;
}

/** How long one `up` or `destroy` waits for an import (`models[].timeoutMinutes`); absent is the default. */
export function timeoutMinutesProblems(timeout: unknown): string[] {
    if (timeout === undefined || timeout === null) return [];
    if (typeof timeout !== "number" || !Number.isFinite(timeout) || timeout <= 0 || timeout > MAX_TIMEOUT_MINUTES) {
        return [`must be a number of minutes in (0, ${MAX_TIMEOUT_MINUTES}], got ${show(timeout)}`];
    }
    return [];
}
