// The shipped provider object against a local AWS-shaped HTTP stub: real SDK clients, real
// serialization, HTTP status codes and error shapes, credentials from env / shared files / AssumeRole.
// Poll intervals of 1 ms keep real waits negligible.
import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
    createImportedModelProvider,
    ImportedModelInputs,
    ImportedModelOutputs,
    importedModelProvider,
} from "../../components/dynamic/importedModel";
import { jobNameFor } from "../../components/dynamic/importedModel/naming";
import { BedrockStub, stubErrors } from "../fakes/bedrockStub";
import { rejection } from "../helpers/rejection";

const ACCOUNT = "777788889999";
const DEV_ACCOUNT = "111122223333";
const ENV_KEYS = [
    "AWS_ENDPOINT_URL_BEDROCK",
    "AWS_ENDPOINT_URL_SERVICE_QUOTAS",
    "AWS_ENDPOINT_URL_BEDROCK_RUNTIME",
    "AWS_ENDPOINT_URL_STS",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_PROFILE",
    "AWS_REGION",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_EC2_METADATA_DISABLED",
    "AWS_ENDPOINT_URL",
];

function inputs(overrides: Partial<ImportedModelInputs> = {}): ImportedModelInputs {
    return {
        accountId: ACCOUNT,
        region: "us-east-1",
        modelName: "mistral-777788889999-01",
        roleArn: `arn:aws:iam::${ACCOUNT}:role/BedrockCMIExecutionRole-${ACCOUNT}`,
        s3Uri: "s3://model-artifacts-111122223333/mistral-model-weights/",
        tags: { team: "hosting" },
        pollIntervalSeconds: 0.001,
        timeoutMinutes: 1,
        stackName: "dev",
        ...overrides,
    };
}

type InitError = Error & { id?: string; properties?: ImportedModelOutputs; reasons?: string[] };

