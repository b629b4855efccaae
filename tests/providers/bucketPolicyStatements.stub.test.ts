// The bucket-policy provider against the local AWS stub (tests/fakes/awsStub.ts): real SDK clients over HTTP,
// S3's REST-XML shapes, STS for the account check, request counts per action. Waits are recorded, not slept.

import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
    createBucketPolicyStatementsProvider,
    MAX_APPLY_ATTEMPTS,
    resourceIdFor,
    type BucketPolicyStatementsOutputs,
    type BucketPolicyStatementsProvider,
} from "../../components/dynamic/bucketPolicyStatements";
import { policySize, replaceOwn } from "../../components/dynamic/bucketPolicyStatements/document";
import { ownStatements, sameStatements, type PolicyDocument } from "../../components/policies/document";
import { AwsStub, credentialsFile, setEnv } from "../fakes/awsStub";
import {
    BUCKET,
    DEV,
    DEV_KEY,
    HOSTING_KEY,
    inputsOf,
    researchPolicy,
    stackFixture,
    statementsOf,
    type StackFixture,
} from "../fakes/bucketPolicyFixtures";
import { rejection } from "../helpers/rejection";

type InitError = Error & { id?: string; properties?: BucketPolicyStatementsOutputs };

describe("BucketPolicyStatements provider against the local S3/STS stub", function () {
    this.timeout(20_000);
    const A = stackFixture("dev", "777788889999");
    const B = stackFixture("staging", "444455556666");
    let stub: AwsStub;
    let provider: BucketPolicyStatementsProvider;
    let waits: number[];
    let restoreEnv: () => void;
    let dir: string;

    const live = (): PolicyDocument | undefined => {
        const text = stub.buckets.get(BUCKET)?.policy;
        return text === undefined ? undefined : (JSON.parse(text) as PolicyDocument);
    };
    const s3Requests = () => stub.requests.filter((r) => r.service === "s3");
    const theirs = (doc: PolicyDocument | undefined) =>
        (doc?.Statement ?? []).filter((s) => !String(s.Sid ?? "").startsWith("BedrockCmi"));
    const expectResearchIntact = () => {
        const doc = live();
        expect(doc?.Version).to.equal("2012-10-17");
        expect(doc?.Id).to.equal("ResearchTeamArtifacts");
        // Statement by statement, in order, content untouched.
        expect(theirs(doc)).to.deep.equal(researchPolicy().Statement);
    };

    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "bucket-policy-stub-"));
        fs.writeFileSync(path.join(dir, "credentials"), credentialsFile({ "model-development": DEV_KEY }));
        fs.writeFileSync(path.join(dir, "config"), "");
    });

    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    beforeEach(async () => {
        stub = new AwsStub();
        stub.addUser(DEV, "developer", DEV_KEY);
        stub.addUser("777788889999", "operator", HOSTING_KEY);
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
        waits = [];
        provider = createBucketPolicyStatementsProvider({
            sleep: async (ms) => void waits.push(ms),
            random: () => 0.5,
        });
    });

    afterEach(async () => {
        restoreEnv();
        await stub.stop();
    });

    it("create adds this stack's statements after the research team's, which keep content, order, Version and Id", async () => {
        const { id, outs } = await provider.create(inputsOf(A));
        expect(id).to.equal(`${BUCKET}/${A.sidPrefix}`);
        expectResearchIntact();
        const doc = live()!;
        expect(doc.Statement.slice(3)).to.deep.equal(statementsOf(A));
        expect(outs.statements).to.deep.equal(statementsOf(A));
        expect(outs).to.deep.include({
            bucket: BUCKET,
            sidPrefix: A.sidPrefix,
            accountId: DEV,
            providerVersion: "test-version",
        });
        // STS first, then look at and take the lease, read, write, read back, release: nothing more.
        expect(stub.requests.map((r) => r.action)).to.deep.equal([
            "GetCallerIdentity",
            "GetObject",
            "PutObject",
            "GetBucketPolicy",
            "PutBucketPolicy",
            "GetBucketPolicy",
            "DeleteObject",
        ]);
        expect(stub.buckets.get(BUCKET)!.objects.size).to.equal(0);
        expect(waits).to.deep.equal([]);
    });

    describe("two stacks sharing the bucket with the research team, in several orders", () => {
        type Step = [StackFixture, "create" | "update" | "delete"];
        const orders: Step[][] = [
            [
                [A, "create"],
                [B, "create"],
                [A, "update"],
                [B, "update"],
                [A, "delete"],
                [B, "delete"],
            ],
            [
                [A, "create"],
                [B, "create"],
                [B, "delete"],
                [A, "update"],
                [A, "delete"],
            ],
            [
                [B, "create"],
                [A, "create"],
                [A, "delete"],
                [B, "update"],
                [B, "delete"],
            ],
            [
                [A, "create"],
                [A, "update"],
                [B, "create"],
                [B, "update"],
                [B, "delete"],
                [A, "delete"],
            ],
        ];
        for (const order of orders) {
            it(order.map(([s, op]) => `${s.name} ${op}`).join(", "), async () => {
                const state = new Map<StackFixture, BucketPolicyStatementsOutputs>();
                const wanted = new Map<StackFixture, ReturnType<typeof statementsOf>>();
                for (const [stack, op] of order) {
                    if (op === "create") {
                        wanted.set(stack, statementsOf(stack));
                        state.set(stack, (await provider.create(inputsOf(stack))).outs);
                    } else if (op === "update") {
                        const statements = statementsOf(stack, ["mistral-model-weights/", `${stack.name}-llama/`]);
                        const news = inputsOf(stack, { statements });
                        expect((await provider.diff("id", state.get(stack)!, news)).replaces).to.deep.equal([]);
                        wanted.set(stack, statements);
                        state.set(stack, (await provider.update("id", state.get(stack)!, news)).outs);
                    } else {
                        await provider.delete("id", state.get(stack)!);
                        state.delete(stack);
                        wanted.delete(stack);
                    }
                    expectResearchIntact();
                    for (const s of [A, B]) {
                        const mine = ownStatements(live(), s.sidPrefix);
                        if (wanted.has(s))
                            expect(mine, `${s.name} after ${stack.name} ${op}`).to.deep.equal(wanted.get(s));
                        else expect(mine, `${s.name} after ${stack.name} ${op}`).to.deep.equal([]);
                    }
                }
                // The last stack gone: exactly the research team's document again, and never deleted.
                expect(live()).to.deep.equal(researchPolicy());
                expect(stub.count("DeleteBucketPolicy")).to.equal(0);
            });
        }
    });

    it("delete when only this stack's statements remain deletes the policy once, writes nothing", async () => {
        stub.buckets.get(BUCKET)!.policy = undefined;
        const { outs } = await provider.create(inputsOf(A));
        expect(live()!.Statement).to.deep.equal(statementsOf(A));
        expect(live()!.Version).to.equal("2012-10-17");
        await provider.delete("id", outs);
        expect(stub.buckets.get(BUCKET)!.policy).to.equal(undefined);
        expect(stub.count("DeleteBucketPolicy")).to.equal(1);
        expect(stub.count("PutBucketPolicy")).to.equal(1);
    });

    it("delete is a no-op when the statements are gone already, and when the bucket is gone", async () => {
        const { outs } = await provider.create(inputsOf(A));
        stub.buckets.get(BUCKET)!.policy = JSON.stringify(researchPolicy());
        await provider.delete("id", outs);
        expect(stub.count("PutBucketPolicy")).to.equal(1);
        stub.buckets.delete(BUCKET);
        await provider.delete("id", outs);
        expect(stub.count("PutBucketPolicy") + stub.count("DeleteBucketPolicy")).to.equal(1);
    });

    it("a concurrent writer that drops ours once: applied again (PutBucketPolicy twice) after a jittered wait", async () => {
        let writes = 0;
        stub.afterPolicyWrite = ({ bucket }) => {
            if (++writes === 1) bucket.policy = JSON.stringify(researchPolicy());
        };
        const { outs } = await provider.create(inputsOf(A));
        expect(stub.count("PutBucketPolicy")).to.equal(2);
        expect(outs.statements).to.deep.equal(statementsOf(A));
        expectResearchIntact();
        expect(waits).to.deep.equal([750]); // 1 s base × jitter (0.5 + 0.5 × 0.5)
    });

    it(
        "a writer that always drops ours: bounded attempts, then an error that says what and keeps the resource in " +
            "state",
        async () => {
            stub.afterPolicyWrite = ({ bucket }) => {
                bucket.policy = JSON.stringify(researchPolicy());
            };
            const err = await rejection<InitError>(provider.create(inputsOf(A)));
            expect(stub.count("PutBucketPolicy")).to.equal(MAX_APPLY_ATTEMPTS);
            expect(err.message).to.include(`another writer keeps replacing the bucket policy of ${BUCKET}`);
            expect(err.message).to.include(`after ${MAX_APPLY_ATTEMPTS} writes`);
            expect(err.message).to.include(`${A.sidPrefix}AllowBedrockExecutionRoleList`);
            expect(err.message).to.include("CloudTrail");
            expect(err.id).to.equal(resourceIdFor(BUCKET, A.sidPrefix));
            expect(err.properties?.statements).to.deep.equal([]);
            expect(waits).to.have.length(MAX_APPLY_ATTEMPTS - 1);
            expect(waits[1]).to.be.greaterThan(waits[0]);
            expectResearchIntact();
        },
    );

    it(
        "a merged policy over 20 KB fails before any PutBucketPolicy, naming this stack's, the others' and the total " +
            "size",
        async () => {
            const big = researchPolicy();
            // The research team's part alone fits (about 19.8 KB); with this stack's it does not.
            for (let i = 0; JSON.stringify(big).length < 19_800; i++) {
                big.Statement.push({
                    Sid: `Research${i}`,
                    Effect: "Allow",
                    Principal: { AWS: `arn:aws:iam::${DEV}:role/Team${i}` },
                    Action: "s3:GetObject",
                    Resource: `arn:aws:s3:::${BUCKET}/team-${i}/*`,
                });
            }
            const before = JSON.stringify(big);
            stub.buckets.get(BUCKET)!.policy = before;
            const size = policySize(replaceOwn(big, A.sidPrefix, statementsOf(A)), A.sidPrefix);
            expect(size.total).to.be.greaterThan(20 * 1024);
            const err = await rejection<InitError>(provider.create(inputsOf(A)));
            expect(stub.count("PutBucketPolicy")).to.equal(0);
            expect(err.message).to.include(`would be ${size.total} bytes`);
            expect(err.message).to.include(`${size.ours} bytes are this stack's`);
            expect(err.message).to.include(`${size.others} bytes are everyone else's`);
            expect(err.message).to.include("S3 allows 20480 bytes");
            expect(err.message).to.include("Nothing was written");
            expect(err.id).to.equal(undefined);
            expect(stub.buckets.get(BUCKET)!.policy).to.equal(before);
        },
    );

    it("PutBucketPolicy refused: the live policy is exactly as before, and the error says so", async () => {
        const before = stub.buckets.get(BUCKET)!.policy;
        stub.policyFaults.PutBucketPolicy = [
            { status: 400, code: "MalformedPolicy", message: "Invalid principal in policy" },
        ];
        const err = await rejection<InitError>(provider.create(inputsOf(A)));
        expect(err.message).to.include("s3:PutBucketPolicy on bucket model-artifacts-111122223333");
        expect(err.message).to.include("MalformedPolicy: Invalid principal in policy");
        expect(err.message).to.include("as it was before this call");
        expect(err.id, "nothing was written, so nothing to keep in state").to.equal(undefined);
        expect(stub.buckets.get(BUCKET)!.policy).to.equal(before);
        expect(stub.count("PutBucketPolicy")).to.equal(1);
    });

    it("throttling and 5xx are retried with backoff; the write lands once", async () => {
        stub.policyFaults.GetBucketPolicy = [
            { status: 503, code: "SlowDown", message: "Please reduce your request rate." },
        ];
        stub.policyFaults.PutBucketPolicy = [
            { status: 500, code: "InternalError", message: "We encountered an internal error." },
        ];
        await provider.create(inputsOf(A));
        expect(stub.count("PutBucketPolicy")).to.equal(2);
        expect(stub.count("GetBucketPolicy")).to.equal(3);
        expect(waits).to.deep.equal([375, 375]);
        expect(ownStatements(live(), A.sidPrefix)).to.deep.equal(statementsOf(A));
    });

    it("read shows drift (someone edited or removed our statements); the next update puts them back", async () => {
        const { id, outs } = await provider.create(inputsOf(A));
        const edited = live()!;
        const readModels = edited.Statement.find((s) => s.Sid === `${A.sidPrefix}AllowBedrockExecutionRoleReadModels`)!;
        readModels.Resource = `arn:aws:s3:::${BUCKET}/*`;
        stub.buckets.get(BUCKET)!.policy = JSON.stringify(edited);

        const read = await provider.read(id, outs);
        expect(read.id).to.equal(id);
        expect(read.props?.statements.find((s) => s.Sid === readModels.Sid)?.Resource).to.equal(
            `arn:aws:s3:::${BUCKET}/*`,
        );
        const diff = await provider.diff(id, read.props!, inputsOf(A));
        expect(diff).to.deep.include({ changes: true, replaces: [] });
        await provider.update(id, read.props!, inputsOf(A));
        expect(ownStatements(live(), A.sidPrefix)).to.deep.equal(statementsOf(A));

        stub.buckets.get(BUCKET)!.policy = JSON.stringify(researchPolicy());
        const gone = await provider.read(id, outs);
        expect(gone.id, "statements gone, bucket there: kept with none").to.equal(id);
        expect(gone.props?.statements).to.deep.equal([]);
        expect((await provider.diff(id, gone.props!, inputsOf(A))).changes).to.equal(true);

        stub.buckets.delete(BUCKET);
        expect((await provider.read(id, outs)).id, "bucket gone: resource gone").to.equal(undefined);
    });

    it("S3's reformatting of the policy is not drift: no second write, no diff", async () => {
        // Collapse one-element lists, reorder keys, pretty-print: what S3 may hand back.
        stub.policyFormat = (stored) => {
            const collapse = (v: unknown): unknown =>
                Array.isArray(v)
                    ? v.length === 1
                        ? collapse(v[0])
                        : v.map(collapse).reverse()
                    : typeof v === "object" && v !== null
                      ? Object.fromEntries(
                            Object.entries(v)
                                .reverse()
                                .map(([k, x]) => [k, k === "Statement" ? (x as unknown[]).map(collapse) : collapse(x)]),
                        )
                      : v;
            return JSON.stringify(collapse(JSON.parse(stored)), null, 2);
        };
        const { id, outs } = await provider.create(inputsOf(A));
        expect(stub.count("PutBucketPolicy")).to.equal(1);
        expect(sameStatements(outs.statements, statementsOf(A))).to.equal(true);
        expect(await provider.diff(id, outs, inputsOf(A))).to.deep.include({ changes: false });
        await provider.update(id, outs, inputsOf(A));
        expect(stub.count("PutBucketPolicy")).to.equal(1);
    });

    it("credentials of another account: refused after STS, before any S3 call", async () => {
        const restore = setEnv({ AWS_ACCESS_KEY_ID: HOSTING_KEY });
        try {
            for (const call of [
                () => provider.create(inputsOf(A)),
                () => provider.delete("id", { ...inputsOf(A) }),
                () => provider.read("id", inputsOf(A)),
            ]) {
                const err = await rejection<InitError>(call());
                expect(err.message).to.include("belong to account 777788889999");
                expect(err.message).to.include(`not the development account (the bucket owner) ${DEV}`);
            }
        } finally {
            restore();
        }
        expect(s3Requests()).to.deep.equal([]);
        expect(stub.count("GetCallerIdentity")).to.equal(3);
    });

    it("a bucket of another account with the same name: S3 refuses (ExpectedBucketOwner), nothing is written", async () => {
        stub.buckets.get(BUCKET)!.owner = "999999999999";
        const err = await rejection<InitError>(provider.create(inputsOf(A)));
        expect(err.message).to.include(
            "s3:GetObject on s3://model-artifacts-111122223333/bedrock-cmi/bucket-policy.lease",
        );
        expect(err.message).to.include(`is not owned by account ${DEV}`);
        expect(stub.count("PutBucketPolicy")).to.equal(0);
    });

    it("a bucket that does not exist: create says so and writes nothing", async () => {
        stub.buckets.delete(BUCKET);
        const err = await rejection<InitError>(provider.create(inputsOf(A)));
        expect(err.message).to.include(`bucket ${BUCKET} does not exist in account ${DEV}`);
        expect(stub.count("PutBucketPolicy")).to.equal(0);
    });

    it("profile plus assumeRoleArn: STS AssumeRole with the profile's key, then S3 as the role", async () => {
        stub.addRole({
            account: DEV,
            name: "deployer",
            trust: JSON.stringify({
                Version: "2012-10-17",
                Statement: [
                    { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${DEV}:root` }, Action: "sts:AssumeRole" },
                ],
            }),
            attached: [],
            inline: {},
        });
        const restore = setEnv({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined });
        try {
            await provider.create(
                inputsOf(A, { profile: "model-development", assumeRoleArn: `arn:aws:iam::${DEV}:role/deployer` }),
            );
        } finally {
            restore();
        }
        expect(stub.requests.find((r) => r.action === "AssumeRole")?.accessKeyId).to.equal(DEV_KEY);
        expect(s3Requests().every((r) => r.accessKeyId.startsWith("ASIA"))).to.equal(true);
        expect(ownStatements(live(), A.sidPrefix)).to.deep.equal(statementsOf(A));
    });
});
