// The shipped example stacks (copies of Pulumi.dev.yaml and Pulumi.prod.yaml in tests/fixtures/examples) in the
// scenario they describe: one research account whose bucket policy already holds the research team's statements, two
// hosting stacks reading from it. Each stack's resources come from the program itself (run under mocks); the two
// dynamic providers then run them against local S3/STS and Bedrock stubs in interleaved create/update/delete orders.
// After every step: the research team's statements are intact, the other stack's statements and model are intact, and
// every live stack's access holds (simulated over the live merged bucket policy, its own execution policy and its own
// key grant).

import { BedrockClient } from "@aws-sdk/client-bedrock";
import { STSClient } from "@aws-sdk/client-sts";
import { expect } from "chai";
import {
    createBucketPolicyStatementsProvider,
    type BucketPolicyStatementsInputs,
    type BucketPolicyStatementsOutputs,
} from "../../components/dynamic/bucketPolicyStatements";
import type { PolicyDocument as BucketDocument } from "../../components/policies/document";
import {
    createImportedModelProvider,
    type ImportedModelInputs,
    type ImportedModelOutputs,
} from "../../components/dynamic/importedModel";
import { accessParams } from "../../components/policies/statements";
import type { PolicyDocument } from "../../components/policies/document";
import { evaluateAccess, grantAsKeyPolicy } from "../../scripts/access/matrix";
import { loadStack, readStackConfigMap } from "../../scripts/common/stackFile";
import { AwsStub, setEnv } from "../fakes/awsStub";
import { BedrockStub } from "../fakes/bedrockStub";
import { researchPolicy } from "../fakes/bucketPolicyFixtures";
import { EXAMPLES_ROOT, json, runProgram, type ProgramRun } from "../helpers/programHarness";

const DEV_ACCOUNT = "111122223333";
const DEV_KEY = "AKIADEVELOPMENT00001";

interface StackUnderTest {
    name: "dev" | "prod";
    run: ProgramRun;
    statements: BucketPolicyStatementsInputs;
    model: ImportedModelInputs;
    grant: { name: string; granteePrincipal: string; operations: string[] };
    executionPolicy: PolicyDocument;
    trustPolicy: PolicyDocument;
    bedrock: BedrockStub;
    state: { statements?: BucketPolicyStatementsOutputs; model?: ImportedModelOutputs; modelId?: string };
}

function inputsOf<T>(run: ProgramRun, type: string): T {
    const found = run.resources.filter((r) => r.type === type);
    expect(found, type).to.have.length(1);
    const { __provider, ...inputs } = found[0].inputs;
    void __provider;
    return inputs as T;
}

