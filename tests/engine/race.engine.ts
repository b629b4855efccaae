// Statements survive concurrent writers, on the real engine: two stacks of this program run `up` at the same time
// against one moto bucket, then one stack `destroy`s while the other `up`s, three rounds. One writer (stack A) is
// held between its read of the bucket policy and its write (a test-only hold in the provider, see
// TEST_WRITE_DELAY_ENV); the other stack starts once A is held, so its whole converge falls in A's window. Without
// the lease A's write drops B's statements (up) or brings back the statements B just removed (destroy).
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { TEST_WRITE_DELAY_ENV, TEST_WRITE_MARKER_ENV } from "../../components/dynamic/bucketPolicyStatements/provider";
import {
    BUCKET,
    DEV_ACCOUNT,
    EngineStack,
    findPulumi,
    HOSTING_ACCOUNT,
    Moto,
    resourcesOfType,
    STATEMENTS_TYPE,
    type CliResult,
    ok,
} from "./harness";

const HOLD_MS = 20_000;

const RESEARCH_STATEMENT = {
    Sid: "ResearchTeamReadOnly",
    Effect: "Allow",
    Principal: { AWS: `arn:aws:iam::${DEV_ACCOUNT}:root` },
    Action: "s3:GetObject",
    Resource: `arn:aws:s3:::${BUCKET}/research/*`,
};

/** A stack whose provider holds each bucket-policy write for HOLD_MS and marks the start of each hold in a file. */
class HeldStack extends EngineStack {
    readonly marker = path.join(this.root, "policy-write-holds");

    env(): NodeJS.ProcessEnv {
        return { ...super.env(), [TEST_WRITE_DELAY_ENV]: String(HOLD_MS), [TEST_WRITE_MARKER_ENV]: this.marker };
    }

    holds(): number {
        return fs.existsSync(this.marker) ? fs.readFileSync(this.marker, "utf8").split("\n").filter(Boolean).length : 0;
    }
}

/** Polls until `condition` holds (a bounded wait for that condition), failing after `ms`. */
async function until(condition: () => boolean, ms: number, what: string): Promise<void> {
    const deadline = Date.now() + ms;
    while (!condition()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
}

interface Statement {
    Sid: string;
}

describe("the real Pulumi engine: two stacks write the shared bucket policy at the same time", function () {
    this.timeout(900_000);
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

    async function live(stack: EngineStack): Promise<{ sids: string[]; research: string }> {
        const doc = JSON.parse((await stack.bucketPolicy())!) as { Statement: Statement[] };
        const research = doc.Statement.find((s) => s.Sid === RESEARCH_STATEMENT.Sid);
        return { sids: doc.Statement.map((s) => s.Sid), research: JSON.stringify(research) };
    }

    /** The Sids a stack's state says it has in the bucket policy (none when it holds no statements resource). */
    async function ownSids(stack: EngineStack): Promise<{ prefix?: string; sids: string[] }> {
        const [res] = resourcesOfType(await stack.exportState(), STATEMENTS_TYPE);
        const statements = (res?.outputs?.statements ?? []) as Statement[];
        return { prefix: res?.outputs?.sidPrefix as string | undefined, sids: statements.map((s) => s.Sid) };
    }

    /** Starts A's command, waits until A holds a write (it has read the policy), then runs B's command meanwhile. */
    async function race(
        a: HeldStack,
        aRun: () => Promise<CliResult>,
        bRun: () => Promise<CliResult>,
    ): Promise<[CliResult, CliResult]> {
        const holdsBefore = a.holds();
        const aDone = aRun();
        await until(() => a.holds() > holdsBefore, 240_000, "stack A to read the bucket policy and hold its write");
        const started = Date.now();
        const b = await bRun();
        const bSeconds = (Date.now() - started) / 1000;
        const aResult = await aDone;
        // Without the lease B finishes inside A's hold; with it, B waits for A's release.
        console.log(`      B ran ${bSeconds.toFixed(1)} s after A started holding a ${HOLD_MS / 1000} s write`);
        return [aResult, b];
    }

    it("three rounds: both stacks up at once, then B destroys while A ups; no statement lost or brought back", async () => {
        const a = new HeldStack(moto, pulumiBin, "alpha", HOSTING_ACCOUNT);
        stacks.push(a);
        await a.start();
        await a.putBucketPolicy({ Version: "2012-10-17", Statement: [RESEARCH_STATEMENT] });
        const research = (await live(a)).research;

        for (let round = 1; round <= 3; round++) {
            const b = new EngineStack(moto, pulumiBin, "beta", "444455556666");
            stacks.push(b);
            await b.start({ shared: true });
            // A writes in every round: a new model prefix changes its statements.
            a.models = [{ name: "mistral-01", s3Prefix: `mistral-model-weights-r${round}/` }];
            const [upA, upB] = await race(
                a,
                () => a.up(),
                () => b.up(),
            );
            ok(upA, `round ${round}: A's up`);
            ok(upB, `round ${round}: B's up`);
            const ofA = await ownSids(a);
            const ofB = await ownSids(b);
            expect(ofA.sids, "A has statements").to.have.length.greaterThan(0);
            expect(ofB.sids, "B has statements").to.have.length.greaterThan(0);
            let now = await live(a);
            expect(
                now.sids,
                `round ${round}: both stacks' statements are live after both ups reported success`,
            ).to.include.members([...ofA.sids, ...ofB.sids]);
            expect(
                now.sids.filter((sid) => sid.startsWith(ofB.prefix!)),
                "B's statements exactly",
            ).to.have.members(ofB.sids);
            expect(now.research, "the research team's statement is byte-identical").to.equal(research);

            a.models = [{ name: "mistral-01", s3Prefix: `mistral-model-weights-r${round}b/` }];
            const [upA2, destroyB] = await race(
                a,
                () => a.up(),
                () => b.destroy(),
            );
            ok(upA2, `round ${round}: A's up during B's destroy`);
            ok(destroyB, `round ${round}: B's destroy`);
            now = await live(a);
            expect(
                now.sids.filter((sid) => sid.startsWith(ofB.prefix!)),
                `round ${round}: B was destroyed; none of its statements came back`,
            ).to.deep.equal([]);
            const ofA2 = await ownSids(a);
            expect(now.sids.filter((sid) => sid.startsWith(ofA2.prefix!))).to.have.members(ofA2.sids);
            expect(now.research).to.equal(research);
            await b.stop();
            stacks.splice(stacks.indexOf(b), 1);
        }
        ok(await a.refresh("--expect-no-changes"), "A's refresh --expect-no-changes");
    });
});