describe("ImportedModel provider against a local Bedrock/STS stub", function () {
    this.timeout(10_000);
    const saved: Record<string, string | undefined> = {};
    let stub: BedrockStub;
    let dir: string;

    before(() => {
        for (const key of ENV_KEYS) {
            saved[key] = process.env[key];
            delete process.env[key];
        }
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "imported-model-stub-"));
        const credentials = path.join(dir, "credentials");
        fs.writeFileSync(
            credentials,
            "[model-hosting]\naws_access_key_id = AKIDHOSTING\naws_secret_access_key = hosting-secret\n" +
                "[model-development]\naws_access_key_id = AKIDDEV\naws_secret_access_key = dev-secret\n",
        );
        fs.writeFileSync(path.join(dir, "config"), "");
        process.env.AWS_SHARED_CREDENTIALS_FILE = credentials;
        process.env.AWS_CONFIG_FILE = path.join(dir, "config");
        process.env.AWS_EC2_METADATA_DISABLED = "true";
        process.env.AWS_ACCESS_KEY_ID = "AKIDHOSTING";
        process.env.AWS_SECRET_ACCESS_KEY = "hosting-secret";
    });

    after(() => {
        for (const key of ENV_KEYS) {
            if (saved[key] === undefined) {
                delete process.env[key];
            } else {
                process.env[key] = saved[key];
            }
        }
        fs.rmSync(dir, { recursive: true, force: true });
    });

    beforeEach(async () => {
        stub = new BedrockStub({ accountId: ACCOUNT });
        stub.sts.addUser(DEV_ACCOUNT, "dev", "AKIDDEV", "dev-secret");
        await stub.start();
        process.env.AWS_ENDPOINT_URL_BEDROCK = stub.url;
        process.env.AWS_ENDPOINT_URL_SERVICE_QUOTAS = stub.url;
        process.env.AWS_ENDPOINT_URL_STS = stub.url;
    });

    afterEach(async () => {
        await stub.stop();
    });

    it("happy path: one job over the real REST paths, model outputs, tags on the model", async () => {
        stub.kmsKeys.set(
            "alias/kms-cmk-777788889999",
            `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
        );
        const { id, outs } = await importedModelProvider.create(inputs({ kmsKeyArn: "alias/kms-cmk-777788889999" }));
        expect(id).to.equal("mistral-777788889999-01");
        expect(stub.jobsCreated).to.equal(1);
        const job = stub.jobs.get(outs.jobName)!;
        expect(job.s3Uri).to.equal(inputs().s3Uri);
        expect(job.roleArn).to.equal(inputs().roleArn);
        expect(job.clientRequestToken).to.match(/^[a-f0-9]{40}$/);
        expect(outs).to.deep.include({
            jobStatus: "Completed",
            modelArchitecture: "llama3",
            instructSupported: true,
            kmsKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
            kmsKeyInput: "alias/kms-cmk-777788889999",
            jobArn: job.jobArn,
            modelArn: stub.models.get("mistral-777788889999-01")!.modelArn,
        });
        expect(outs.creationTime).to.match(/^\d{4}-\d\d-\d\dT/);
        expect(stub.models.get("mistral-777788889999-01")!.tags).to.deep.equal({
            team: "hosting",
            "bedrock-cmi:entry": outs.entryToken,
        });
        expect(stub.log[0].op).to.equal("GetCallerIdentity");
        const requests = stub.log.map((entry) => `${entry.method} ${entry.path}`);
        expect(requests).to.include.members([
            "POST /model-import-jobs",
            `GET /model-import-jobs/${outs.jobName}`,
            `GET /imported-models/${outs.modelArn}`,
            "POST /listTagsForResource",
        ]);
        expect(stub.calls.CreateModelImportJob).to.equal(1);
    });

    it("a Failed job throws the service's failureMessage and what to check", async () => {
        stub.jobScript = {
            polls: 1,
            fail:
                "Amazon Bedrock doesn't have access to the S3 location " +
                "(s3://model-artifacts-111122223333/mistral-model-weights/).",
        };
        const err = await rejection<InitError>(importedModelProvider.create(inputs()));
        expect(err.message).to.contain("doesn't have access to the S3 location");
        expect(err.message).to.contain("npm run verify-access -- --stack dev --model mistral-777788889999-01");
        expect(err.id).to.equal(undefined);
        // The next `up` after the fix starts attempt 2; attempt 1 is never adopted.
        stub.jobScript = { polls: 1 };
        const { outs } = await importedModelProvider.create(inputs());
        expect(outs.jobName).to.equal(jobNameFor(inputs(), 2));
        expect(stub.jobsCreated).to.equal(2);
    });

    it("retries the fresh role's ValidationException until the role works", async () => {
        stub.inject(
            "CreateModelImportJob",
            stubErrors.roleInvalid(),
            stubErrors.roleInvalid(),
            stubErrors.roleInvalid(),
        );
        // A 10 ms poll interval gives a 600 ms role window of wall clock, ample for three retries on a busy machine.
        const { outs } = await importedModelProvider.create(inputs({ pollIntervalSeconds: 0.01 }));
        expect(outs.jobStatus).to.equal("Completed");
        expect(stub.calls.CreateModelImportJob).to.equal(4);
        expect(stub.jobsCreated).to.equal(1);
    });

    it(
        "AccessDenied (iam:PassRole) fails at once, naming the action and the calling identity: one create, no " +
            "waiting",
        async () => {
            stub.inject(
                "CreateModelImportJob",
                {
                    status: 403,
                    type: "AccessDeniedException",
                    message:
                        `User: arn:aws:iam::${ACCOUNT}:user/deployer is not authorized to perform: iam:PassRole on ` +
                        `resource: ${inputs().roleArn}`,
                },
                ...Array.from({ length: 20 }, () => stubErrors.accessDenied()),
            );
            const started = Date.now();
            const err = await rejection<InitError>(
                importedModelProvider.create(inputs({ pollIntervalSeconds: 5, timeoutMinutes: 30 })),
            );
            expect(Date.now() - started).to.be.lessThan(3000);
            expect(stub.calls.CreateModelImportJob).to.equal(1);
            expect(stub.jobsCreated).to.equal(0);
            expect(err.message)
                .to.contain("iam:PassRole was denied")
                .and.contain(`arn:aws:iam::${ACCOUNT}:user/deployer`)
                .and.contain("No job was started");
            expect(err.id).to.equal(undefined);
        },
    );

    it("no room under the imported-models quota: fails before any import starts, naming L-45B04988 and the models", async () => {
        for (const name of ["alpha", "beta", "gamma"])
            stub.seedJob({ jobName: `${name}-job`, importedModelName: name, status: "Completed" });
        const started = Date.now();
        const err = await rejection<InitError>(
            importedModelProvider.create(inputs({ pollIntervalSeconds: 5, timeoutMinutes: 360 })),
        );
        expect(Date.now() - started).to.be.lessThan(3000);
        expect(stub.calls.CreateModelImportJob).to.equal(0);
        expect(stub.calls.GetServiceQuota).to.equal(1);
        expect(err.message)
            .to.contain("no import was started")
            .and.contain("L-45B04988")
            .and.contain("alpha, beta, gamma")
            .and.contain("request-service-quota-increase");
    });

    it(
        "Bedrock refuses with the imported-models quota and no import is running: at most two creates, then the " +
            "quota named",
        async () => {
            // Service Quotas says there is room, Bedrock disagrees (a quota change not yet in effect, or a model created
            // meanwhile).
            stub.inject(
                "CreateModelImportJob",
                stubErrors.modelsQuota(),
                stubErrors.modelsQuota(),
                stubErrors.modelsQuota(),
            );
            const started = Date.now();
            const err = await rejection<InitError>(
                importedModelProvider.create(inputs({ pollIntervalSeconds: 5, timeoutMinutes: 360 })),
            );
            expect(Date.now() - started).to.be.lessThan(3000);
            expect(stub.calls.CreateModelImportJob).to.equal(2);
            expect(stub.jobsCreated).to.equal(0);
            expect(err.message)
                .to.contain("L-45B04988")
                .and.contain("delete-imported-model")
                .and.contain("request-service-quota-increase");
            // One running-jobs check per refused create.
            expect(stub.calls.ListModelImportJobs).to.equal(2);
        },
    );

    it("imported-models quota raised: the same account imports a fourth model", async () => {
        for (const name of ["alpha", "beta", "gamma"])
            stub.seedJob({ jobName: `${name}-job`, importedModelName: name, status: "Completed" });
        stub.importedModelsQuota = 4;
        const { outs } = await importedModelProvider.create(inputs());
        expect(outs.jobStatus).to.equal("Completed");
        expect(stub.calls.CreateModelImportJob).to.equal(1);
    });

    it("a role that stays unusable fails after the bounded window without a job", async () => {
        stub.inject("CreateModelImportJob", ...Array.from({ length: 500 }, () => stubErrors.roleInvalid()));
        const err = await rejection<InitError>(importedModelProvider.create(inputs({ pollIntervalSeconds: 0.0005 })));
        expect(err.message).to.contain("[roleArn]");
        expect(stub.jobsCreated).to.equal(0);
        expect(stub.pendingInjected("CreateModelImportJob")).to.be.greaterThan(0);
    });

    it("ServiceQuotaExceeded while another import runs, then starts once the account is free", async () => {
        const other = stub.seedJob({
            jobName: "someone-elses-import",
            importedModelName: "other-model",
            status: "InProgress",
        });
        // The other import finishes after our third refused create.
        const timer = setInterval(() => {
            if (stub.calls.CreateModelImportJob >= 3 && other.status === "InProgress") {
                stub.completeJob(other.jobName);
            }
        }, 1);
        try {
            const { outs } = await importedModelProvider.create(inputs());
            expect(outs.jobStatus).to.equal("Completed");
        } finally {
            clearInterval(timer);
        }
        expect(stub.calls.CreateModelImportJob).to.be.at.least(4);
        expect(stub.jobsCreated).to.equal(1);
    });

    it("rides out throttling (429) and 500/503 storms on every call", async () => {
        const storm = [
            stubErrors.throttling(),
            stubErrors.internal(),
            stubErrors.unavailable(),
            stubErrors.throttling(),
        ];
        stub.inject("GetCallerIdentity", stubErrors.internal());
        stub.inject("CreateModelImportJob", ...storm);
        stub.inject("GetModelImportJob", ...storm, ...storm);
        stub.inject("GetImportedModel", stubErrors.throttling(), stubErrors.internal());
        stub.inject("ListTagsForResource", stubErrors.throttling());
        const { outs } = await importedModelProvider.create(inputs());
        expect(outs.jobStatus).to.equal("Completed");
        expect(stub.jobsCreated).to.equal(1);
        for (const op of [
            "CreateModelImportJob",
            "GetModelImportJob",
            "GetImportedModel",
            "ListTagsForResource",
        ] as const) {
            expect(stub.pendingInjected(op), op).to.equal(0);
        }
    });

    it("deadline keeps the job in state (id/properties/reasons); the next up resumes; one create in total", async () => {
        stub.jobScript = { polls: 1_000_000 };
        const err = await rejection<InitError>(importedModelProvider.create(inputs({ timeoutMinutes: 0.001 })));
        expect(err.id).to.equal("mistral-777788889999-01");
        expect(err.properties).to.deep.include({ jobName: jobNameFor(inputs(), 1), jobStatus: "InProgress" });
        expect(err.properties?.jobArn).to.equal(stub.jobs.get(jobNameFor(inputs(), 1))!.jobArn);
        expect(err.reasons?.[0]).to.contain("still InProgress");

        stub.jobScript = { polls: 2 };
        stub.jobs.get(jobNameFor(inputs(), 1))!.polls = 0;
        const diff = await importedModelProvider.diff(err.id!, err.properties!, inputs());
        expect(diff.changes).to.equal(true);
        expect(diff.replaces).to.deep.equal([]);
        const { outs } = await importedModelProvider.update(err.id!, err.properties!, inputs());
        expect(outs.jobStatus).to.equal("Completed");
        expect(stub.calls.CreateModelImportJob).to.equal(1);
        expect(stub.jobsCreated).to.equal(1);
    });

    it("adopts the job of a run that crashed right after starting it: exactly one create", async () => {
        const crashing = createImportedModelProvider({
            sleep: () => Promise.reject(new Error("process killed")),
        });
        await rejection<InitError>(crashing.create(inputs()));
        expect(stub.jobsCreated).to.equal(1);
        const { outs } = await importedModelProvider.create(inputs());
        expect(outs.jobStatus).to.equal("Completed");
        expect(outs.jobName).to.equal(jobNameFor(inputs(), 1));
        expect(stub.calls.CreateModelImportJob).to.equal(1);
        expect(stub.jobsCreated).to.equal(1);
    });

    it("refuses credentials of another account with zero Bedrock calls", async () => {
        const err = await rejection<InitError>(importedModelProvider.create(inputs({ profile: "model-development" })));
        expect(err.message).to.contain("[accountId]").and.contain(DEV_ACCOUNT);
        expect(stub.calls.GetCallerIdentity).to.equal(1);
        expect(stub.bedrockCalls()).to.equal(0);
    });

    it("uses the profile and assumes assumeRoleArn into the hosting account", async () => {
        // The hosting account's deployer role trusts the development account (the simulator judges it).
        stub.trustPolicies.set(
            `arn:aws:iam::${ACCOUNT}:role/deployer`,
            JSON.stringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Principal: { AWS: `arn:aws:iam::${DEV_ACCOUNT}:root` },
                        Action: "sts:AssumeRole",
                    },
                ],
            }),
        );
        const { outs } = await importedModelProvider.create(
            inputs({ profile: "model-development", assumeRoleArn: `arn:aws:iam::${ACCOUNT}:role/deployer` }),
        );
        expect(outs.jobStatus).to.equal("Completed");
        expect(stub.calls.AssumeRole).to.be.at.least(1);
    });

    it("refresh sees tag drift and a model deleted outside Pulumi", async () => {
        const { id, outs } = await importedModelProvider.create(inputs());
        stub.models.get(outs.modelName)!.tags = { team: "hosting", added: "by-hand" };
        const drift = await importedModelProvider.read(id, outs);
        expect(drift.props?.tags).to.deep.equal({ team: "hosting", added: "by-hand" });
        expect((await importedModelProvider.diff(id, drift.props!, inputs())).changes).to.equal(true);
        stub.models.clear();
        expect((await importedModelProvider.read(id, outs)).id).to.equal(undefined);
    });

    it("update changes tags in place without a new job", async () => {
        const { id, outs } = await importedModelProvider.create(inputs({ tags: { team: "hosting", old: "1" } }));
        stub.resetCounters();
        const updated = await importedModelProvider.update(id, outs, inputs({ tags: { team: "serving" } }));
        expect(stub.models.get(outs.modelName)!.tags).to.deep.equal({
            team: "serving",
            "bedrock-cmi:entry": outs.entryToken,
        });
        expect(updated.outs.tags).to.deep.equal({ team: "serving" });
        expect(updated.outs.entryToken, "an update keeps the entry's token").to.equal(outs.entryToken);
        expect(stub.calls.UntagResource).to.equal(1);
        expect(stub.calls.TagResource).to.equal(1);
        expect(stub.calls.CreateModelImportJob).to.equal(0);
    });

    it("delete deletes the model; a model already gone is success", async () => {
        const { id, outs } = await importedModelProvider.create(inputs());
        await importedModelProvider.delete(id, outs);
        expect(stub.models.size).to.equal(0);
        await importedModelProvider.delete(id, outs);
        // The second delete finds the model gone while checking its owner: success without a delete call.
        expect(stub.calls.DeleteImportedModel).to.equal(1);
    });

    it("delete while the job still runs waits for it and deletes the model it produced", async () => {
        stub.jobScript = { polls: 1_000_000 };
        const err = await rejection<InitError>(importedModelProvider.create(inputs({ timeoutMinutes: 0.001 })));
        stub.jobScript = { polls: 3 };
        stub.jobs.get(err.properties!.jobName)!.polls = 0;
        // The destroy waits with the stored timeout; give it a minute of wall clock (the create's 60 ms was for the
        // deadline).
        await importedModelProvider.delete(err.id!, { ...err.properties!, timeoutMinutes: 1 });
        expect(stub.jobs.get(err.properties!.jobName)!.status).to.equal("Completed");
        expect(stub.models.size).to.equal(0);
        expect(stub.calls.DeleteImportedModel).to.equal(1);
    });

    describe("ownership: one hosting account, several stacks", () => {
        const A = "bedrock-cross-account-import/dev";
        const B = "bedrock-cross-account-import/staging";

        it("a second stack with the same settings never adopts, tags or deletes the first stack's model", async () => {
            const first = await importedModelProvider.create(inputs({ owner: A }));
            const tagsOfA = { team: "hosting", "bedrock-cmi:owner": A, "bedrock-cmi:entry": first.outs.entryToken };
            expect(stub.models.get(first.id)!.tags).to.deep.equal(tagsOfA);
            expect(first.outs.tags).to.deep.equal({ team: "hosting" });
            const tagCalls = stub.calls.TagResource + stub.calls.UntagResource;
            const err = await rejection<InitError>(importedModelProvider.create(inputs({ owner: B })));
            expect(err.message).to.contain(`belongs to stack ${A}`).and.contain("nothing was changed");
            expect(stub.jobsCreated).to.equal(1);
            expect(stub.calls.TagResource + stub.calls.UntagResource).to.equal(tagCalls);
            // Even with the first stack's model in its state (say, copied state), the second stack cannot delete or
            // retag it.
            const stolen = { ...first.outs, owner: B };
            expect((await rejection<InitError>(importedModelProvider.delete(first.id, stolen))).message).to.contain(
                `belongs to stack ${A}`,
            );
            expect(
                (
                    await rejection<InitError>(
                        importedModelProvider.update(first.id, stolen, inputs({ owner: B, tags: { team: "x" } })),
                    )
                ).message,
            ).to.contain(`belongs to stack ${A}`);
            expect(stub.calls.DeleteImportedModel).to.equal(0);
            expect(stub.models.get(first.id)!.tags).to.deep.equal(tagsOfA);
            // Its owner still manages it.
            await importedModelProvider.delete(first.id, first.outs);
            expect(stub.models.size).to.equal(0);
        });

        it("job names of two stacks differ for identical settings (owner in the hash)", () => {
            expect(jobNameFor({ ...inputs(), owner: A }, 1)).not.to.equal(jobNameFor({ ...inputs(), owner: B }, 1));
            // Resources from before owners existed keep their job names.
            expect(jobNameFor(inputs(), 1)).to.equal(jobNameFor({ ...inputs(), owner: undefined }, 1));
        });

        it("a model with that name and no owner tag is refused, with how to take it over deliberately", async () => {
            stub.seedJob({ jobName: "by-hand", importedModelName: inputs().modelName, status: "Completed" });
            const err = await rejection<InitError>(importedModelProvider.create(inputs({ owner: A })));
            expect(err.message)
                .to.contain("carries no bedrock-cmi:owner tag")
                .and.contain("aws bedrock tag-resource")
                .and.contain(`value=${A}`);
            expect(stub.jobsCreated).to.equal(0);
            // Tagged deliberately, it is adopted.
            stub.models.get(inputs().modelName)!.tags["bedrock-cmi:owner"] = A;
            const { outs } = await importedModelProvider.create(inputs({ owner: A }));
            expect(outs.modelArn).to.equal(stub.models.get(inputs().modelName)!.modelArn);
            expect(stub.jobsCreated).to.equal(0);
        });

        it("a model deployed before owners existed keeps working and gets its owner tag on the next up", async () => {
            const legacy = await importedModelProvider.create(inputs());
            expect(stub.models.get(legacy.id)!.tags).to.deep.equal({
                team: "hosting",
                "bedrock-cmi:entry": legacy.outs.entryToken,
            });
            const diff = await importedModelProvider.diff(legacy.id, legacy.outs, inputs({ owner: A }));
            expect(diff).to.deep.include({ changes: true, replaces: [] });
            const { outs } = await importedModelProvider.update(legacy.id, legacy.outs, inputs({ owner: A }));
            expect(stub.models.get(legacy.id)!.tags).to.deep.equal({
                team: "hosting",
                "bedrock-cmi:owner": A,
                "bedrock-cmi:entry": legacy.outs.entryToken,
            });
            expect(outs.owner).to.equal(A);
            expect(stub.jobsCreated).to.equal(1);
        });

        it(
            "an owner that names the deployment takes over its models from the owner of before, in place; another " +
                "deployment's stays refused",
            async () => {
                const before = await importedModelProvider.create(inputs({ owner: A }));
                const deployment = `${A}@${ACCOUNT}`;
                const diff = await importedModelProvider.diff(before.id, before.outs, inputs({ owner: deployment }));
                expect(diff).to.deep.include({ changes: true, replaces: [], deleteBeforeReplace: false });
                const { outs } = await importedModelProvider.update(
                    before.id,
                    before.outs,
                    inputs({ owner: deployment }),
                );
                expect(stub.models.get(before.id)!.tags["bedrock-cmi:owner"]).to.equal(deployment);
                expect(outs.modelArn).to.equal(before.outs.modelArn);
                expect(stub.jobsCreated).to.equal(1);
                // A same-named stack of another organization is another deployment: its own state holds no entry for this
                // model, and its create does not adopt it.
                const other = `acme/${A}@${ACCOUNT}`;
                expect(
                    (await rejection<InitError>(importedModelProvider.create(inputs({ owner: other })))).message,
                ).to.contain(`belongs to stack ${deployment}`);
            },
        );

        it(
            "the stack renamed (pulumi stack rename): the entry that holds the model updates it in place under the " +
                "new owner",
            async () => {
                const before = await importedModelProvider.create(inputs({ owner: `${A}@${ACCOUNT}` }));
                const renamed = `bedrock-cross-account-import/dev-renamed@${ACCOUNT}`;
                const { outs } = await importedModelProvider.update(before.id, before.outs, inputs({ owner: renamed }));
                expect(stub.models.get(before.id)!.tags["bedrock-cmi:owner"]).to.equal(renamed);
                expect(outs.modelArn).to.equal(before.outs.modelArn);
                expect(stub.jobsCreated).to.equal(1);
                // Without this entry's token on the model, the old owner proves nothing.
                const other = await importedModelProvider.create(inputs({ owner: B, modelName: "another-model-01" }));
                const forged = { ...other.outs, entryToken: "not-the-holder" };
                expect(
                    (
                        await rejection<InitError>(
                            importedModelProvider.update(
                                other.id,
                                forged,
                                inputs({ owner: renamed, modelName: "another-model-01" }),
                            ),
                        )
                    ).message,
                ).to.contain(`belongs to stack ${B}`);
            },
        );

        it("new provider code (providerVersion) is an in-place update that re-imports nothing", async () => {
            const { id, outs } = await importedModelProvider.create(inputs({ owner: A, providerVersion: "v1" }));
            const diff = await importedModelProvider.diff(id, outs, inputs({ owner: A, providerVersion: "v2" }));
            expect(diff).to.deep.include({ changes: true, replaces: [], deleteBeforeReplace: false });
            const same = await importedModelProvider.diff(id, outs, inputs({ owner: A, providerVersion: "v1" }));
            expect(same.changes).to.equal(false);
            const updated = await importedModelProvider.update(id, outs, inputs({ owner: A, providerVersion: "v2" }));
            expect(updated.outs.providerVersion).to.equal("v2");
            expect(stub.jobsCreated).to.equal(1);
        });
    });
});
