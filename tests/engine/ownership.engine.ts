// Ownership names the deployment, on the real engine: a stack deployed by the release before (owner and Sid prefix from
// project and stack only) migrates on its next `up`, and two same-named stacks in other hosting accounts share the
// research bucket without touching each other's statements. The research team's statement stays byte-identical.
import { expect } from "chai";
import { BUCKET, DEV_ACCOUNT, EngineStack, findPulumi, HOSTING_ACCOUNT, Moto, ok } from "./harness";

const RESEARCH_STATEMENT = {
    Sid: "ResearchTeamReadOnly",
    Effect: "Allow",
    Principal: { AWS: `arn:aws:iam::${DEV_ACCOUNT}:root` },
    Action: "s3:GetObject",
    Resource: `arn:aws:s3:::${BUCKET}/research/*`,
};

interface Statement {
    Sid: string;
}

describe("the real Pulumi engine: ownership names the deployment", function () {
    this.timeout(300_000);
    const moto = new Moto();
    let pulumiBin: string;
    const stacks: EngineStack[] = [];

    before(async () => {
        pulumiBin = findPulumi();
        await moto.start();
    });
    after(() => moto.stop());
    afterEach(async () => {
        for (const s of stacks.splice(0)) await s.stop();
    });

    async function started(hostingAccount = HOSTING_ACCOUNT, shared = false): Promise<EngineStack> {
        const stack = new EngineStack(moto, pulumiBin, "prod", hostingAccount);
        stacks.push(stack);
        await stack.start({ shared });
        return stack;
    }

    async function statements(stack: EngineStack): Promise<{ sids: string[]; research: string }> {
        const doc = JSON.parse((await stack.bucketPolicy())!) as { Statement: Statement[] };
        const research = doc.Statement.find((s) => s.Sid === RESEARCH_STATEMENT.Sid);
        return {
            sids: doc.Statement.map((s) => s.Sid).filter((sid) => sid !== RESEARCH_STATEMENT.Sid),
            research: JSON.stringify(research),
        };
    }

    const ownerTag = (stack: EngineStack) => [...stack.bedrock.models.values()].map((m) => m.tags["bedrock-cmi:owner"]);

    it(
        "a stack of the release before migrates on its next up: statements under the new prefix, none lost or left, " +
            "the model kept and retagged",
        async () => {
            const stack = await started();
            await stack.putBucketPolicy({ Version: "2012-10-17", Statement: [RESEARCH_STATEMENT] });
            stack.rawConfig = { "engine-test:legacyNames": true };
            ok(await stack.up(), "up with the names of the release before");
            const before = await statements(stack);
            const [model] = [...stack.bedrock.models.values()];
            expect(ownerTag(stack)).to.deep.equal(["bedrock-cross-account-import/prod"]);

            stack.rawConfig = {};
            const migrated = ok(await stack.up(), "up with this release");
            // The aliases carry the stack-named logical names over: the model and the sweeper are neither created nor
            // deleted.
            expect(migrated.stdout).to.not.match(
                /^\s*[+-]\s+pulumi-nodejs:dynamic\/bedrock:(ImportedModel|ImportSweeper)/m,
            );
            const after = await statements(stack);
            expect(after.research, "the research team's statement is byte-identical").to.equal(before.research);
            expect(after.sids).to.have.length(before.sids.length);
            expect(
                after.sids.filter((sid) => before.sids.includes(sid)),
                "no statement under the old prefix is left",
            ).to.deep.equal([]);
            const strip = (sids: string[]) => sids.map((sid) => sid.replace(/^BedrockCmi[0-9a-f]{8}Prod/, "")).sort();
            expect(strip(after.sids), "the same statements, under the new prefix").to.deep.equal(strip(before.sids));
            expect(
                [...stack.bedrock.models.values()].map((m) => m.modelArn),
                "the model is kept",
            ).to.deep.equal([model.modelArn]);
            expect(stack.bedrock.jobsCreated).to.equal(1);
            expect(ownerTag(stack)).to.deep.equal([`bedrock-cross-account-import/prod@${HOSTING_ACCOUNT}`]);
            ok(await stack.refresh("--expect-no-changes"), "refresh --expect-no-changes");
            ok(await stack.up("--expect-no-changes"), "up --expect-no-changes");
        },
    );

    it("pulumi stack rename replaces no model: the owner follows the rename, the statements move to the new prefix", async () => {
        const stack = await started();
        await stack.putBucketPolicy({ Version: "2012-10-17", Statement: [RESEARCH_STATEMENT] });
        ok(await stack.up(), "up");
        const before = await statements(stack);
        const [model] = [...stack.bedrock.models.values()];
        ok(await stack.cli(["stack", "rename", "prod-eu"]), "pulumi stack rename");
        const renamed = stack.renamed("prod-eu");
        const out = ok(await renamed.up(), "up after the rename");
        expect(out.stdout).to.not.match(
            /^\s*[+-]{1,2}\s+pulumi-nodejs:dynamic\/bedrock:(ImportedModel|ImportSweeper)/m,
        );
        expect(
            [...stack.bedrock.models.values()].map((m) => m.modelArn),
            "the model is kept",
        ).to.deep.equal([model.modelArn]);
        expect(stack.bedrock.jobsCreated + stack.bedrock.calls.DeleteImportedModel).to.equal(1);
        expect(ownerTag(stack)).to.deep.equal([`bedrock-cross-account-import/prod-eu@${HOSTING_ACCOUNT}`]);
        const after = await statements(stack);
        expect(after.research).to.equal(before.research);
        expect(
            after.sids.every((sid) => /^BedrockCmi[0-9a-f]{8}ProdEu/.test(sid)),
            after.sids.join(", "),
        ).to.equal(true);
        expect(after.sids).to.have.length(before.sids.length);
        ok(await renamed.refresh("--expect-no-changes"), "refresh --expect-no-changes");
    });

    it(
        "two prod stacks in other hosting accounts share the bucket: neither's up or destroy touches the other's " +
            "statements",
        async () => {
            const a = await started(HOSTING_ACCOUNT);
            const b = await started("444455556666", true);
            await a.putBucketPolicy({ Version: "2012-10-17", Statement: [RESEARCH_STATEMENT] });
            ok(await a.up(), "team A's up");
            const afterA = await statements(a);
            ok(await b.up(), "team B's up");
            const both = await statements(a);
            const ofB = both.sids.filter((sid) => !afterA.sids.includes(sid));
            expect(ofB, "B adds its own statements next to A's").to.have.length(afterA.sids.length);
            expect(both.sids).to.include.members(afterA.sids);

            ok(await a.destroy(), "team A's destroy");
            const left = await statements(a);
            expect(left.sids, "B's statements, and only they, are left").to.deep.equal(ofB);
            expect(left.research).to.equal(afterA.research);
            expect(b.bedrock.models.size, "B's model is untouched").to.equal(1);
            ok(await b.refresh("--expect-no-changes"), "team B's refresh --expect-no-changes");
        },
    );
});