describe("one research account, two hosting stacks (the shipped dev and prod stacks)", function () {
    this.timeout(60_000);
    const stacks: Record<"dev" | "prod", StackUnderTest> = {} as Record<"dev" | "prod", StackUnderTest>;
    let s3: AwsStub;
    let restoreEnv: () => void;

    before(async () => {
        for (const name of ["dev", "prod"] as const) {
            const run = await runProgram(readStackConfigMap(name, EXAMPLES_ROOT), name);
            expect(run.error, name).to.equal(undefined);
            const role = run.resources.find((r) => r.type === "aws:iam/role:Role")!;
            const policy = run.resources.find((r) => r.type === "aws:iam/policy:Policy")!;
            const model = inputsOf<ImportedModelInputs>(run, "pulumi-nodejs:dynamic/bedrock:ImportedModel");
            stacks[name] = {
                name,
                run,
                // Credentials are not the subject here: the stubs take static keys from the environment / clients.
                statements: {
                    ...inputsOf<BucketPolicyStatementsInputs>(
                        run,
                        "pulumi-nodejs:dynamic/bedrock:BucketPolicyStatements",
                    ),
                    profile: undefined,
                    assumeRoleArn: undefined,
                },
                // The smoke test (prod) is covered in rollout.test.ts; ownership and access are the subject here.
                model: {
                    ...model,
                    profile: undefined,
                    assumeRoleArn: undefined,
                    smokeTest: undefined,
                    pollIntervalSeconds: 0.001,
                    timeoutMinutes: 1,
                },
                grant: inputsOf(run, "aws:kms/grant:Grant"),
                executionPolicy: json(policy.inputs.policy) as PolicyDocument,
                trustPolicy: json(role.inputs.assumeRolePolicy) as PolicyDocument,
                bedrock: new BedrockStub({ accountId: model.accountId }),
                state: {},
            };
        }
    });

    beforeEach(async () => {
        s3 = new AwsStub();
        s3.addUser(DEV_ACCOUNT, "developer", DEV_KEY);
        s3.buckets.set("model-artifacts-111122223333", {
            owner: DEV_ACCOUNT,
            policy: JSON.stringify(researchPolicy()),
            objects: new Map(),
        });
        await s3.start();
        restoreEnv = setEnv({
            ...s3.endpointEnv(),
            AWS_ACCESS_KEY_ID: DEV_KEY,
            AWS_SECRET_ACCESS_KEY: "stub-secret",
            AWS_SESSION_TOKEN: undefined,
            AWS_PROFILE: undefined,
            AWS_ENDPOINT_URL: undefined,
            AWS_EC2_METADATA_DISABLED: "true",
        });
        for (const s of Object.values(stacks)) {
            s.bedrock = new BedrockStub({ accountId: s.model.accountId });
            s.bedrock.jobScript = { polls: 1 };
            await s.bedrock.start();
            s.state = {};
        }
    });

    afterEach(async () => {
        restoreEnv();
        await s3.stop();
        for (const s of Object.values(stacks)) await s.bedrock.stop();
    });

    it(
        "the shipped stacks share the research account, bucket and key, in separate hosting accounts, each with its " +
            "own Sid prefix and grant",
        () => {
            const [dev, prod] = [loadStack("dev", EXAMPLES_ROOT), loadStack("prod", EXAMPLES_ROOT)];
            expect(dev.modelDevelopment.accountId).to.equal(prod.modelDevelopment.accountId);
            expect(dev.modelDevelopment.artifactBucket).to.deep.equal({
                name: prod.modelDevelopment.artifactBucket.name,
                create: false,
            });
            expect(dev.modelDevelopment.kms.keyArn).to.be.a("string").and.equal(prod.modelDevelopment.kms.keyArn);
            expect(dev.modelHosting.accountId).not.to.equal(prod.modelHosting.accountId);
            expect(stacks.dev.statements.sidPrefix).not.to.equal(stacks.prod.statements.sidPrefix);
            expect(stacks.dev.grant.name).not.to.equal(stacks.prod.grant.name);
            expect(stacks.dev.grant.granteePrincipal).not.to.equal(stacks.prod.grant.granteePrincipal);
            // Neither stack creates or edits anything of the research team's: no bucket, no key, no whole bucket policy.
            for (const s of Object.values(stacks)) {
                const types = s.run.resources.map((r) => r.type);
                expect(types).not.to.include.members([
                    "aws:s3/bucket:Bucket",
                    "aws:kms/key:Key",
                    "aws:s3/bucketPolicy:BucketPolicy",
                ]);
            }
        },
    );

    type Step = ["dev" | "prod", "create" | "update" | "delete"];
    const orders: Step[][] = [
        [
            ["dev", "create"],
            ["prod", "create"],
            ["dev", "update"],
            ["prod", "delete"],
            ["dev", "delete"],
        ],
        [
            ["prod", "create"],
            ["dev", "create"],
            ["prod", "update"],
            ["dev", "delete"],
            ["prod", "update"],
            ["prod", "delete"],
        ],
    ];

    for (const order of orders) {
        it(
            `nothing of the research team or the other stack is lost, and each live stack's access holds: ` +
                `${order.map(([s, op]) => `${s} ${op}`).join(", ")}`,
            async () => {
                const bucketProvider = createBucketPolicyStatementsProvider({
                    sleep: async () => undefined,
                    random: () => 0.5,
                });
                const modelProviderFor = (s: StackUnderTest) =>
                    createImportedModelProvider({
                        clients: (target) => {
                            const config = {
                                region: target.region,
                                endpoint: s.bedrock.url,
                                maxAttempts: 1,
                                credentials: { accessKeyId: "AKIDHOSTING", secretAccessKey: "hosting-secret" },
                            };
                            return { bedrock: new BedrockClient(config), sts: new STSClient(config) };
                        },
                    });
                const live = (): BucketDocument =>
                    JSON.parse(
                        s3.buckets.get("model-artifacts-111122223333")!.policy ?? '{"Statement":[]}',
                    ) as BucketDocument;
                const ownedBy = (doc: BucketDocument, s: StackUnderTest) =>
                    doc.Statement.filter((st) => String(st.Sid ?? "").startsWith(s.statements.sidPrefix));

                for (const [name, op] of order) {
                    const s = stacks[name];
                    const provider = modelProviderFor(s);
                    if (op === "create") {
                        // Pulumi's order: access first (the model depends on it), then the import.
                        s.state.statements = (await bucketProvider.create(s.statements)).outs;
                        const created = await provider.create(s.model);
                        s.state.model = created.outs;
                        s.state.modelId = created.id;
                    } else if (op === "update") {
                        const edited = {
                            ...s.statements,
                            statements: s.statements.statements.map((st) => ({ ...st })).reverse(),
                        };
                        s.state.statements = (
                            await bucketProvider.update(
                                `${edited.bucket}/${edited.sidPrefix}`,
                                s.state.statements!,
                                edited,
                            )
                        ).outs;
                        const retagged = { ...s.model, tags: { ...s.model.tags, rollout: name } };
                        s.state.model = (await provider.update(s.state.modelId!, s.state.model!, retagged)).outs;
                    } else {
                        // Destroy in reverse: the model first, then its access.
                        await provider.delete(s.state.modelId!, s.state.model!);
                        await bucketProvider.delete(
                            `${s.statements.bucket}/${s.statements.sidPrefix}`,
                            s.state.statements!,
                        );
                        s.state = {};
                    }

                    const doc = live();
                    const research = doc.Statement.filter((st) => !String(st.Sid ?? "").startsWith("BedrockCmi"));
                    expect(research, `research statements after ${name} ${op}`).to.deep.equal(
                        researchPolicy().Statement,
                    );
                    for (const other of Object.values(stacks)) {
                        const deployed = other.state.statements !== undefined;
                        expect(
                            ownedBy(doc, other).length > 0,
                            `${other.name}'s statements after ${name} ${op}`,
                        ).to.equal(deployed);
                        expect(other.bedrock.models.size, `${other.name}'s models after ${name} ${op}`).to.equal(
                            deployed ? 1 : 0,
                        );
                        if (!deployed) continue;
                        const model = other.bedrock.models.get(other.model.modelName)!;
                        // The owner names the deployment: project, stack and hosting account.
                        expect(model.tags["bedrock-cmi:owner"]).to.equal(
                            `bedrock-cross-account-import/${other.name}@${other.model.accountId}`,
                        );
                        // The stack's access, simulated over the live merged policy (everyone's statements). accessParams
                        // reads the research key from modelDevelopment.kms.keyArn; the grant stands in for its policy.
                        const params = accessParams(loadStack(other.name, EXAMPLES_ROOT));
                        const results = await evaluateAccess(params, {
                            bucketPolicy: doc as unknown as PolicyDocument,
                            trustPolicy: other.trustPolicy,
                            executionPolicy: other.executionPolicy,
                            developmentKeyPolicy: grantAsKeyPolicy(other.grant),
                        });
                        const wrong = results.filter(
                            (r) => !r.ok && (r.id.startsWith("s3.") || r.id.startsWith("kms.development")),
                        );
                        expect(
                            wrong.map((r) => `${r.id}: ${r.decision} ${r.reasons.join("; ")}`),
                            `${other.name}'s access after ${name} ${op}`,
                        ).to.deep.equal([]);
                    }
                }
                // Everything deleted: exactly the research team's policy is left, and no model.
                expect(live()).to.deep.equal(researchPolicy());
            },
        );
    }
});
