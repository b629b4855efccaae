// Bounded retries of single API calls on throttling, 5xx and connection failures, shared by the dynamic providers.
// SDK clients run with maxAttempts 1 (see credentials.ts), so these are the only retries.

import { isTransient } from "./errors";

export interface RetryOptions {
    sleep: (ms: number) => Promise<void>;
    /** In [0, 1). */
    random: () => number;
    /** Retries after the first attempt. */
    maxRetries: number;
    baseMs: number;
    capMs: number;
    /** True once no further retry may start (a deadline has passed); never, when absent. */
    expired?: () => boolean;
}

/** Exponential backoff from `baseMs`, capped at `capMs`, with jitter in [50 %, 100 %] of the step. */
export function backoffMs(retry: number, random: number, baseMs: number, capMs: number): number {
    return Math.min(capMs, baseMs * Math.pow(2, retry)) * (0.5 + 0.5 * random);
}

/** One API call, retried on throttling, 5xx and connection failures only, a bounded number of times. */
export async function callWithRetry<T>(options: RetryOptions, call: () => Promise<T>): Promise<T> {
    for (let retry = 0; ; retry++) {
        try {
            return await call();
        } catch (err) {
            if (!isTransient(err) || retry >= options.maxRetries || options.expired?.()) throw err;
            await options.sleep(backoffMs(retry, options.random(), options.baseMs, options.capMs));
        }
    }
}
