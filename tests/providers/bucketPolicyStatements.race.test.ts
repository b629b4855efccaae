// Two stacks' BucketPolicyStatements providers converging on one bucket policy at the same time, against the local
// AWS stub, with the interleaving forced: the first writer is held between its read and its write
// (`beforePolicyWrite`) until the second has either finished or started waiting for the bucket's lease. Without the
// lease the second one's change is lost (up) or a removed stack's statements come back (destroy).

import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
    createBucketPolicyStatementsProvider,
    type BucketPolicyStatementsOutputs,
    type BucketPolicyStatementsProvider,
} from "../../components/dynamic/bucketPolicyStatements";
import { LEASE_KEY, LEASE_TTL_MS } from "../../components/dynamic/bucketPolicyStatements/lease";
import { ownStatements, type PolicyDocument } from "../../components/policies/document";
import { AwsStub, credentialsFile, setEnv } from "../fakes/awsStub";
import {
    BUCKET,
    DEV,
    DEV_KEY,
    inputsOf,
    researchPolicy,
    stackFixture,
    statementsOf,
} from "../fakes/bucketPolicyFixtures";
import { rejection } from "../helpers/rejection";

/** A promise with its resolve function outside, to open a gate from another writer's step. */
function gate(): { opened: Promise<void>; open: () => void } {
    let open = () => {};
    const opened = new Promise<void>((resolve) => (open = resolve));
    return { opened, open };
}

