// What the provider prints while it waits (an import runs for minutes to hours). Since Pulumi 3.146 the engine shows
// what a dynamic provider writes to stdout/stderr live, as text under the stack (also with --non-interactive), while
// `pulumi.log` from inside the provider reaches nobody (pulumi/pulumi#18249). So the lines go to a sink, console.log by
// default, injectable for tests. Each wait prints when it starts, when what it waits on changes, at most every
// `everyMs` in between, and when it ends: never once per poll.

import type { Context } from "./context";

/** Where the progress lines go (one line per call, no trailing newline). */
export type ProgressSink = (line: string) => void;

/**
 * At most one "still waiting" line per 5 minutes, or per 60 poll intervals when polls are faster (tests, engine suite).
 */
const EVERY_MS_CAP = 5 * 60_000;
const EVERY_POLLS = 60;

/** Set to `off` to silence the lines (the unit tests do; the engine and users see them). */
export const PROGRESS_ENV = "BEDROCK_CMI_PROGRESS";

/** The default sink: stdout of the provider host, which the engine shows as the stack's output. */
export function consoleProgress(line: string): void {
    if (process.env[PROGRESS_ENV] === "off") return;
    console.log(line);
}

/** One wait: what is waited on, since when, until when, and which setting bounds it. */
interface WaitSpec {
    /** Starts every line, e.g. `[mistral-01-ab12cd] import job j-1`. */
    subject: string;
    startedAt: number;
    deadline: number;
    /** The setting that bounds the wait, e.g. `models[0].timeoutMinutes`. */
    limit: string;
    everyMs: number;
}

export interface WaitProgress {
    /**
     * The state at one poll: a line when it differs from the last one, or when `everyMs` passed since the last line.
     */
    poll(state: string): void;
    /** The wait is over; printed only when the wait printed something (or `always`). */
    end(outcome: string, always?: boolean): void;
    /** A line of its own, under the same subject. */
    note(text: string): void;
}

/** `45 s`, `12 min`: seconds below two minutes, whole minutes above. */
export function formatDuration(ms: number): string {
    const seconds = Math.max(0, ms) / 1000;
    if (seconds < 120) return `${Math.round(seconds)} s`;
    return `${Math.floor(seconds / 60)} min`;
}

function waitProgress(sink: ProgressSink, now: () => number, spec: WaitSpec): WaitProgress {
    let last: string | undefined;
    let lastAt = -Infinity;
    let printed = false;
    const emit = (line: string) => {
        printed = true;
        lastAt = now();
        sink(line);
    };
    return {
        poll(state) {
            const at = now();
            if (state === last && at - lastAt < spec.everyMs) return;
            last = state;
            emit(
                `${spec.subject}: ${state}, waited ${formatDuration(at - spec.startedAt)} (gives up at ` +
                    `${formatDuration(spec.deadline - spec.startedAt)}, ${spec.limit})`,
            );
        },
        end(outcome, always = false) {
            if (!printed && !always) return;
            emit(`${spec.subject}: ${outcome}, waited ${formatDuration(now() - spec.startedAt)}`);
        },
        note(text) {
            emit(`${spec.subject}: ${text}`);
        },
    };
}

/** The config key that bounds the import wait, as the user writes it. */
function timeoutKey(ctx: Context): string {
    return `${ctx.inputs.configPath ?? "models[]"}.timeoutMinutes`;
}

/** A wait bounded by the operation's deadline (`timeoutMinutes`), timed from the operation's start. */
export function operationWait(ctx: Context, subject: string, limit = timeoutKey(ctx)): WaitProgress {
    const { timing } = ctx;
    return waitProgress(ctx.progress, ctx.now, {
        subject: `[${ctx.inputs.modelName}] ${subject}`,
        startedAt: timing.deadline - timing.timeoutMinutes * 60_000,
        deadline: timing.deadline,
        limit,
        everyMs: Math.min(EVERY_MS_CAP, EVERY_POLLS * timing.pollMs),
    });
}

/** A wait with its own clock and bound (the smoke test's). */
export function boundedWait(
    ctx: Context,
    subject: string,
    startedAt: number,
    deadline: number,
    limit: string,
): WaitProgress {
    return waitProgress(ctx.progress, ctx.now, {
        subject: `[${ctx.inputs.modelName}] ${subject}`,
        startedAt,
        deadline,
        limit,
        everyMs: Math.min(EVERY_MS_CAP, EVERY_POLLS * ctx.timing.pollMs),
    });
}

/**
 * Where a user follows a job themselves
 * (https://docs.aws.amazon.com/cli/latest/reference/bedrock/get-model-import-job.html).
 */
function watchCommand(ctx: Context, job: string): string {
    const profile = ctx.inputs.profile ? ` --profile ${ctx.inputs.profile}` : "";
    return `aws bedrock get-model-import-job --job-identifier ${job} --region ${ctx.inputs.region}${profile}`;
}

/**
 * Why a job is waited on: `up` waits for its import (started now, or by an earlier run), `destroy` for the model it
 * makes.
 */
export interface JobWatch {
    jobName: string;
    purpose: "import" | "destroy";
    jobArn?: string;
    /** Started by this operation; otherwise adopted (its creation time says since when it runs). */
    startedNow?: boolean;
    creationTime?: Date | string;
}

function timeOf(value: Date | string | undefined): number | undefined {
    const ms = value instanceof Date ? value.getTime() : typeof value === "string" ? Date.parse(value) : NaN;
    return Number.isFinite(ms) ? ms : undefined;
}

/** The first line of a job wait: which job, which model, why it is waited on, and how to follow it outside Pulumi. */
export function jobIntro(ctx: Context, watch: JobWatch): string {
    const arn = watch.jobArn ?? "ARN not known yet";
    const since = timeOf(watch.creationTime);
    const running = since === undefined ? "running" : `running since ${new Date(since).toISOString()}`;
    const what =
        watch.purpose === "destroy"
            ? `${running} (${arn}); destroy waits for it to finish, then deletes the model it made`
            : watch.startedNow
              ? `started (${arn}), importing model ${ctx.inputs.modelName} from ${ctx.inputs.s3Uri}`
              : `${running} (${arn}), started by an earlier run; waiting for it instead of starting another`;
    return `${what}. Follow it with: ${watchCommand(ctx, watch.jobName)}`;
}

/** The last line of a job wait: its final status, with how long the import ran or why it failed. */
export function jobOutcome(job: {
    status?: string;
    failureMessage?: string;
    creationTime?: Date | string;
    endTime?: Date | string;
}): string {
    if (job.status === "Failed") return `Failed: ${job.failureMessage ?? "no failureMessage"}`;
    const start = timeOf(job.creationTime);
    const end = timeOf(job.endTime);
    return start !== undefined && end !== undefined
        ? `${job.status} (the import ran ${formatDuration(end - start)})`
        : `${job.status}`;
}
