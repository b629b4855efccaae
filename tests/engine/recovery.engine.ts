// `destroy` after an `up` that was killed while it waited for an import, on the real engine. The killed `up` leaves
// the model's create pending in state while Bedrock's job keeps running; whichever way the user recovers, `destroy`
// must not leave a model behind that no stack's state holds (it would be billed for storage until someone notices).
import { expect } from "chai";
import { EngineStack, findPulumi, IMPORTED_MODEL_TYPE, Moto, resourcesOfType, ok } from "./harness";

describe("the real Pulumi engine: destroy after an up killed while it waited", function () {
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
        stack.timeoutMinutes = 10;
        stack.bedrock.jobScript = { polls: 1_000_000 };
        await stack.killUpWhileWaiting();
        // The job runs on after the CLI is gone, and completes a few polls into whatever comes next.
        stack.bedrock.jobScript = { polls: 1 };
    });
    afterEach(async function () {
        if (this.currentTest?.state === "failed")
            console.error(`stub log: ${stack.bedrock.log.map((e) => `${e.op}:${e.outcome}`).join(", ")}`);
        await stack.stop();
    });

    /** Nothing left in Bedrock that a job of this stack produced, and no job still running. */
    function nothingLeft(): void {
        expect(
            [...stack.bedrock.jobs.values()].filter((j) => j.status === "InProgress").map((j) => j.jobName),
            "jobs still running",
        ).to.deep.equal([]);
        expect([...stack.bedrock.models.keys()], "models left in Bedrock").to.deep.equal([]);
    }

    it("pulumi cancel, refresh --clear-pending-creates, destroy: destroy waits for the job and deletes its model", async () => {
        ok(await stack.cli(["cancel", "--yes"]), "pulumi cancel");
        ok(await stack.refresh("--clear-pending-creates"), "refresh --clear-pending-creates");
        expect(
            resourcesOfType(await stack.exportState(), IMPORTED_MODEL_TYPE),
            "the pending create is gone from state",
        ).to.deep.equal([]);
        const out = ok(await stack.destroy(), "destroy");
        expect(out.output).to.contain("imported by a job no state entry held");
        nothingLeft();
        expect(stack.bedrock.calls.DeleteImportedModel).to.equal(1);
    });

    it("pulumi cancel, then destroy right away: the same", async () => {
        ok(await stack.cli(["cancel", "--yes"]), "pulumi cancel");
        ok(await stack.destroy(), "destroy");
        nothingLeft();
    });
});
