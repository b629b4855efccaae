// The smoke test: one small InvokeModel call after an import completes, before the model goes live (the pointer moves).
// Time is injected.
//
// AWS (https://docs.aws.amazon.com/bedrock/latest/userguide/invoke-imported-model.html):
// - models imported after 2025-11-11 accept BedrockCompletion, OpenAICompletion (`prompt`, `max_tokens`) and
//   OpenAIChatCompletion bodies; the chat form needs a chat template among the artifacts, so the completion form is
//   the one every imported model takes;
// - a model whose copy was removed while idle answers ModelNotReadyException while Bedrock restores it, and "your
//   request is served within 5 minutes": the default wait.

import { InvokeModelCommand } from "@aws-sdk/client-bedrock-runtime";
import * as awsErrors from "../../awsSdk/errors";
import { backoffMs } from "../../awsSdk/retry";
import type { SmokeTestSettings } from "../../config/modelSettings";
import type { WaitProgress } from "./progress";

export interface SmokeTestResult {
    /** ISO time the model first answered. */
    passedAt: string;
    secondsToFirstAnswer: number;
    notReadyRetries: number;
    /** The first 200 characters of the generated text. */
    reply: string;
}

type SmokeTestFailureKind = "malformed" | "access" | "timeout" | "other";

export interface SmokeTestError extends Error {
    smokeTestKind: SmokeTestFailureKind;
}

const SMOKE_TEST_DEFAULTS = { prompt: "Hello", maxTokens: 16, timeoutMinutes: 5 } as const;
const REPLY_LENGTH = 200;
/** Retry waits double from 1 s to a 30 s cap (jittered): a restoring copy is polled often at first, then gently. */
const SMOKE_RETRY_BASE_MS = 1000;
const SMOKE_RETRY_CAP_MS = 30_000;

interface Sender {
    send(command: object): Promise<unknown>;
}

export interface SmokeTestDeps {
    runtime: Sender;
    now: () => number;
    sleep: (ms: number) => Promise<void>;
    random: () => number;
    /** Progress of the wait for a model that is not ready, given the wait's start and deadline. */
    progress?: (startedAt: number, deadline: number) => WaitProgress;
}

/** The request body: OpenAICompletion, which every model imported after 2025-11-11 accepts. */
export function smokeRequestBody(settings: SmokeTestSettings): {
    prompt: string;
    max_tokens: number;
    temperature: number;
} {
    return {
        prompt: settings.prompt ?? SMOKE_TEST_DEFAULTS.prompt,
        max_tokens: settings.maxTokens ?? SMOKE_TEST_DEFAULTS.maxTokens,
        temperature: 0,
    };
}

/** The generated text of whichever response shape came back (OpenAI completion or chat, Bedrock completion). */
export function replyText(body: unknown): string {
    const b = (body ?? {}) as {
        choices?: Array<{ text?: unknown; message?: { content?: unknown } }>;
        generation?: unknown;
        outputs?: Array<{ text?: unknown }>;
    };
    const candidates = [b.choices?.[0]?.text, b.choices?.[0]?.message?.content, b.generation, b.outputs?.[0]?.text];
    const text = candidates.find((c): c is string => typeof c === "string");
    return (text ?? JSON.stringify(body)).slice(0, REPLY_LENGTH);
}

function failure(kind: SmokeTestFailureKind, message: string, cause: unknown): SmokeTestError {
    const err = new Error(message, { cause }) as SmokeTestError;
    err.smokeTestKind = kind;
    return err;
}

/**
 * Invokes the model once; ModelNotReadyException is retried with capped, jittered backoff until `timeoutMinutes`,
 * throttling and 5xx likewise; anything else fails at once with what it means.
 */
export async function runSmokeTest(
    deps: SmokeTestDeps,
    modelArn: string,
    settings: SmokeTestSettings,
): Promise<SmokeTestResult> {
    const body = smokeRequestBody(settings);
    const timeoutMinutes = settings.timeoutMinutes ?? SMOKE_TEST_DEFAULTS.timeoutMinutes;
    const started = deps.now();
    const deadline = started + timeoutMinutes * 60_000;
    let notReadyRetries = 0;
    const report = deps.progress?.(started, deadline);
    for (let attempt = 0; ; attempt++) {
        try {
            const out = (await deps.runtime.send(
                new InvokeModelCommand({
                    modelId: modelArn,
                    contentType: "application/json",
                    accept: "application/json",
                    body: JSON.stringify(body),
                }),
            )) as { body?: Uint8Array };
            const text = out.body ? Buffer.from(out.body).toString("utf8") : "";
            let parsed: unknown = text;
            try {
                parsed = JSON.parse(text);
            } catch {
                // Not JSON: report the raw text.
            }
            const answeredAt = deps.now();
            report?.end(`the model answered (after ${notReadyRetries} ModelNotReadyException answers)`);
            return {
                passedAt: new Date(answeredAt).toISOString(),
                secondsToFirstAnswer: (answeredAt - started) / 1000,
                notReadyRetries,
                reply: replyText(parsed),
            };
        } catch (err) {
            const name = awsErrors.errorName(err);
            const notReady = name === "ModelNotReadyException";
            // Throttling, 5xx and dropped connections (ECONNRESET and the like) alike: the shared reader decides.
            if (notReady || awsErrors.isTransient(err)) {
                if (notReady) notReadyRetries++;
                report?.poll(
                    "no answer yet: Bedrock is loading a copy of the model (ModelNotReadyException) or is busy",
                );
                if (deps.now() >= deadline) {
                    report?.end("still no answer at the deadline: giving up (the model is kept)");
                    throw failure(
                        "timeout",
                        `the smoke test of ${modelArn} got no answer within ${timeoutMinutes} min ` +
                            `(models[].smokeTest.timeoutMinutes; ${notReadyRetries} ModelNotReadyException answers, ` +
                            `last: ${awsErrors.describeError(err)}). ` +
                            `Bedrock restores an idle model's copy within about 5 minutes; raise timeoutMinutes ` +
                            `or run "pulumi up" again (only the smoke test repeats).`,
                        err,
                    );
                }
                const waitMs = backoffMs(attempt, deps.random(), SMOKE_RETRY_BASE_MS, SMOKE_RETRY_CAP_MS);
                await deps.sleep(Math.max(0, Math.min(waitMs, deadline - deps.now())));
                continue;
            }
            const kind: SmokeTestFailureKind =
                name === "ValidationException" ? "malformed" : awsErrors.isAccessDenied(err) ? "access" : "other";
            const hint =
                kind === "malformed"
                    ? `the model refused the request ${JSON.stringify(body)} (OpenAICompletion); check the model's ` +
                      `format (models imported before 2025-11-11 take only BedrockCompletion) or set ` +
                      `models[].smokeTest.prompt/maxTokens`
                    : kind === "access"
                      ? "the deploying identity may not call bedrock:InvokeModel on this model (and, with the " +
                        "hosting key, kms:Decrypt through Bedrock)"
                      : "see the message";
            throw failure(
                kind,
                `the smoke test of ${modelArn} failed: ${awsErrors.describeError(err)}. ${hint}. The model is ` +
                    `kept; "pulumi up" again repeats only the smoke test.`,
                err,
            );
        }
    }
}
