// How long the ImportedModel provider waits, polls and backs off: all of it derived from the inputs
// pollIntervalSeconds and timeoutMinutes, and every sleep bounded by the deadline.

import * as retry from "../../awsSdk/retry";
import { HOST_ENGINE } from "./engineWatch";
import type { ImportedModelInputs } from "./types";

/** Multi-hour imports are normal (large models); one `up` waits this long before handing back. */
const DEFAULT_TIMEOUT_MINUTES = 360;
/** First wait, and the unit every later wait/backoff is derived from. */
export const DEFAULT_POLL_INTERVAL_SECONDS = 5;
/** Status waits grow with the time already waited: lag after completion stays under 10 % of the job's duration. */
const WAIT_GROWTH = 0.1;
/** Upper bound on one status wait (also scaled down for tiny poll intervals). */
const MAX_WAIT_MS = 60_000;
/** Role-propagation retries: waits cap at this many poll intervals, the window lasts this many. */
const ROLE_WAIT_CAP_FACTOR = 2;
const ROLE_WINDOW_FACTOR = 60;
/** The role window as the progress lines name it: no config key sets it, the poll interval scales it. */
export const ROLE_WINDOW_SETTING = `${ROLE_WINDOW_FACTOR} × pollIntervalSeconds`;
/** Consecutive throttling/5xx/network failures tolerated by a single API call outside the wait loop. */
export const MAX_TRANSIENT_RETRIES = 8;
/** Attempts probed per import (a new attempt follows each `Failed` job). */
export const MAX_ATTEMPTS = 99;
/** GetImportedModel may lag a `Completed` job briefly; tolerate that many not-found answers. */
export const MODEL_VISIBILITY_RETRIES = 6;

export interface Timing {
    pollMs: number;
    capMs: number;
    roleCapMs: number;
    roleWindowMs: number;
    timeoutMinutes: number;
    deadline: number;
}

export function timingFor(
    inputs: Pick<ImportedModelInputs, "pollIntervalSeconds" | "timeoutMinutes">,
    now: number,
): Timing {
    const pollMs = (inputs.pollIntervalSeconds ?? DEFAULT_POLL_INTERVAL_SECONDS) * 1000;
    const timeoutMinutes = inputs.timeoutMinutes ?? DEFAULT_TIMEOUT_MINUTES;
    return {
        pollMs,
        capMs: Math.max(pollMs, Math.min(MAX_WAIT_MS, 12 * pollMs)),
        roleCapMs: ROLE_WAIT_CAP_FACTOR * pollMs,
        roleWindowMs: ROLE_WINDOW_FACTOR * pollMs,
        timeoutMinutes,
        deadline: now + timeoutMinutes * 60_000,
    };
}

/**
 * Capped exponential backoff for status polls: each wait is 10 % of the time already waited, so
 * waits grow geometrically (×1.1 per poll), floored at the poll interval and capped at `capMs`.
 */
export function statusWaitMs(timing: Timing, waitedMs: number): number {
    return Math.min(timing.capMs, Math.max(timing.pollMs, WAIT_GROWTH * waitedMs));
}

/** Role propagation: 1×, 1.5×, 2× the poll interval, then steady, so a usable role is noticed quickly. */
export function roleWaitMs(timing: Timing, retry: number): number {
    return Math.min(timing.roleCapMs, timing.pollMs * Math.pow(1.5, retry));
}

/** Throttling/5xx: doubling from the poll interval, capped, with jitter in [50 %, 100 %]. */
export function transientWaitMs(timing: Timing, attempt: number, random: number): number {
    return retry.backoffMs(attempt, random, timing.pollMs, timing.capMs);
}

/** The injectable clock of one operation (the operation's Context has both). */
export interface Clock {
    now: () => number;
    sleep: (ms: number) => Promise<void>;
}

/**
 * Sleeps `ms`, but never past `deadline`. In the dynamic-provider host, every wait then checks that the engine is still
 * there, and the host exits when it is gone (engineWatch.ts); elsewhere (tests, the program) nothing is added.
 */
export function sleepBounded(ctx: Clock, ms: number, deadline: number): Promise<void> {
    const slept = ctx.sleep(Math.max(0, Math.min(ms, deadline - ctx.now())));
    return HOST_ENGINE ? slept.then(() => HOST_ENGINE?.check()) : slept;
}
