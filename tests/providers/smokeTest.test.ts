// The smoke test against a local HTTP/2 bedrock-runtime stub with the real SDK client (serialization, error shapes),
// on a virtual clock for the waits.

import { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { expect } from "chai";
import { smokeTestProblems } from "../../components/config/modelSettings";
import {
    replyText,
    runSmokeTest,
    smokeRequestBody,
    type SmokeTestError,
} from "../../components/dynamic/importedModel/smokeTest";
import { setEnv } from "../fakes/awsStub";
import { BedrockStub } from "../fakes/bedrockStub";
import { RuntimeStub, runtimeErrors } from "../fakes/runtimeStub";

describe("smoke test (InvokeModel) against a local HTTP/2 bedrock-runtime stub", function () {
    this.timeout(20_000);
    let bedrock: BedrockStub;
    let runtime: RuntimeStub;
    let restoreEnv: () => void;
    let t: number;
    let waits: number[];
    let modelArn: string;

    beforeEach(async () => {
        bedrock = new BedrockStub({ accountId: "777788889999" });
        modelArn = bedrock.seedJob({
            jobName: "j",
            importedModelName: "mistral-prod-01-abc123",
            status: "Completed",
        }).importedModelArn!;
        runtime = new RuntimeStub(bedrock);
        await runtime.start();
        restoreEnv = setEnv({
            AWS_ENDPOINT_URL_BEDROCK_RUNTIME: runtime.url,
            AWS_ACCESS_KEY_ID: "AKIDHOSTING",
            AWS_SECRET_ACCESS_KEY: "hosting-secret",
            AWS_SESSION_TOKEN: undefined,
            AWS_PROFILE: undefined,
            AWS_ENDPOINT_URL: undefined,
        });
        t = 0;
        waits = [];
    });

    afterEach(async () => {
        restoreEnv();
        await runtime.stop();
    });

    const deps = () => ({
        // The production client as the provider builds it: default (HTTP/2) handler, no SDK retries of its own.
        runtime: new BedrockRuntimeClient({ region: "us-east-1", maxAttempts: 1 }),
        now: () => t,
        sleep: async (ms: number) => {
            waits.push(ms);
            t += ms;
        },
        random: () => 1,
    });

    it("answers: reply, time to first answer, no retries; the request is OpenAICompletion", async () => {
        const result = await runSmokeTest(deps(), modelArn, { maxTokens: 8 });
        expect(result).to.include({
            notReadyRetries: 0,
            secondsToFirstAnswer: 0,
            reply: " Hello from mistral-prod-01-abc123",
        });
        expect(runtime.bodies).to.deep.equal([{ prompt: "Hello", max_tokens: 8, temperature: 0 }]);
        expect(runtime.invocations).to.equal(1);
    });

    it("ModelNotReadyException 3 times, then an answer: 3 not-ready retries, backoff waits counted", async () => {
        runtime.queued.push(runtimeErrors.notReady(), runtimeErrors.notReady(), runtimeErrors.notReady());
        const result = await runSmokeTest(deps(), modelArn, {});
        expect(result.notReadyRetries).to.equal(3);
        expect(waits).to.deep.equal([1000, 2000, 4000]);
        expect(result.secondsToFirstAnswer).to.equal(7);
        expect(runtime.invocations).to.equal(4);
    });

    it("throttling then an answer: retried, not counted as not-ready", async () => {
        runtime.queued.push(runtimeErrors.throttling(), runtimeErrors.throttling());
        const result = await runSmokeTest(deps(), modelArn, {});
        expect(result.notReadyRetries).to.equal(0);
        expect(runtime.invocations).to.equal(3);
    });

    it("a malformed request fails at once (one call), kind malformed, naming the request shape", async () => {
        runtime.queued.push(runtimeErrors.malformed());
        const err = (await runSmokeTest(deps(), modelArn, {}).catch((e: unknown) => e)) as SmokeTestError;
        expect(err.smokeTestKind).to.equal("malformed");
        expect(err.message).to.contain("OpenAICompletion").and.contain("repeats only the smoke test");
        expect(runtime.invocations).to.equal(1);
    });

    it("access denied fails at once, kind access", async () => {
        runtime.queued.push(runtimeErrors.accessDenied());
        const err = (await runSmokeTest(deps(), modelArn, {}).catch((e: unknown) => e)) as SmokeTestError;
        expect(err.smokeTestKind).to.equal("access");
        expect(runtime.invocations).to.equal(1);
    });

    it("not ready beyond timeoutMinutes: timeout error after a bounded number of calls", async () => {
        runtime.queued.push(...Array.from({ length: 200 }, () => runtimeErrors.notReady()));
        const err = (await runSmokeTest(deps(), modelArn, { timeoutMinutes: 1 }).catch(
            (e: unknown) => e,
        )) as SmokeTestError;
        expect(err.smokeTestKind).to.equal("timeout");
        expect(t).to.equal(60_000);
        expect(runtime.invocations).to.be.at.most(10);
    });

    it("settings and reply shapes", () => {
        expect(smokeRequestBody({ prompt: "Hi", maxTokens: 4 })).to.deep.equal({
            prompt: "Hi",
            max_tokens: 4,
            temperature: 0,
        });
        expect(replyText({ choices: [{ message: { content: "chat" } }] })).to.equal("chat");
        expect(replyText({ generation: "x".repeat(300) })).to.have.length(200);
        expect(smokeTestProblems({ maxTokens: 0 })[0].key).to.equal("maxTokens");
        expect(smokeTestProblems({ timeoutMinutes: 61 })[0].key).to.equal("timeoutMinutes");
        expect(smokeTestProblems({ promt: "x" })[0].key).to.equal("promt");
        expect(smokeTestProblems({ maxTokens: 16 })).to.deep.equal([]);
    });
});
