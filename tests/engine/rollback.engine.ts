// A rollout that fails after the new model exists, then the README's rollback (the old s3Prefix back) or a plain `up`
// after the fix, on the real engine. What decides the outcome is the engine's: when the replacement's create fails,
// the old model's entry is already pending deletion (pkg v3.248 CreateStep.Apply), and the revert's create adopts that
// same model by its job name. Each scenario checks that the serving model survives, the failed version goes, and
// state, outputs and Bedrock agree (refresh --expect-no-changes).
import { expect } from "chai";
import { runtimeErrors } from "../fakes/runtimeStub";
import { fakeErrors } from "../fakes/bedrock";
import { EngineStack, findPulumi, IMPORTED_MODEL_TYPE, Moto, resourcesOfType, ok } from "./harness";

const V1 = "mistral-model-weights/";
const V2 = "mistral-model-weights-v2/";

/** How the rollout to V2 fails, and what "the cause is fixed" means for it. */
interface Failure {
    /** Sets the failure up before the rollout's `up`. */
    arrange(stack: EngineStack): void;
    /** What the failed `up` prints. */
    says: RegExp;
    /** Removes the cause (the job finishes, the model answers, the tag call works). */
    fix(stack: EngineStack): void;
}

const FAILURES: Record<string, Failure> = {
    "its smoke test fails for good": {
        arrange: (stack) => {
            stack.models[0].smokeTest = { maxTokens: 8 };
            for (let i = 0; i < 20; i++) stack.runtime.queued.push(runtimeErrors.malformed());
        },
        says: /smoke test/i,
        fix: (stack) => {
            stack.runtime.queued.length = 0;
        },
    },
    "its import outlives timeoutMinutes": {
        arrange: (stack) => {
            stack.timeoutMinutes = 0.05;
            stack.bedrock.jobScript = { polls: 1_000_000 };
        },
        says: /still InProgress/,
        fix: (stack) => {
            stack.timeoutMinutes = 1;
            stack.bedrock.jobScript = { polls: 1 };
        },
    },
    "its tag step fails": {
        arrange: (stack) => {
            stack.bedrock.inject("ListTagsForResource", fakeErrors.accessDenied());
        },
        says: /AccessDenied/,
        // The injected error answers once.
        fix: () => undefined,
    },
};

interface Live {
    name: string;
    arn: string;
}

describe("the real Pulumi engine: a failed rollout, then the rollback or the fix", function () {
    this.timeout(300_000);
    const moto = new Moto();
    let pulumiBin: string;
    let stack: EngineStack;

    before(async () => {
        pulumiBin = findPulumi();
        await moto.start();
    });
    after(() => moto.stop());
    beforeEach(async () => {
        stack = new EngineStack(moto, pulumiBin);
        await stack.start();
    });
    afterEach(async function () {
        if (this.currentTest?.state === "failed")
            console.error(`stub log: ${stack.bedrock.log.map((e) => `${e.op}:${e.outcome}`).join(", ")}`);
        await stack.stop();
    });

    const liveModels = (): Live[] =>
        [...stack.bedrock.models.values()].map((m) => ({ name: m.modelName, arn: m.modelArn }));

    async function outputArns(): Promise<string[]> {
        const out = ok(await stack.cli(["stack", "output", "--json"]), "stack output");
        return (JSON.parse(out.stdout) as { modelArns: string[] }).modelArns;
    }

    /** v1 serves; the rollout to V2 fails after (or while) the new model is imported. */
    async function failedRollout(failure: Failure): Promise<Live> {
        ok(await stack.up(), "up (v1)");
        const [v1] = liveModels();
        failure.arrange(stack);
        stack.models[0].s3Prefix = V2;
        const out = await stack.up();
        expect(out.code, `the rollout should fail:\n${out.output}`).to.not.equal(0);
        expect(out.output).to.match(failure.says);
        return v1;
    }

    /** State, outputs and Bedrock agree, and a refresh finds nothing to change. */
    async function settled(serving: Live): Promise<void> {
        expect(liveModels(), "only the serving model is left").to.deep.equal([serving]);
        expect(await outputArns(), "the outputs (and the pointer fed from them) name the live model").to.deep.equal([
            serving.arn,
        ]);
        const models = resourcesOfType(await stack.exportState(), IMPORTED_MODEL_TYPE);
        expect(models.map((r) => r.outputs?.modelArn)).to.deep.equal([serving.arn]);
        ok(await stack.refresh("--expect-no-changes"), "refresh --expect-no-changes");
    }

    for (const [how, failure] of Object.entries(FAILURES)) {
        it(`the rollout fails (${how}), the old prefix goes back: up keeps v1 serving and deletes v2`, async () => {
            const v1 = await failedRollout(failure);
            failure.fix(stack);
            stack.models[0].s3Prefix = V1;
            delete stack.models[0].smokeTest;
            const out = ok(await stack.up(), "up with the old prefix back");
            expect(out.output).to.contain("not deleted: another resource of this stack holds it now");
            expect(stack.bedrock.jobsCreated, "v1 is adopted, not imported again").to.equal(2);
            await settled(v1);
        });
    }

    it(
        "the rollout fails (its smoke test fails for good), the cause is fixed, up again: v2 goes live and v1 is " +
            "deleted",
        async () => {
            const failure = FAILURES["its smoke test fails for good"];
            const v1 = await failedRollout(failure);
            failure.fix(stack);
            ok(await stack.up(), "up after the fix");
            const [v2] = liveModels();
            expect(v2.name).to.not.equal(v1.name);
            expect(
                stack.bedrock.jobsCreated,
                "the failed version's model is kept and tested again, not imported again",
            ).to.equal(2);
            await settled(v2);
        },
    );

    it(
        "the rollout fails (its import outlives timeoutMinutes), up again once the job is done: v2 goes live and v1 " +
            "is deleted",
        async () => {
            const failure = FAILURES["its import outlives timeoutMinutes"];
            const v1 = await failedRollout(failure);
            failure.fix(stack);
            ok(await stack.up(), "up after the job finished");
            const [v2] = liveModels();
            expect(v2.name).to.not.equal(v1.name);
            expect(stack.bedrock.jobsCreated).to.equal(2);
            await settled(v2);
        },
    );
});
