// The smoke test's prompt and the start of the model's reply are sensitive: on the real engine, state holds them as
// secrets (ciphertext), never in plain text.
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { EngineStack, findPulumi, IMPORTED_MODEL_TYPE, Moto, resourcesOfType } from "./harness";

// Pulumi's form of a secret in state.
const { specialSigKey: SIG_KEY, specialSecretSig: SECRET_SIG } = pulumi.runtime;
const PROMPT = "a-confidential-prompt-7f3a";

function expectCiphertext(value: unknown, what: string): void {
    const v = value as Record<string, unknown> | undefined;
    expect(v, `${what} is stored`).to.be.an("object");
    expect(v?.[SIG_KEY], `${what} is a secret`).to.equal(SECRET_SIG);
    expect(v, `${what} is ciphertext`).to.have.property("ciphertext").that.is.a("string");
}

describe("the real Pulumi engine: the smoke test's prompt and reply are secrets in state", function () {
    this.timeout(300_000);
    const moto = new Moto();
    let stack: EngineStack;

    before(async () => moto.start());
    after(() => moto.stop());
    beforeEach(async () => {
        stack = new EngineStack(moto, findPulumi());
        await stack.start();
    });
    afterEach(async () => stack.stop());

    it(
        "up with a smoke test: smokeTest (the prompt) and smokeTestReply are ciphertext in state, the prompt nowhere " +
            "in plain text",
        async () => {
            stack.models[0].smokeTest = { prompt: PROMPT, maxTokens: 8 };
            const up = await stack.up();
            expect(up.code, up.output).to.equal(0);
            const state = await stack.exportState();
            const [model] = resourcesOfType(state, IMPORTED_MODEL_TYPE);
            expectCiphertext(model.outputs?.smokeTestReply, "outputs.smokeTestReply");
            expectCiphertext(model.outputs?.smokeTest, "outputs.smokeTest");
            expectCiphertext(model.inputs?.smokeTest, "inputs.smokeTest");
            // Only the resource: the harness writes the prompt as plain stack config, which this item does not cover.
            expect(JSON.stringify(model)).to.not.contain(PROMPT);
        },
    );
});
