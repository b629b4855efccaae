// A new model version, driven through the provider in the order the Pulumi engine runs a replacement that is not
// delete-first: create the new model, update the resources that depend on it (the SSM pointer callers read), and
// delete the old model last. At every step the pointer must name a model that exists. The same check over the
// delete-first order (what the provider asked for before versioned names) shows the gap it closes.

import { expect } from "chai";
import {
    importedModelProvider,
    type ImportedModelInputs,
    type ImportedModelOutputs,
} from "../../components/dynamic/importedModel";
import { LEGACY_STACK_KEY, versionedModelName } from "../../components/naming";
import { fakeErrors } from "../fakes/bedrock";
import { BedrockStub } from "../fakes/bedrockStub";
import { setEnv } from "../fakes/awsStub";
import { RuntimeStub, runtimeErrors } from "../fakes/runtimeStub";

const ACCOUNT = "777788889999";
const BASE = "mistral-prod-01";

function version(prefix: string): ImportedModelInputs {
    const s3Uri = `s3://model-artifacts-111122223333/${prefix}`;
    return {
        accountId: ACCOUNT,
        region: "us-east-1",
        modelName: versionedModelName(BASE, { s3Uri, modelKey: "aws-owned" }),
        baseName: BASE,
        roleArn: `arn:aws:iam::${ACCOUNT}:role/BedrockCMIExecutionRole-prod`,
        s3Uri,
        owner: "bedrock-cross-account-import/prod",
        tags: { team: "hosting" },
        pollIntervalSeconds: 0.001,
        timeoutMinutes: 1,
    };
}