describe("BucketPolicyStatements: two stacks writing the bucket policy at the same time (local stub)", function () {
    this.timeout(20_000);
    const A = stackFixture("dev", "777788889999");
    const B = stackFixture("staging", "444455556666");
    let stub: AwsStub;
    let restoreEnv: () => void;
    let dir: string;

    const live = (): PolicyDocument | undefined => {
        const text = stub.buckets.get(BUCKET)?.policy;
        return text === undefined ? undefined : (JSON.parse(text) as PolicyDocument);
    };
    const theirs = (doc: PolicyDocument | undefined) =>
        (doc?.Statement ?? []).filter((s) => !String(s.Sid ?? "").startsWith("BedrockCmi"));

    /**
     * `held` reads the policy, then waits before its write until `other` has finished or sleeps (waits for the
     * lease); `other` yields to the event loop on every sleep, so `held` can finish and release meanwhile.
     */
    function pair(): {
        held: BucketPolicyStatementsProvider;
        other: BucketPolicyStatementsProvider;
        otherDone: () => void;
        otherWaits: number[];
    } {
        const g = gate();
        let first = true;
        const otherWaits: number[] = [];
        const held = createBucketPolicyStatementsProvider({
            sleep: async () => {},
            random: () => 0.5,
            beforePolicyWrite: async () => {
                if (!first) return;
                first = false;
                await g.opened;
            },
        });
        const other = createBucketPolicyStatementsProvider({
            sleep: async (ms) => {
                otherWaits.push(ms);
                g.open();
                await new Promise<void>((resolve) => setImmediate(resolve));
            },
            random: () => 0.5,
        });
        return { held, other, otherDone: g.open, otherWaits };
    }

    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "bucket-policy-race-"));
        fs.writeFileSync(path.join(dir, "credentials"), credentialsFile({ "model-development": DEV_KEY }));
        fs.writeFileSync(path.join(dir, "config"), "");
    });

    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    beforeEach(async () => {
        stub = new AwsStub();
        stub.addUser(DEV, "developer", DEV_KEY);
        stub.buckets.set(BUCKET, { owner: DEV, policy: JSON.stringify(researchPolicy()), objects: new Map() });
        await stub.start();
        restoreEnv = setEnv({
            ...stub.endpointEnv(),
            AWS_ACCESS_KEY_ID: DEV_KEY,
            AWS_SECRET_ACCESS_KEY: "stub-secret",
            AWS_SESSION_TOKEN: undefined,
            AWS_PROFILE: undefined,
            AWS_REGION: undefined,
            AWS_ENDPOINT_URL: undefined,
            AWS_SHARED_CREDENTIALS_FILE: path.join(dir, "credentials"),
            AWS_CONFIG_FILE: path.join(dir, "config"),
            AWS_EC2_METADATA_DISABLED: "true",
        });
    });

    afterEach(async () => {
        restoreEnv();
        await stub.stop();
    });

    it("two creates: the one that wrote second does not drop the statements of the one that read before it", async () => {
        const { held, other, otherDone, otherWaits } = pair();
        const aRun = held.create(inputsOf(A));
        const bRun = other.create(inputsOf(B)).finally(otherDone);
        const [a, b] = await Promise.all([aRun, bRun]);
        expect(a.outs.statements).to.deep.equal(statementsOf(A));
        expect(b.outs.statements).to.deep.equal(statementsOf(B));
        // Both stacks' statements are live after both reported success, the research team's untouched.
        expect(ownStatements(live(), A.sidPrefix)).to.deep.equal(statementsOf(A));
        expect(ownStatements(live(), B.sidPrefix)).to.deep.equal(statementsOf(B));
        expect(theirs(live())).to.deep.equal(researchPolicy().Statement);
        expect(otherWaits.length).to.be.greaterThan(0, "B waited for A's lease");
        expect(stub.buckets.get(BUCKET)!.objects.has(LEASE_KEY)).to.equal(false, "the lease is released");
    });

    it("destroy of one stack while the other updates: the destroyed stack's statements do not come back", async () => {
        const setup = createBucketPolicyStatementsProvider({ sleep: async () => {}, random: () => 0.5 });
        const aOuts = (await setup.create(inputsOf(A))).outs;
        const bOuts = (await setup.create(inputsOf(B))).outs;
        // B reads A's statements, is held before its write; A's destroy runs meanwhile.
        const { held, other, otherDone } = pair();
        // B's update changes its statements (a model prefix added), so it writes.
        const bNext = statementsOf(B, ["mistral-model-weights/", "llama-model-weights/"]);
        const bRun = held.update(bOuts.sidPrefix, bOuts, inputsOf(B, { statements: bNext }));
        const aRun = other.delete(aOuts.sidPrefix, aOuts as BucketPolicyStatementsOutputs).finally(otherDone);
        await Promise.all([aRun, bRun]);
        expect(ownStatements(live(), A.sidPrefix)).to.deep.equal([], "A was destroyed: none of its statements is live");
        expect(ownStatements(live(), B.sidPrefix)).to.deep.equal(bNext);
        expect(theirs(live())).to.deep.equal(researchPolicy().Statement);
    });

    it("a lease left by a holder that died is taken over once expired; the expiry is measured, not assumed", async () => {
        let clock = 1_000_000;
        const stale = JSON.stringify({ holder: "crashed-stack/1", expiresAt: clock + LEASE_TTL_MS });
        stub.buckets.get(BUCKET)!.objects.set(LEASE_KEY, { body: Buffer.from(stale), etag: '"stale"' });
        const slept: number[] = [];
        const provider = createBucketPolicyStatementsProvider({
            now: () => clock,
            random: () => 0.5,
            // Time passes only while the provider waits for the holder.
            sleep: async (ms) => void (slept.push(ms), (clock += ms)),
        });
        const { outs } = await provider.create(inputsOf(A));
        expect(outs.statements).to.deep.equal(statementsOf(A));
        const waited = slept.reduce((x, y) => x + y, 0);
        expect(waited)
            .to.be.at.least(LEASE_TTL_MS, "waited for the expiry")
            .and.below(LEASE_TTL_MS + 5000);
        expect(stub.buckets.get(BUCKET)!.objects.has(LEASE_KEY)).to.equal(false);
    });

    it("a lease that stays held past the deadline: an error names the holder and nothing is written", async () => {
        let clock = 1_000_000;
        const held = JSON.stringify({ holder: "other-stack/2", expiresAt: Number.MAX_SAFE_INTEGER });
        stub.buckets.get(BUCKET)!.objects.set(LEASE_KEY, { body: Buffer.from(held), etag: '"held"' });
        const provider = createBucketPolicyStatementsProvider({
            now: () => clock,
            random: () => 0.5,
            sleep: async (ms) => void (clock += ms),
        });
        const err = await rejection<Error>(provider.create(inputsOf(A)));
        expect(err.message).to.include(`s3://${BUCKET}/${LEASE_KEY} stayed held by another stack (other-stack/2)`);
        expect(stub.count("PutBucketPolicy")).to.equal(0);
        expect(stub.buckets.get(BUCKET)!.objects.get(LEASE_KEY)!.etag).to.equal(
            '"held"',
            "someone else's lease is left alone",
        );
    });
});
