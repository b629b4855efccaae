// Secret config values stay secret on the real engine (issue 18, item 8). The CLI writes the secrets itself
// (`pulumi config set --secret --path`), hands the program the whole keys as plain JSON and names them secret; the
// program narrows them to the stack file's secure: leaves and marks what carries one. In the checkpoint, every input
// and output holding a secret value is ciphertext, the other values of the same keys stay plain, and the stack output
// that names the secret role is a secret output.
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import {
    CliWrittenStack,
    findPulumi,
    IMPORTED_MODEL_TYPE,
    Moto,
    ok,
    resourcesOfType,
    STATEMENTS_TYPE,
    type StackState,
} from "./harness";

const NS = "bedrock-cross-account-import";
// Pulumi's form of a secret in state.
const { specialSigKey: SIG_KEY, specialSecretSig: SECRET_SIG } = pulumi.runtime;
const SECRET_TAG = "team-confidential-5d81";
const SECRET_ROLE = "arn:aws:iam::777788889999:role/deployer-secret-9q2c";

function isCiphertext(value: unknown): boolean {
    const v = value as Record<string, unknown> | undefined;
    return v?.[SIG_KEY] === SECRET_SIG && typeof v?.["ciphertext"] === "string";
}

function stackOutputs(state: StackState): Record<string, unknown> {
    return resourcesOfType(state, "pulumi:pulumi:Stack")[0]?.outputs ?? {};
}

describe("the real Pulumi engine: values set with pulumi config set --secret stay secret in state and outputs", function () {
    this.timeout(300_000);
    const moto = new Moto();
    let stack: CliWrittenStack;

    before(async () => moto.start());
    after(() => moto.stop());
    beforeEach(async () => {
        stack = new CliWrittenStack(moto, findPulumi());
        await stack.start();
    });
    afterEach(async () => stack.stop());

    it("--secret --path on a tag value and the hosting role: ciphertext wherever they go, the rest of the keys plain", async () => {
        stack.writeConfig();
        ok(
            await stack.cli(["config", "set", "--secret", "--path", `${NS}:models[0].tags.team`, SECRET_TAG]),
            "config set models[0].tags.team",
        );
        ok(
            await stack.cli(["config", "set", "--secret", "--path", `${NS}:modelHosting.assumeRoleArn`, SECRET_ROLE]),
            "config set modelHosting.assumeRoleArn",
        );
        stack.frozen = true;

        ok(await stack.up(), "up");
        const state = await stack.exportState();
        const text = JSON.stringify(state.deployment.resources);
        expect(text, "the secret tag in plain text in state").to.not.contain(SECRET_TAG);
        expect(text, "the secret role in plain text in state").to.not.contain(SECRET_ROLE);

        const [model] = resourcesOfType(state, IMPORTED_MODEL_TYPE);
        for (const key of ["tags", "assumeRoleArn"]) {
            expect(
                isCiphertext(model.inputs?.[key]),
                `model inputs.${key}: ${JSON.stringify(model.inputs?.[key])}`,
            ).to.equal(true);
            expect(isCiphertext(model.outputs?.[key]), `model outputs.${key}`).to.equal(true);
        }
        // Narrowed to the secure: leaves: the other values of models and modelHosting stay readable.
        expect(model.inputs?.["modelName"]).to.be.a("string");
        expect(model.inputs?.["s3Uri"]).to.be.a("string");
        expect(model.inputs?.["accountId"]).to.equal("777788889999");
        // The development account's credentials carry no secret.
        const [statements] = resourcesOfType(state, STATEMENTS_TYPE);
        expect(statements.inputs?.["assumeRoleArn"]).to.be.a("string");

        const outputs = stackOutputs(state);
        expect(
            isCiphertext(outputs["invokeExamples"]),
            `invokeExamples: ${JSON.stringify(outputs["invokeExamples"])}`,
        ).to.equal(true);
        expect(outputs["modelNames"]).to.be.an("array");
        const shown = ok(await stack.cli(["stack", "output", "--json"]), "stack output");
        expect(JSON.parse(shown.stdout) as Record<string, unknown>).to.have.property("invokeExamples", "[secret]");

        // Marking changes no value: the next preview has nothing to do.
        ok(await stack.run(["preview", "--expect-no-changes"]), "preview --expect-no-changes");
        // A refresh rewrites the outputs from what the providers read: they stay ciphertext.
        ok(await stack.refresh(), "refresh");
        const refreshed = await stack.exportState();
        expect(JSON.stringify(refreshed.deployment.resources), "the secrets in plain text after refresh")
            .to.not.contain(SECRET_TAG)
            .and.not.contain(SECRET_ROLE);
        const [after] = resourcesOfType(refreshed, IMPORTED_MODEL_TYPE);
        expect(isCiphertext(after.outputs?.["tags"]), "model outputs.tags after refresh").to.equal(true);
    });

    it(
        "Day 2: a value deployed plain, then set with --secret: up replaces and re-imports nothing, and state holds " +
            "it as ciphertext",
        async () => {
            stack.models[0].tags = { team: SECRET_TAG };
            ok(await stack.up(), "up with the plain value");
            expect(
                JSON.stringify((await stack.exportState()).deployment.resources),
                "the plain value is in state",
            ).to.contain(SECRET_TAG);

            ok(
                await stack.cli(["config", "set", "--secret", "--path", `${NS}:models[0].tags.team`, SECRET_TAG]),
                "config set --secret",
            );
            stack.frozen = true;
            const up = ok(await stack.up(), "up after the value became secret");
            expect(up.output).to.not.match(/replac/i);
            expect(stack.bedrock.jobsCreated, "import jobs").to.equal(1);

            const state = await stack.exportState();
            expect(JSON.stringify(state.deployment.resources), "the secret tag in plain text in state").to.not.contain(
                SECRET_TAG,
            );
            const [model] = resourcesOfType(state, IMPORTED_MODEL_TYPE);
            expect(isCiphertext(model.inputs?.["tags"]), "model inputs.tags").to.equal(true);
            expect(isCiphertext(model.outputs?.["tags"]), "model outputs.tags").to.equal(true);
        },
    );
});