describe("rollout of a new model version (engine order, local Bedrock stub)", function () {
    this.timeout(20_000);
    let stub: BedrockStub;
    let runtime: RuntimeStub;
    let restoreEnv: () => void;

    beforeEach(async () => {
        stub = new BedrockStub({ accountId: ACCOUNT });
        stub.jobScript = { polls: 1 };
        await stub.start();
        runtime = new RuntimeStub(stub);
        await runtime.start();
        restoreEnv = setEnv({
            AWS_ENDPOINT_URL_BEDROCK_RUNTIME: runtime.url,
            AWS_ENDPOINT_URL_BEDROCK: stub.url,
            AWS_ENDPOINT_URL_SERVICE_QUOTAS: stub.url,
            AWS_ENDPOINT_URL_STS: stub.url,
            AWS_ACCESS_KEY_ID: "AKIDHOSTING",
            AWS_SECRET_ACCESS_KEY: "hosting-secret",
            AWS_SESSION_TOKEN: undefined,
            AWS_PROFILE: undefined,
            AWS_REGION: undefined,
            AWS_ENDPOINT_URL: undefined,
            AWS_EC2_METADATA_DISABLED: "true",
        });
    });

    afterEach(async () => {
        restoreEnv();
        await stub.stop();
        await runtime.stop();
    });

    const live = (arn: string | undefined) =>
        arn !== undefined && [...stub.models.values()].some((m) => m.modelArn === arn);

    it(
        "new artifacts: the new version is created next to the old one, the pointer moves, the old one goes last; " +
            "the pointer always names a live model",
        async () => {
            const v1 = await importedModelProvider.create(version("fine-tunes/2026-11-01/"));
            let pointer = v1.outs.modelArn;
            const steps: Array<[string, boolean]> = [["v1 deployed", live(pointer)]];

            const next = version("fine-tunes/2026-11-25/");
            const diff = await importedModelProvider.diff(v1.id, v1.outs, next);
            expect(diff.replaces).to.include("s3Uri");
            expect(diff.deleteBeforeReplace, "a new version must not be delete-first").to.equal(false);

            // 1. create the replacement (the engine does this first when deleteBeforeReplace is false)
            const v2 = await importedModelProvider.create(next);
            steps.push(["v2 created, pointer still on v1", live(pointer)]);
            expect(stub.models.size).to.equal(2);
            // 2. update dependents: the SSM parameter takes the new ARN
            pointer = v2.outs.modelArn;
            steps.push(["pointer moved to v2", live(pointer)]);
            // 3. delete the replaced resource last
            await importedModelProvider.delete(v1.id, v1.outs as ImportedModelOutputs);
            steps.push(["v1 deleted", live(pointer)]);

            expect(steps.filter(([, ok]) => !ok).map(([step]) => step)).to.deep.equal([]);
            expect([...stub.models.keys()]).to.deep.equal([next.modelName]);
            expect(stub.jobsCreated).to.equal(2);
        },
    );

    it("rollback is a config revert: the old artifacts come back as a new import, again new first", async () => {
        const v1 = await importedModelProvider.create(version("fine-tunes/2026-11-01/"));
        const v2 = await importedModelProvider.create(version("fine-tunes/2026-11-25/"));
        await importedModelProvider.delete(v1.id, v1.outs);
        // Revert s3Prefix: the same versioned name as v1 (same import identity), a new job attempt, created before v2
        // goes.
        const back = version("fine-tunes/2026-11-01/");
        expect(back.modelName).to.equal(v1.outs.modelName);
        const diff = await importedModelProvider.diff(v2.id, v2.outs, back);
        expect(diff.deleteBeforeReplace).to.equal(false);
        const v3 = await importedModelProvider.create(back);
        expect(live(v3.outs.modelArn) && live(v2.outs.modelArn)).to.equal(true);
        await importedModelProvider.delete(v2.id, v2.outs);
        expect([...stub.models.keys()]).to.deep.equal([back.modelName]);
    });

    describe("a new hosting key (replaced, or recreated after it was scheduled for deletion)", () => {
        const PREFIX = "fine-tunes/2026-11-01/";
        const KEY_1 = `arn:aws:kms:us-east-1:${ACCOUNT}:key/11111111-1111-1111-1111-111111111111`;
        const KEY_2 = `arn:aws:kms:us-east-1:${ACCOUNT}:key/22222222-2222-2222-2222-222222222222`;
        const keyed = (kmsKeyArn: string, modelKey = kmsKeyArn): ImportedModelInputs => {
            const inputs = version(PREFIX);
            return { ...inputs, kmsKeyArn, modelName: versionedModelName(BASE, { s3Uri: inputs.s3Uri, modelKey }) };
        };

        it(
            "the name follows the key: the re-import is created next to the old model, the pointer moves, the old " +
                "one goes last",
            async () => {
                const v1 = await importedModelProvider.create(keyed(KEY_1));
                let pointer = v1.outs.modelArn;
                const next = keyed(KEY_2);
                expect(next.modelName).not.to.equal(v1.outs.modelName);
                const diff = await importedModelProvider.diff(v1.id, v1.outs, next);
                expect(diff.replaces).to.include("kmsKeyArn");
                expect(diff.deleteBeforeReplace, "a new key must not be delete-first").to.equal(false);

                const steps: Array<[string, boolean]> = [["v1 deployed", live(pointer)]];
                const v2 = await importedModelProvider.create(next);
                steps.push(["v2 created under the new key, pointer still on v1", live(pointer)]);
                pointer = v2.outs.modelArn;
                steps.push(["pointer moved to v2", live(pointer)]);
                await importedModelProvider.delete(v1.id, v1.outs);
                steps.push(["v1 deleted", live(pointer)]);
                expect(steps.filter(([, ok]) => !ok).map(([step]) => step)).to.deep.equal([]);
                expect([...stub.models.values()].map((m) => m.modelKmsKeyArn)).to.deep.equal([KEY_2]);
            },
        );

        it("with a constant for the key in the name (as before), the same replacement was delete-first", async () => {
            const v1 = await importedModelProvider.create(keyed(KEY_1, LEGACY_STACK_KEY));
            const diff = await importedModelProvider.diff(v1.id, v1.outs, keyed(KEY_2, LEGACY_STACK_KEY));
            expect(diff.deleteBeforeReplace).to.equal(true);
        });
    });

    it("the delete-first order (same name, no version) leaves the pointer on a deleted model for the whole import", async () => {
        const unversioned = (prefix: string) => ({ ...version(prefix), modelName: BASE, baseName: undefined });
        const v1 = await importedModelProvider.create(unversioned("fine-tunes/2026-11-01/"));
        const pointer = v1.outs.modelArn;
        const diff = await importedModelProvider.diff(v1.id, v1.outs, unversioned("fine-tunes/2026-11-25/"));
        expect(diff.deleteBeforeReplace).to.equal(true);
        await importedModelProvider.delete(v1.id, v1.outs);
        expect(live(pointer), "downtime: the pointer names no model until the new import completes").to.equal(false);
    });

    // The engine's order after a rollout that failed once the new model existed (pkg v3.248 CreateStep.Apply): the old
    // entry is pending deletion as soon as the replacement's create returns, and pending deletes run at the end of the
    // next successful up. The revert's create adopts the old model by its deterministic job name.
    describe("rollback after a failed rollout (the old entry pending deletion)", () => {
        const V1 = "fine-tunes/2026-11-01/";
        const V2 = "fine-tunes/2026-11-25/";
        type Failure = Error & { id?: string; properties?: ImportedModelOutputs };
        const failures: Record<string, (inputs: ImportedModelInputs) => ImportedModelInputs> = {
            "the smoke test fails for good": (inputs) => {
                runtime.queued.push(runtimeErrors.malformed());
                return { ...inputs, smokeTest: { maxTokens: 8 } };
            },
            "the import outlives timeoutMinutes": (inputs) => {
                stub.scriptFor = (job) =>
                    job.startsWith(inputs.modelName.replace(/_/g, "-")) ? { polls: 1_000_000 } : undefined;
                return { ...inputs, timeoutMinutes: 0.002 };
            },
            "the tag step fails": (inputs) => {
                stub.inject("ListTagsForResource", fakeErrors.accessDenied());
                return inputs;
            },
        };

        async function failedRollout(fail: (inputs: ImportedModelInputs) => ImportedModelInputs) {
            const v1 = await importedModelProvider.create(version(V1));
            const err = (await importedModelProvider.create(fail(version(V2))).catch((e: unknown) => e)) as Failure;
            expect(err.properties, `the failed create keeps an entry: ${err.message}`).to.be.an("object");
            stub.scriptFor = () => undefined;
            return { v1, v2: { id: err.id!, outs: err.properties! } };
        }

        for (const [how, fail] of Object.entries(failures)) {
            it(
                `${how}, then the revert: v1 keeps serving, v2 is deleted, the pending delete of v1's old entry ` +
                    `leaves it`,
                async () => {
                    const { v1, v2 } = await failedRollout(fail);
                    const v3 = await importedModelProvider.create(version(V1));
                    expect(v3.outs.modelArn, "the revert adopts v1").to.equal(v1.outs.modelArn);
                    await importedModelProvider.delete(v2.id, v2.outs);
                    await importedModelProvider.delete(v1.id, v1.outs);
                    expect([...stub.models.keys()]).to.deep.equal([v1.outs.modelName]);
                    expect(live(v3.outs.modelArn), "the pointer (v3's modelArn) names a live model").to.equal(true);
                    expect(stub.jobsCreated, "no import of v1 again").to.equal(2);
                    // The entry that holds it now still deletes it (destroy).
                    await importedModelProvider.delete(v3.id, v3.outs);
                    expect(stub.models.size).to.equal(0);
                },
            );

            it(`${how}, then up again after the fix: v2 goes live, the pending delete removes v1`, async () => {
                const { v1, v2 } = await failedRollout(fail);
                const fixed = version(V2);
                const { outs } = await importedModelProvider.update(
                    v2.id,
                    v2.outs,
                    v2.outs.smokeTest ? { ...fixed, smokeTest: v2.outs.smokeTest } : fixed,
                );
                await importedModelProvider.delete(v1.id, v1.outs);
                expect([...stub.models.keys()]).to.deep.equal([fixed.modelName]);
                expect(live(outs.modelArn)).to.equal(true);
            });
        }

        it("state written before entry tokens: the revert's adoption still fences the old entry's delete", async () => {
            const { v1, v2 } = await failedRollout(failures["the smoke test fails for good"]);
            const legacy = { ...v1.outs };
            delete legacy.entryToken;
            await importedModelProvider.create(version(V1));
            await importedModelProvider.delete(v2.id, v2.outs);
            await importedModelProvider.delete(v1.id, legacy);
            expect([...stub.models.keys()]).to.deep.equal([v1.outs.modelName]);
        });

        it("the entry tag is the provider's: outputs show the user's tags only, and each entry has its own token", async () => {
            const { v1, v2 } = await failedRollout(failures["the smoke test fails for good"]);
            expect(v1.outs.tags).to.deep.equal({ team: "hosting" });
            expect(v1.outs.entryToken).to.be.a("string").and.not.equal(v2.outs.entryToken);
            expect(stub.models.get(v1.outs.modelName)!.tags["bedrock-cmi:entry"]).to.equal(v1.outs.entryToken);
        });
    });

    describe("smoke test before the model goes live", () => {
        it("not ready twice, then an answer: the outputs say when, how long and how many retries, with the reply", async () => {
            runtime.queued.push(runtimeErrors.notReady(), runtimeErrors.notReady());
            const { outs } = await importedModelProvider.create({
                ...version("fine-tunes/2026-11-25/"),
                smokeTest: { maxTokens: 16 },
            });
            expect(outs.smokeTestNotReadyRetries).to.equal(2);
            expect(outs.smokeTestReply).to.equal(` Hello from ${version("fine-tunes/2026-11-25/").modelName}`);
            expect(outs.smokeTestPassedAt).to.match(/^\d{4}-/);
            expect(outs.smokeTestSecondsToFirstAnswer).to.be.a("number");
            expect(runtime.invocations).to.equal(3);
        });

        it(
            "a failed smoke test keeps the model in state (old version stays live); the next up repeats only the " +
                "smoke test",
            async () => {
                runtime.queued.push(runtimeErrors.malformed());
                const inputs = { ...version("fine-tunes/2026-11-25/"), smokeTest: { maxTokens: 16 } };
                const err = (await importedModelProvider.create(inputs).catch((e: unknown) => e)) as Error & {
                    id?: string;
                    properties?: ImportedModelOutputs;
                };
                expect(err.message).to.contain("smoke test").and.contain("ValidationException");
                expect(err.id).to.equal(inputs.modelName);
                expect(err.properties?.modelArn).to.equal(stub.models.get(inputs.modelName)!.modelArn);
                expect(err.properties?.smokeTestPassedAt).to.equal(undefined);
                const diff = await importedModelProvider.diff(err.id!, err.properties!, inputs);
                expect(diff).to.deep.include({ changes: true, replaces: [] });
                const { outs } = await importedModelProvider.update(err.id!, err.properties!, inputs);
                expect(outs.smokeTestPassedAt).to.be.a("string");
                expect(stub.jobsCreated, "no second import").to.equal(1);
                expect(runtime.invocations).to.equal(2);
                // Passed once: further updates do not invoke (and bill) the model again.
                await importedModelProvider.update(err.id!, outs, { ...inputs, tags: { team: "serving" } });
                expect(runtime.invocations).to.equal(2);
            },
        );

        it("a refresh keeps the passed smoke test: the next up does not invoke the model again", async () => {
            const inputs = { ...version("fine-tunes/2026-11-25/"), smokeTest: { maxTokens: 16 } };
            const { id, outs } = await importedModelProvider.create(inputs);
            const refreshed = await importedModelProvider.read(id, outs);
            expect(refreshed.props).to.deep.equal(outs);
            expect((await importedModelProvider.diff(id, refreshed.props!, inputs)).changes).to.equal(false);
        });

        it("no room for the new version: fails before the import starts, the old version untouched", async () => {
            stub.importedModelsQuota = 1;
            const v1 = await importedModelProvider.create(version("fine-tunes/2026-11-01/"));
            const err = (await importedModelProvider
                .create(version("fine-tunes/2026-11-25/"))
                .catch((e: unknown) => e)) as Error;
            expect(err.message).to.contain("no import was started").and.contain(v1.outs.modelName);
            expect(stub.jobsCreated).to.equal(1);
            expect(live(v1.outs.modelArn)).to.equal(true);
        });
    });
});
