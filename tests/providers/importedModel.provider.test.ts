// Provider methods called directly, with aws-sdk-client-mock standing in for Bedrock and STS and a
// virtual clock: every wait is recorded, none takes real time.
import {
    BedrockClient,
    ConflictException,
    CreateModelImportJobCommand,
    DeleteImportedModelCommand,
    UntagResourceCommand,
} from "@aws-sdk/client-bedrock";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import {
    createImportedModelProvider,
    ImportedModel,
    ImportedModelInputs,
    ImportedModelOutputs,
} from "../../components/dynamic/importedModel";
import { inputsOfState } from "../../components/dynamic/importedModel/state";
import {
    attemptOf,
    clientRequestTokenFor,
    jobNameFor,
    sameKmsKey,
} from "../../components/dynamic/importedModel/naming";
import { UNKNOWN } from "../../components/dynamic/importedModel/validation";
import { LEGACY_STACK_KEY, versionedModelName } from "../../components/naming";
import { FakeBedrock, type FakeJob, fakeErrors } from "../fakes/bedrock";
import { mockBedrock, mockSts } from "../fakes/bedrockSdk";
import { FakeSts } from "../fakes/sts";

const ACCOUNT = "777788889999";
const REGION = "us-east-1";
const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const ALIAS_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:alias/kms-cmk-${ACCOUNT}`;
const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });
// Who the mocked STS says the caller is: a deployer of the hosting account, or a developer of another account.
const identities = new FakeSts(() => undefined);
const HOSTING_KEY = identities.addUser(ACCOUNT, "deployer", "AKIDHOSTING");
const DEVELOPMENT_KEY = identities.addUser("111122223333", "dev", "AKIDDEV");

function inputs(overrides: Partial<ImportedModelInputs> = {}): ImportedModelInputs {
    return {
        accountId: ACCOUNT,
        region: REGION,
        modelName: "mistral-777788889999-01",
        roleArn: `arn:aws:iam::${ACCOUNT}:role/BedrockCMIExecutionRole-${ACCOUNT}`,
        s3Uri: "s3://model-artifacts-111122223333/mistral-model-weights/",
        tags: { team: "hosting" },
        pollIntervalSeconds: 5,
        timeoutMinutes: 60,
        stackName: "dev",
        ...overrides,
    };
}

/** A job of this resource seeded as if an earlier run had started it. */
function seed(fake: FakeBedrock, jobName: string, status: FakeJob["status"], extra: Partial<FakeJob> = {}): FakeJob {
    return fake.seedJob({
        jobName,
        importedModelName: inputs().modelName,
        status,
        ...extra,
        ...(status === "Failed" ? { failureMessage: "earlier failure" } : {}),
    });
}

describe("ImportedModel provider (aws-sdk-client-mock, virtual clock)", () => {
    // mockClient stubs the clients' prototypes: create in before(), restore in after(), so other
    // test files (the HTTP stub tests) get the real clients back.
    let bedrock: ReturnType<typeof mockClient>;
    let sts: ReturnType<typeof mockClient>;
    before(() => {
        bedrock = mockClient(BedrockClient);
        sts = mockClient(STSClient);
    });
    after(() => {
        bedrock.restore();
        sts.restore();
    });
    let fake: FakeBedrock;
    let t: number;
    let sleeps: number[];
    const provider = createImportedModelProvider({
        now: () => t,
        sleep: async (ms: number) => {
            sleeps.push(ms);
            t += ms;
        },
        random: () => 1,
    });
    const bedrockCalls = (command: Parameters<ReturnType<typeof mockClient>["commandCalls"]>[0]) =>
        bedrock.commandCalls(command).length;

    beforeEach(() => {
        bedrock.reset();
        sts.reset();
        t = Date.parse("2030-01-01T00:00:00Z");
        sleeps = [];
        fake = new FakeBedrock({ accountId: ACCOUNT, region: REGION, now: () => t });
        fake.jobScript = { polls: 3 };
        fake.modelArchitecture = "mistral";
        for (const spelling of [KEY_ARN, ALIAS_ARN]) fake.kmsKeys.set(spelling, KEY_ARN);
        mockBedrock(bedrock, fake);
        mockSts(sts, identities, HOSTING_KEY);
    });

    describe("check", () => {
        it("accepts valid inputs, alias/key-id KMS spellings and preview unknowns", async () => {
            for (const kmsKeyArn of [
                undefined,
                KEY_ARN,
                ALIAS_ARN,
                "alias/kms-cmk",
                "1234abcd-12ab-34cd-56ef-1234567890ab",
            ]) {
                const result = await provider.check(inputs(), inputs({ kmsKeyArn }));
                expect(result.failures, String(kmsKeyArn)).to.deep.equal([]);
            }
            const unknownRole = await provider.check(inputs(), inputs({ roleArn: UNKNOWN, s3Uri: UNKNOWN }));
            expect(unknownRole.failures).to.deep.equal([]);
        });

        const bad: [Partial<ImportedModelInputs>, string][] = [
            [{ accountId: "7777" }, "accountId"],
            [{ region: "useast1" }, "region"],
            // Region-shaped but not a region: the provider checks the same list as the stack config.
            [{ region: "us-east-9" }, "region"],
            [{ modelName: "bad name!" }, "modelName"],
            [{ modelName: "a".repeat(64) }, "modelName"],
            [{ modelName: "" }, "modelName"],
            [{ roleArn: "BedrockRole" }, "roleArn"],
            [{ roleArn: "arn:aws:iam::111122223333:role/other-account" }, "roleArn"],
            [{ assumeRoleArn: "arn:aws:iam::bad:role/x" }, "assumeRoleArn"],
            [{ s3Uri: "https://bucket/prefix/" }, "s3Uri"],
            [{ s3Uri: "s3://bucket/prefix" }, "s3Uri"],
            [{ s3Uri: "s3://Bad_Bucket/prefix/" }, "s3Uri"],
            [{ kmsKeyArn: "not-a-key" }, "kmsKeyArn"],
            [{ kmsKeyArn: KEY_ARN.replace(REGION, "eu-west-1") }, "kmsKeyArn"],
            [{ tags: { "aws:reserved": "x" } }, "tags"],
            [{ timeoutMinutes: 0 }, "timeoutMinutes"],
            [{ pollIntervalSeconds: -1 }, "pollIntervalSeconds"],
        ];
        for (const [override, property] of bad) {
            it(`names [${property}] for ${JSON.stringify(override)}`, async () => {
                const result = await provider.check(inputs(), inputs(override));
                expect([...new Set(result.failures?.map((f) => f.property))]).to.deep.equal([property]);
                expect(result.failures?.[0].reason).to.contain(`[${property}`);
            });
        }
    });

    describe("naming", () => {
        it("derives a valid, deterministic job name and token per input set and attempt", () => {
            const id = {
                accountId: ACCOUNT,
                region: REGION,
                modelName: "my_model_" + "x".repeat(54),
                s3Uri: "s3://b/p/",
            };
            const name = jobNameFor(id, 1);
            expect(name.length).to.be.at.most(63);
            expect(name).to.match(/^[a-zA-Z0-9](-*[a-zA-Z0-9+\-.])*$/);
            expect(jobNameFor(id, 1)).to.equal(name);
            expect(jobNameFor({ ...id, s3Uri: "s3://b/q/" }, 1)).to.not.equal(name);
            expect(jobNameFor(id, 2)).to.not.equal(name);
            expect(attemptOf(id, jobNameFor(id, 7))).to.equal(7);
            expect(attemptOf(id, "someone-elses-job")).to.equal(undefined);
            expect(clientRequestTokenFor(name))
                .to.equal(clientRequestTokenFor(name))
                .and.to.match(/^[a-f0-9]{40}$/);
        });

        it("treats alias-vs-ARN and key-id-vs-ARN spellings of the stored key as the same key", () => {
            expect(sameKmsKey(ALIAS_ARN, { kmsKeyArn: KEY_ARN, kmsKeyInput: ALIAS_ARN })).to.equal(true);
            expect(sameKmsKey(KEY_ARN, { kmsKeyArn: KEY_ARN, kmsKeyInput: ALIAS_ARN })).to.equal(true);
            expect(
                sameKmsKey("1234abcd-12ab-34cd-56ef-1234567890ab", { kmsKeyArn: KEY_ARN, kmsKeyInput: ALIAS_ARN }),
            ).to.equal(true);
            expect(sameKmsKey("alias/other", { kmsKeyArn: KEY_ARN, kmsKeyInput: ALIAS_ARN })).to.equal(false);
            expect(sameKmsKey(undefined, { kmsKeyArn: KEY_ARN, kmsKeyInput: ALIAS_ARN })).to.equal(false);
            expect(sameKmsKey(undefined, {})).to.equal(true);
        });
    });

    describe("diff", () => {
        const state = (overrides: Partial<ImportedModelOutputs> = {}): ImportedModelOutputs => ({
            ...inputs({ kmsKeyArn: KEY_ARN }),
            kmsKeyInput: ALIAS_ARN,
            jobName: "j-1",
            attempt: 1,
            jobStatus: "Completed",
            modelArn: "arn:aws:bedrock:us-east-1:777788889999:imported-model/abc",
            ...overrides,
        });

        for (const key of ["modelName", "s3Uri", "accountId", "region"] as const) {
            it(
                `replaces when ${key} changes, deleting first only when the new model would take the old one's name ` +
                    `in the same account and region`,
                async () => {
                    const values = {
                        modelName: "other-model",
                        s3Uri: "s3://model-artifacts-111122223333/v2/",
                        accountId: "111122223333",
                        region: "us-west-2",
                    };
                    const result = await provider.diff(
                        "id",
                        state(),
                        inputs({ kmsKeyArn: ALIAS_ARN, [key]: values[key] }),
                    );
                    // Only the s3Uri change keeps the name (no versioned name here) in the same place: that one must delete
                    // first.
                    expect(result).to.deep.include({
                        changes: true,
                        replaces: [key],
                        deleteBeforeReplace: key === "s3Uri",
                    });
                },
            );
        }

        it(
            "a new version (new versioned name for new artifacts) is created next to the old one: no " +
                "deleteBeforeReplace",
            async () => {
                const result = await provider.diff(
                    "id",
                    state(),
                    inputs({
                        kmsKeyArn: ALIAS_ARN,
                        modelName: "mistral-777788889999-01-3f2a1c",
                        baseName: "mistral-777788889999-01",
                        s3Uri: "s3://model-artifacts-111122223333/v2/",
                    }),
                );
                expect(result).to.deep.include({ changes: true, deleteBeforeReplace: false });
                expect(result.replaces).to.have.members(["modelName", "s3Uri"]);
            },
        );

        it("a model imported before names carried a version keeps its name and is not re-imported (same artifacts)", async () => {
            const upgraded = inputs({
                kmsKeyArn: ALIAS_ARN,
                modelName: "mistral-777788889999-01-3f2a1c",
                baseName: "mistral-777788889999-01",
            });
            expect(await provider.diff("id", state(), upgraded)).to.deep.include({ changes: false, replaces: [] });
            // New artifacts later: now it is replaced by the versioned name, new model first.
            const next = await provider.diff("id", state(), {
                ...upgraded,
                s3Uri: "s3://model-artifacts-111122223333/v2/",
            });
            expect(next).to.deep.include({ changes: true, deleteBeforeReplace: false });
        });

        describe("a model named while the stack's hosting key was a constant in names (before the key's ARN was)", () => {
            const BASE = "mistral-777788889999-01";
            const S3 = inputs().s3Uri;
            const OTHER_KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/99999999-12ab-34cd-56ef-1234567890ab`;
            const named = (modelKey: string, s3Uri = S3) => versionedModelName(BASE, { s3Uri, modelKey });
            const legacy = () => state({ modelName: named(LEGACY_STACK_KEY), baseName: BASE, kmsKeyInput: KEY_ARN });
            const today = (keyArn: string, s3Uri = S3) =>
                inputs({ kmsKeyArn: keyArn, modelName: named(keyArn, s3Uri), baseName: BASE, s3Uri });

            it("the same key and artifacts: keeps its name, nothing to do (no re-import on upgrade)", async () => {
                expect(today(KEY_ARN).modelName, "the name follows the key's ARN now").not.to.equal(legacy().modelName);
                expect(await provider.diff("id", legacy(), today(KEY_ARN))).to.deep.include({
                    changes: false,
                    replaces: [],
                });
            });

            it("a new key: replaced under the new key's name, the new model first", async () => {
                const result = await provider.diff("id", legacy(), today(OTHER_KEY));
                expect(result).to.deep.include({ changes: true, deleteBeforeReplace: false });
                expect(result.replaces).to.have.members(["modelName", "kmsKeyArn"]);
            });

            it("new artifacts: replaced, the new model first", async () => {
                const result = await provider.diff(
                    "id",
                    legacy(),
                    today(KEY_ARN, "s3://model-artifacts-111122223333/v2/"),
                );
                expect(result).to.deep.include({ changes: true, deleteBeforeReplace: false });
                expect(result.replaces).to.have.members(["modelName", "s3Uri"]);
            });

            it("a name the constant did not produce (another version, or no stack key) is not kept", async () => {
                const other = state({ modelName: named("aws-owned"), baseName: BASE, kmsKeyInput: KEY_ARN });
                expect((await provider.diff("id", other, today(KEY_ARN))).replaces).to.deep.equal(["modelName"]);
                const noKey = state({
                    modelName: named(LEGACY_STACK_KEY),
                    baseName: BASE,
                    kmsKeyArn: undefined,
                    kmsKeyInput: undefined,
                });
                const unkeyed = inputs({ modelName: named("aws-owned"), baseName: BASE });
                expect((await provider.diff("id", noKey, unkeyed)).replaces).to.deep.equal(["modelName"]);
            });
        });

        it("replaces when the key really changes, not when only its spelling does", async () => {
            const changed = await provider.diff("id", state(), inputs({ kmsKeyArn: "alias/another-key" }));
            expect(changed.replaces).to.deep.equal(["kmsKeyArn"]);
            for (const spelling of [ALIAS_ARN, KEY_ARN, "1234abcd-12ab-34cd-56ef-1234567890ab"]) {
                const same = await provider.diff("id", state(), inputs({ kmsKeyArn: spelling }));
                expect(same, spelling).to.deep.include({ changes: false, replaces: [] });
            }
        });

        it("updates tags and other settings in place and ignores stackName", async () => {
            const tags = await provider.diff("id", state(), inputs({ kmsKeyArn: ALIAS_ARN, tags: { team: "other" } }));
            expect(tags).to.deep.include({ changes: true, replaces: [], deleteBeforeReplace: false });
            const role = await provider.diff(
                "id",
                state(),
                inputs({ kmsKeyArn: ALIAS_ARN, roleArn: `arn:aws:iam::${ACCOUNT}:role/new` }),
            );
            expect(role).to.deep.include({ changes: true, replaces: [] });
            for (const setting of [{ timeoutMinutes: 90 }, { pollIntervalSeconds: 30 }]) {
                const changed = await provider.diff("id", state(), inputs({ kmsKeyArn: ALIAS_ARN, ...setting }));
                expect(changed, JSON.stringify(setting)).to.deep.include({ changes: true, replaces: [] });
            }
            const stack = await provider.diff("id", state(), inputs({ kmsKeyArn: ALIAS_ARN, stackName: "prod" }));
            expect(stack.changes).to.equal(false);
        });

        it("configPath follows the current config: a reorder is no change, and check names the model's new index", async () => {
            // A state entry from when outputs still held the path, and the model now third in the config.
            const stale = { ...state(), configPath: "models[0]" } as ImportedModelOutputs;
            const moved = inputs({ kmsKeyArn: ALIAS_ARN, configPath: "models[2]" });
            expect(await provider.diff("id", stale, moved)).to.deep.include({ changes: false, replaces: [] });
            const { failures } = await provider.check(stale as unknown as ImportedModelInputs, {
                ...moved,
                s3Uri: "https://example.com/weights",
            });
            const reasons = (failures ?? []).map((f) => f.reason).join("\n");
            expect(reasons).to.contain("[models[2].s3Prefix]");
            expect(reasons).not.to.contain("models[0]");
        });

        it("reports a change for a pending import so update resumes it, and treats unknowns as changes", async () => {
            const pending = await provider.diff(
                "id",
                state({ jobStatus: "InProgress", modelArn: undefined }),
                inputs({ kmsKeyArn: ALIAS_ARN }),
            );
            expect(pending).to.deep.include({ changes: true, replaces: [] });
            const unknown = await provider.diff("id", state(), inputs({ kmsKeyArn: ALIAS_ARN, s3Uri: UNKNOWN }));
            expect(unknown.replaces).to.deep.equal(["s3Uri"]);
        });
    });

    describe("jobTags: one input, from the resource's arguments to the import job", () => {
        const JOB_TAGS = { costCenter: "imports", team: "imports-team" };

        it("the resource sends it to the engine as it sends every argument", async () => {
            let sent: Record<string, unknown> | undefined;
            await pulumi.runtime.setMocks(
                {
                    newResource: (a) => ((sent = a.inputs), { id: `${a.name}-id`, state: a.inputs }),
                    call: (a) => a.inputs,
                },
                "project",
                "test",
                false,
            );
            const model = new ImportedModel("m", { ...inputs(), jobTags: JOB_TAGS });
            await new Promise<void>((resolve) => model.urn.apply(() => resolve()));
            expect(sent?.jobTags).to.deep.equal(JOB_TAGS);
        });

        it("check holds it to Bedrock's tag rules, counting the model's tags and the owner tag the job carries too", async () => {
            expect((await provider.check(inputs(), inputs({ jobTags: JOB_TAGS }))).failures).to.deep.equal([]);
            const bad = await provider.check(inputs(), inputs({ jobTags: { "bad key!": "x" } }));
            expect(bad.failures?.map((f) => f.property)).to.deep.equal(["jobTags"]);
            const many = Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`k${i}`, "v"]));
            const tooMany = await provider.check(inputs(), inputs({ owner: "p/s", jobTags: many }));
            expect(tooMany.failures?.map((f) => f.reason).join("\n")).to.contain("would give the resource 51 tags");
        });

        it("is sent on the job only, stored in state, read back, and a new value is an in-place update", async () => {
            const result = await provider.create(inputs({ owner: "p/s", jobTags: JOB_TAGS }));
            const sent = bedrock.commandCalls(CreateModelImportJobCommand)[0].args[0].input;
            expect(sent.jobTags).to.have.deep.members([
                { key: "team", value: "imports-team" },
                { key: "costCenter", value: "imports" },
                { key: "bedrock-cmi:owner", value: "p/s" },
            ]);
            expect(sent.importedModelTags).to.have.deep.members([
                { key: "team", value: "hosting" },
                { key: "bedrock-cmi:owner", value: "p/s" },
            ]);
            expect(result.outs.jobTags).to.deep.equal(JOB_TAGS);
            expect(inputsOfState(result.outs).jobTags).to.deep.equal(JOB_TAGS);
            const diff = await provider.diff(
                result.id,
                result.outs,
                inputs({ owner: "p/s", jobTags: { costCenter: "other" } }),
            );
            expect(diff).to.deep.include({ changes: true, replaces: [] });
            expect(
                await provider.diff(result.id, result.outs, inputs({ owner: "p/s", jobTags: JOB_TAGS })),
            ).to.deep.include({ changes: false });
        });
    });

    describe("create", () => {
        it("confirms the account, starts one job with a deterministic token, waits and returns the model", async () => {
            const result = await provider.create(inputs({ kmsKeyArn: ALIAS_ARN, configPath: "models[0]" }));
            // The config path is for check's messages only: stored, it would go stale when the models are reordered.
            expect(result.outs).to.not.have.property("configPath");
            expect(sts.commandCalls(GetCallerIdentityCommand)).to.have.length(1);
            expect(fake.jobsCreated).to.equal(1);
            const sent = bedrock.commandCalls(CreateModelImportJobCommand)[0].args[0].input;
            const expectedName = jobNameFor({ ...inputs(), kmsKeyArn: ALIAS_ARN }, 1);
            expect(sent).to.deep.include({
                jobName: expectedName,
                importedModelName: "mistral-777788889999-01",
                clientRequestToken: clientRequestTokenFor(expectedName),
                importedModelKmsKeyId: ALIAS_ARN,
                modelDataSource: { s3DataSource: { s3Uri: inputs().s3Uri } },
            });
            expect(sent.importedModelTags).to.deep.equal([{ key: "team", value: "hosting" }]);
            expect(result.id).to.equal("mistral-777788889999-01");
            expect(result.outs).to.deep.include({
                jobName: expectedName,
                jobStatus: "Completed",
                modelArchitecture: "mistral",
                instructSupported: true,
                kmsKeyArn: KEY_ARN,
                kmsKeyInput: ALIAS_ARN,
                creationTime: fake.models.get("mistral-777788889999-01")!.creationTime.toISOString(),
                tags: { team: "hosting" },
            });
            expect(result.outs.modelArn).to.match(/imported-model\//);
            expect(result.outs.jobArn).to.match(/model-import-job\//);
            // Capped exponential backoff: starts at the poll interval, never shrinks, never above 60 s.
            expect(sleeps[0]).to.equal(5000);
            expect(sleeps.every((ms, i) => i === 0 || ms >= sleeps[i - 1])).to.equal(true);
            expect(Math.max(...sleeps)).to.be.at.most(60_000);
            // No undefined values (the provider host's protobuf Struct conversion rejects them).
            expect(Object.values(result.outs).every((v) => v !== undefined)).to.equal(true);
        });

        it("refuses credentials of another account before any Bedrock call", async () => {
            mockSts(sts, identities, DEVELOPMENT_KEY);
            let error: Error | undefined;
            await provider.create(inputs({ profile: "model-development" })).catch((e: Error) => (error = e));
            expect(error?.message)
                .to.contain("[accountId]")
                .and.contain("111122223333")
                .and.contain('profile "model-development"');
            expect(bedrock.calls()).to.have.length(0);
        });

        it("throws the failureMessage plus what to check and the verify-access command when the job fails", async () => {
            const failure =
                "Amazon Bedrock doesn't have access to the S3 location " +
                "(s3://model-artifacts-111122223333/mistral-model-weights/). Update the permissions and try " +
                "again.";
            fake.jobScript = { polls: 3, fail: failure };
            let error: (Error & { id?: string }) | undefined;
            await provider.create(inputs({ kmsKeyArn: KEY_ARN })).catch((e: Error) => (error = e));
            expect(error?.message).to.contain(failure);
            expect(error?.message).to.contain("bucket policy of model-artifacts-111122223333");
            expect(error?.message).to.contain(`aws:PrincipalArn = ${inputs().roleArn}`);
            expect(error?.message).to.contain("kms:CreateGrant");
            expect(error?.message).to.contain("npm run verify-access -- --stack dev --model mistral-777788889999-01");
            // Nothing to keep in state: a failed job is never adopted.
            expect(error?.id).to.equal(undefined);

            // After the fix, the next `up` starts attempt 2 (a new, still deterministic name).
            fake.jobScript = { polls: 3 };
            const retry = await provider.create(inputs({ kmsKeyArn: KEY_ARN }));
            expect(retry.outs.jobName).to.equal(jobNameFor({ ...inputs(), kmsKeyArn: KEY_ARN }, 2));
            expect(fake.jobsCreated).to.equal(2);
        });

        it("a failure that is not about access gets no access checklist", async () => {
            const failure =
                "The model architecture in s3://model-artifacts-111122223333/mistral-model-weights/config.json " +
                "is not supported.";
            fake.jobScript = { polls: 3, fail: failure };
            let error: Error | undefined;
            await provider.create(inputs()).catch((e: Error) => (error = e));
            expect(error?.message).to.contain(failure);
            expect(error?.message).not.to.contain("bucket policy of");
            expect(error?.message).not.to.contain("npm run verify-access");
            expect(error?.message).to.contain("a new attempt");
        });

        it("retries the fresh-role ValidationException, then starts the job", async () => {
            const role = () => fakeErrors.validation("The provided role ARN is invalid");
            fake.inject("CreateModelImportJob", role(), role(), role());
            const result = await provider.create(inputs());
            expect(result.outs.jobStatus).to.equal("Completed");
            expect(bedrockCalls(CreateModelImportJobCommand)).to.equal(4);
            expect(fake.jobsCreated).to.equal(1);
            // Role retries wait 1x, 1.5x, 2x the poll interval (never a fixed long sleep).
            expect(sleeps.slice(0, 3)).to.deep.equal([5000, 7500, 10_000]);
        });

        it("AccessDeniedException is the caller's missing permission: fails at once, no retry, no wait", async () => {
            fake.inject("CreateModelImportJob", {
                status: 403,
                type: "AccessDeniedException",
                message: "User: x is not authorized to perform: kms:CreateGrant on resource: k",
            });
            let error: Error | undefined;
            await provider.create(inputs({ kmsKeyArn: KEY_ARN })).catch((e: Error) => (error = e));
            expect(error?.message)
                .to.contain("kms:CreateGrant was denied")
                .and.contain(`arn:aws:iam::${ACCOUNT}:user/deployer`)
                .and.contain(KEY_ARN);
            expect(bedrockCalls(CreateModelImportJobCommand)).to.equal(1);
            expect(sleeps).to.deep.equal([]);
        });

        it(
            "ServiceQuotaExceeded with no import running is the imported-models quota: fails after two creates " +
                "without waiting",
            async () => {
                fake.inject("CreateModelImportJob", ...Array.from({ length: 30 }, () => fakeErrors.modelsQuota()));
                let error: Error | undefined;
                await provider.create(inputs()).catch((e: Error) => (error = e));
                expect(error?.message).to.contain("L-45B04988").and.contain("No job was started");
                expect(bedrockCalls(CreateModelImportJobCommand)).to.equal(2);
                expect(sleeps).to.deep.equal([]);
            },
        );

        it("gives up on a role that never becomes usable after a bounded window, with a pointed message", async () => {
            fake.inject(
                "CreateModelImportJob",
                ...Array.from({ length: 200 }, () => fakeErrors.validation("Could not assume role")),
            );
            let error: Error | undefined;
            await provider.create(inputs()).catch((e: Error) => (error = e));
            expect(error?.message).to.contain("[roleArn]").and.contain("trust policy");
            expect(fake.jobsCreated).to.equal(0);
            const waited = sleeps.reduce((a, b) => a + b, 0);
            expect(waited).to.be.at.most(60 * 5000);
        });

        it("waits out ServiceQuotaExceededException (one import per account) and then starts", async () => {
            fake.inject("CreateModelImportJob", ...Array.from({ length: 30 }, () => fakeErrors.quota()));
            // Another stack's import runs in the account (what the listing shows while the quota answers).
            fake.seedJob({ jobName: "another-stacks-import", importedModelName: "other", status: "InProgress" });
            fake.enforceConcurrency = false;
            const result = await provider.create(inputs());
            expect(result.outs.jobStatus).to.equal("Completed");
            expect(fake.jobsCreated).to.equal(1);
            expect(bedrockCalls(CreateModelImportJobCommand)).to.equal(31);
        });

        it("backs off through throttling and 500 storms on create and on polls", async () => {
            const storm = () => [fakeErrors.throttling(), fakeErrors.internal(), fakeErrors.throttling()];
            fake.inject("CreateModelImportJob", ...storm());
            fake.inject("GetModelImportJob", ...storm(), ...storm());
            const result = await provider.create(inputs());
            expect(result.outs.jobStatus).to.equal("Completed");
            expect(fake.jobsCreated).to.equal(1);
        });

        it("on deadline throws id + properties + reasons; update resumes; exactly one job across both", async () => {
            fake.jobScript = { polls: 1_000_000 };
            let error: (Error & { id?: string; properties?: ImportedModelOutputs; reasons?: string[] }) | undefined;
            await provider
                .create(inputs({ timeoutMinutes: 30, configPath: "models[1]" }))
                .catch((e: Error) => (error = e));
            expect(error?.id).to.equal("mistral-777788889999-01");
            // The key a user can set to wait longer.
            expect(error?.message).to.contain("raise models[1].timeoutMinutes in the stack config");
            expect(error?.properties?.jobName).to.equal(jobNameFor(inputs(), 1));
            expect(error?.properties?.jobArn).to.match(/model-import-job\//);
            expect(error?.properties?.jobStatus).to.equal("InProgress");
            expect(error?.reasons?.[0]).to.contain("pulumi up");
            expect(t - Date.parse("2030-01-01T00:00:00Z")).to.be.within(30 * 60_000, 30 * 60_000 + 60_000);

            fake.jobs.get(jobNameFor(inputs(), 1))!.polls = 1_000_000 - 2;
            const diff = await provider.diff(error!.id!, error!.properties!, inputs({ timeoutMinutes: 30 }));
            expect(diff).to.deep.include({ changes: true, replaces: [] });
            const resumed = await provider.update(error!.id!, error!.properties!, inputs({ timeoutMinutes: 30 }));
            expect(resumed.outs?.jobStatus).to.equal("Completed");
            expect(fake.jobsCreated).to.equal(1);
            expect(bedrockCalls(CreateModelImportJobCommand)).to.equal(1);
        });

        it("adopts a job an interrupted run started instead of creating another", async () => {
            seed(fake, jobNameFor(inputs(), 1), "InProgress");
            const result = await provider.create(inputs());
            expect(result.outs.jobName).to.equal(jobNameFor(inputs(), 1));
            expect(result.outs.jobStatus).to.equal("Completed");
            expect(bedrockCalls(CreateModelImportJobCommand)).to.equal(0);
        });

        it("adopts a completed job whose model exists, and re-imports when that model was deleted", async () => {
            seed(fake, jobNameFor(inputs(), 1), "Completed");
            const adopted = await provider.create(inputs());
            expect(adopted.outs.attempt).to.equal(1);
            expect(bedrockCalls(CreateModelImportJobCommand)).to.equal(0);
            fake.models.clear();
            const again = await provider.create(inputs());
            expect(again.outs.attempt).to.equal(2);
            expect(fake.jobsCreated).to.equal(1);
        });

        it("fails clearly when a model with that name exists that this import did not create", async () => {
            seed(fake, "someone-elses-job", "Completed");
            let error: Error | undefined;
            await provider.create(inputs()).catch((e: Error) => (error = e));
            expect(error?.message)
                .to.contain("[modelName]")
                .and.contain("already exists")
                .and.contain("someone-elses-job");
            expect(bedrockCalls(CreateModelImportJobCommand)).to.equal(0);
        });

        it("keeps the job in state when a non-transient error happens after it exists", async () => {
            fake.inject("GetModelImportJob", fakeErrors.notFound("not yet"), {
                status: 403,
                type: "AccessDeniedException",
                message: "no bedrock:GetModelImportJob",
            });
            // The first probe consumes the not-found (no job yet), the first poll hits the access error.
            let error: (Error & { id?: string; properties?: ImportedModelOutputs }) | undefined;
            await provider.create(inputs()).catch((e: Error) => (error = e));
            expect(error?.message).to.contain("AccessDeniedException");
            expect(error?.id).to.equal(inputs().modelName);
            expect(error?.properties?.jobArn).to.match(/model-import-job\//);
        });

        it("retries a create whose response was lost with the same token: still one job", async () => {
            fake.loseResponse("CreateModelImportJob", fakeErrors.internal());
            const result = await provider.create(inputs());
            expect(result.outs.jobStatus).to.equal("Completed");
            expect(bedrockCalls(CreateModelImportJobCommand)).to.equal(2);
            expect(fake.jobsCreated).to.equal(1);
        });

        it("adopts the job when a concurrent create of the same name wins the race (ConflictException)", async () => {
            bedrock.on(CreateModelImportJobCommand).callsFake(() => {
                seed(fake, jobNameFor(inputs(), 1), "InProgress", { clientRequestToken: "someone-else" });
                throw new ConflictException({ message: "job exists", ...meta(409) });
            });
            const result = await provider.create(inputs());
            expect(result.outs).to.deep.include({ jobName: jobNameFor(inputs(), 1), jobStatus: "Completed" });
            expect(bedrockCalls(CreateModelImportJobCommand)).to.equal(1);
        });
    });

    describe("read, update, delete", () => {
        let created: ImportedModelOutputs;
        beforeEach(async () => {
            created = (await provider.create(inputs({ kmsKeyArn: ALIAS_ARN }))).outs;
            bedrock.resetHistory();
        });

        it("read refreshes the model and reports tag drift", async () => {
            fake.models.get(created.modelName)!.tags = { team: "someone-else", extra: "1" };
            const result = await provider.read(created.modelName, created);
            expect(result.id).to.equal(created.modelName);
            expect(result.props?.tags).to.deep.equal({ team: "someone-else", extra: "1" });
            expect(result.props?.kmsKeyArn).to.equal(KEY_ARN);
            const diff = await provider.diff(created.modelName, result.props!, inputs({ kmsKeyArn: ALIAS_ARN }));
            expect(diff).to.deep.include({ changes: true, replaces: [] });
        });

        it("read returns no id when the model was deleted outside Pulumi", async () => {
            fake.models.clear();
            const result = await provider.read(created.modelName, created);
            expect(result.id).to.equal(undefined);
        });

        it("read of a pending import reports the job, and a failed one as gone", async () => {
            fake.models.clear();
            const name = jobNameFor({ ...inputs(), kmsKeyArn: ALIAS_ARN }, 1);
            const job = fake.jobs.get(name)!;
            job.status = "InProgress";
            fake.jobScript = { polls: job.polls + 100 };
            const pending: ImportedModelOutputs = { ...created, jobStatus: "InProgress", modelArn: undefined };
            const result = await provider.read(created.modelName, pending);
            expect(result.props).to.deep.include({ jobStatus: "InProgress", jobName: name });
            job.status = "Failed";
            expect((await provider.read(created.modelName, pending)).id).to.equal(undefined);
        });

        it("update applies tag changes in place (untag removed keys, tag changed ones)", async () => {
            fake.models.get(created.modelName)!.tags = { team: "hosting", stale: "x" };
            const result = await provider.update(
                created.modelName,
                { ...created, tags: { team: "hosting", stale: "x" } },
                inputs({ kmsKeyArn: ALIAS_ARN, tags: { team: "serving", cost: "ml" } }),
            );
            expect(fake.models.get(created.modelName)!.tags).to.deep.equal({
                team: "serving",
                cost: "ml",
                "bedrock-cmi:entry": result.outs.entryToken,
            });
            expect(bedrock.commandCalls(UntagResourceCommand)[0].args[0].input).to.deep.equal({
                resourceARN: created.modelArn,
                tagKeys: ["stale"],
            });
            expect(bedrockCalls(CreateModelImportJobCommand)).to.equal(0);
            expect(result.outs).to.deep.include({
                tags: { team: "serving", cost: "ml" },
                modelArn: created.modelArn,
                kmsKeyArn: KEY_ARN,
            });
        });

        it("delete removes the model and treats already-gone as success", async () => {
            await provider.delete(created.modelName, created);
            expect(fake.models.size).to.equal(0);
            await provider.delete(created.modelName, created);
            // The second delete finds the model gone while checking its owner: success without a delete call.
            expect(bedrockCalls(DeleteImportedModelCommand)).to.equal(1);
        });

        it("delete waits for a running job and deletes the model it produces", async () => {
            fake.models.clear();
            fake.jobScript = { polls: 4 };
            const job = seed(fake, jobNameFor(inputs({ modelName: "second" }), 1), "InProgress", {
                importedModelName: "second",
            });
            const pending: ImportedModelOutputs = {
                ...inputs({ modelName: "second" }),
                jobName: job.jobName,
                jobArn: job.jobArn,
                attempt: 1,
                jobStatus: "InProgress",
            };
            await provider.delete("second", pending);
            expect(job.status).to.equal("Completed");
            expect(fake.models.size).to.equal(0);
            expect(bedrockCalls(DeleteImportedModelCommand)).to.equal(1);
        });

        it("delete refuses with the wrong account", async () => {
            mockSts(sts, identities, DEVELOPMENT_KEY);
            const error = await provider.delete(created.modelName, created).catch((e: Error) => e);
            expect(String(error)).to.contain("[accountId]");
            expect(bedrock.calls()).to.have.length(0);
        });
    });
});
