// The import sweeper's provider (destroy's last step in the hosting account) against the in-memory Bedrock, on a
// virtual clock: it finds the stack's imports by their deterministic job names, waits for a running one, and deletes
// the models this stack owns; the engine suite (tests/engine/recovery.engine.ts) shows it after a killed `up`.
import { expect } from "chai";
import { createImportSweeperProvider, type ImportSweeperInputs } from "../../components/dynamic/importSweeper";
import { FakeBedrock } from "../fakes/bedrock";
import { bedrockSender } from "../fakes/bedrockSdk";
import { rejection } from "../helpers/rejection";

const OWNER = "bedrock-cross-account-import/dev";
const PREFIX = "mistral-01-a1b2c3-0123456789";

describe("ImportSweeper provider (in-memory Bedrock, virtual clock)", () => {
    let fake: FakeBedrock;
    let t: number;
    const sweeper = () => {
        const sender = bedrockSender(fake);
        return createImportSweeperProvider({
            now: () => t,
            sleep: async (ms) => {
                t += ms;
            },
            random: () => 0.5,
            clients: () => ({ bedrock: sender, sts: sender }),
        });
    };
    const inputs = (overrides: Partial<ImportSweeperInputs> = {}): ImportSweeperInputs => ({
        accountId: fake.accountId,
        region: "us-east-1",
        owner: OWNER,
        jobPrefixes: [PREFIX],
        timeoutMinutes: 30,
        pollIntervalSeconds: 5,
        ...overrides,
    });
    const seed = (attempt: number, status: "InProgress" | "Completed" | "Failed", owner = OWNER) =>
        fake.seedJob({
            jobName: `${PREFIX}-${attempt}`,
            importedModelName: `mistral-01-v${attempt}`,
            status,
            importedModelTags: { "bedrock-cmi:owner": owner },
        });

    beforeEach(() => {
        t = 1_000_000;
        fake = new FakeBedrock({ now: () => t });
    });

    it("destroy waits for the import an interrupted up left running, then deletes its model", async () => {
        seed(1, "InProgress");
        fake.jobScript = { durationMs: 12 * 60_000 };
        const provider = sweeper();
        const { id, outs } = await provider.create(inputs());
        await provider.delete(id, outs);
        expect(fake.jobs.get(`${PREFIX}-1`)!.status).to.equal("Completed");
        expect(fake.models.size).to.equal(0);
        expect(fake.calls.DeleteImportedModel).to.equal(1);
    });

    it("every attempt is looked at: a failed first attempt, a completed second whose model is left", async () => {
        seed(1, "Failed");
        seed(2, "Completed");
        const provider = sweeper();
        const { id, outs } = await provider.create(inputs());
        await provider.delete(id, outs);
        expect(fake.models.size).to.equal(0);
        expect(fake.calls.GetModelImportJob, "attempts 1, 2 and the absent 3").to.equal(3);
    });

    it("a model another stack owns, or nobody, is left in place", async () => {
        seed(1, "Completed", "bedrock-cross-account-import/prod");
        const provider = sweeper();
        const { id, outs } = await provider.create(inputs());
        await provider.delete(id, outs);
        expect(fake.models.size).to.equal(1);
        expect(fake.calls.DeleteImportedModel).to.equal(0);
    });

    it("nothing of the stack's left: no writes", async () => {
        const provider = sweeper();
        const { id, outs } = await provider.create(inputs());
        await provider.delete(id, outs);
        expect(fake.calls.DeleteImportedModel + fake.calls.TagResource + fake.calls.CreateModelImportJob).to.equal(0);
    });

    it("a job still running at the deadline: destroy fails and says to run it again", async () => {
        seed(1, "InProgress");
        fake.jobScript = { polls: 1_000_000 };
        const provider = sweeper();
        const { id, outs } = await provider.create(inputs({ timeoutMinutes: 1 }));
        const err = await rejection<Error>(provider.delete(id, outs));
        expect(err.message).to.contain(`${PREFIX}-1`).and.contain('Run "pulumi destroy" again');
    });

    it("keeps earlier prefixes until destroy; only a new prefix or setting is a change, and never a replace", async () => {
        const provider = sweeper();
        const { id, outs } = await provider.create(inputs());
        const rollout = inputs({ jobPrefixes: ["mistral-01-ffffff-9876543210"] });
        expect(await provider.diff(id, outs, rollout)).to.deep.equal({
            changes: true,
            replaces: [],
            deleteBeforeReplace: false,
        });
        const updated = (await provider.update(id, outs, rollout)).outs;
        expect(updated.jobPrefixes).to.deep.equal(["mistral-01-ffffff-9876543210", PREFIX]);
        // The rollout's own prefix only: no change (the earlier one stays recorded).
        expect((await provider.diff(id, updated, rollout)).changes).to.equal(false);
        expect((await provider.diff(id, updated, { ...rollout, accountId: "111122223333" })).replaces).to.deep.equal(
            [],
        );
        expect(
            ((await provider.check(inputs(), inputs({ jobPrefixes: [""] }))).failures ?? []).map((f) => f.property),
        ).to.deep.equal(["jobPrefixes"]);
    });
});
