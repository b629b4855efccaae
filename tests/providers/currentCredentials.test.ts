// A credentials move: the profile stored in state is gone from the AWS config, and the stack config names a new one.
// Both providers, with real SDK clients and real profile resolution against the local stubs, read and delete with the
// profile of the config `configure` received, and fail with the stored one when no config reached them.
import * as pulumi from "@pulumi/pulumi";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createBucketPolicyStatementsProvider } from "../../components/dynamic/bucketPolicyStatements";
import {
    createImportedModelProvider,
    importedModelProviderLoader,
    type ImportedModelInputs,
    type ImportedModelOutputs,
} from "../../components/dynamic/importedModel";
import { AwsStub, credentialsFile, setEnv } from "../fakes/awsStub";
import { BedrockStub } from "../fakes/bedrockStub";
import { BUCKET, DEV, DEV_KEY, inputsOf, researchPolicy, stackFixture } from "../fakes/bucketPolicyFixtures";
import { rejection } from "../helpers/rejection";

const HOSTING = "777788889999";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const requireFromString: (code: string) => { handler: () => dynamic.ResourceProvider } = require("require-from-string");

/** What the host passes to `configure`: the stack's keys, namespace-qualified, objects as JSON. */
function stackConfig(sections: Record<string, object>): {
    config: { get(key: string): string | undefined; require(key: string): string };
} {
    const values = Object.fromEntries(
        Object.entries(sections).map(([k, v]) => [`bedrock-cross-account-import:${k}`, JSON.stringify(v)]),
    );
    return { config: { get: (key) => values[key], require: (key) => values[key] ?? "" } };
}

/** Only `profiles` exist in the AWS config files; no ambient keys. */
function onlyProfiles(dir: string, profiles: Record<string, string>, endpoints: Record<string, string>): () => void {
    fs.writeFileSync(path.join(dir, "credentials"), credentialsFile(profiles));
    fs.writeFileSync(path.join(dir, "config"), "");
    return setEnv({
        ...endpoints,
        AWS_ACCESS_KEY_ID: undefined,
        AWS_SECRET_ACCESS_KEY: undefined,
        AWS_SESSION_TOKEN: undefined,
        AWS_PROFILE: undefined,
        AWS_REGION: undefined,
        AWS_ENDPOINT_URL: undefined,
        AWS_SHARED_CREDENTIALS_FILE: path.join(dir, "credentials"),
        AWS_CONFIG_FILE: path.join(dir, "config"),
        AWS_EC2_METADATA_DISABLED: "true",
    });
}

describe("ImportedModel: read and delete use the current config's hosting credentials, not the stored profile", function () {
    this.timeout(15_000);
    let stub: BedrockStub;
    let dir: string;
    let restoreEnv: () => void;

    beforeEach(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "current-credentials-"));
        stub = new BedrockStub({ accountId: HOSTING });
        await stub.start();
        // The profile "old" was renamed to "new": only "new" exists now.
        restoreEnv = onlyProfiles(
            dir,
            { new: "AKIDHOSTING" },
            {
                AWS_ENDPOINT_URL_BEDROCK: stub.url,
                AWS_ENDPOINT_URL_STS: stub.url,
                AWS_ENDPOINT_URL_SERVICE_QUOTAS: stub.url,
            },
        );
    });
    afterEach(async () => {
        restoreEnv();
        await stub.stop();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    const inputs = (profile: string): ImportedModelInputs => ({
        accountId: HOSTING,
        region: "us-east-1",
        profile,
        modelName: "mistral-01-abc",
        roleArn: `arn:aws:iam::${HOSTING}:role/BedrockCMIExecutionRole-${HOSTING}`,
        s3Uri: "s3://model-artifacts-111122223333/mistral-model-weights/",
        owner: "bedrock-cross-account-import/dev",
        pollIntervalSeconds: 0.001,
        timeoutMinutes: 1,
    });

    /** A model imported before the rename: its state names the profile "old". */
    async function importedWithOldProfile(): Promise<{ id: string; stored: ImportedModelOutputs }> {
        const { id, outs } = await createImportedModelProvider().create(inputs("new"));
        expect(stub.models.size).to.equal(1);
        return { id, stored: { ...outs, profile: "old" } };
    }

    it("without a config (as before this fix), delete fails on the stored profile and the model stays", async () => {
        const { id, stored } = await importedWithOldProfile();
        const err = await rejection<Error>(createImportedModelProvider().delete(id, stored));
        expect(err.message).to.contain('profile "old"');
        expect(stub.models.size).to.equal(1);
    });

    it("configured with the stack config, delete and read reach the account with the profile the config names", async () => {
        const { id, stored } = await importedWithOldProfile();
        const provider = createImportedModelProvider();
        await provider.configure(
            stackConfig({
                modelHosting: { accountId: HOSTING, region: "us-east-1", profile: "new", executionRoleName: "R" },
            }),
        );
        const read = await provider.read(id, stored);
        expect(read.id).to.equal(id);
        expect(read.props?.modelArn).to.equal(stored.modelArn);
        await provider.delete(id, stored);
        expect(stub.models.size).to.equal(0);
        expect(stub.calls.DeleteImportedModel).to.equal(1);
    });

    it(
        "the loader the resource registers, serialized as the engine stores it, forwards configure to the provider " +
            "it loads",
        async () => {
            const { id, stored } = await importedWithOldProfile();
            // What the host does: deserialize `__provider`, call configure once, then the method.
            const text = (
                await pulumi.runtime.serializeFunction(() => importedModelProviderLoader, { allowSecrets: true })
            ).text;
            const unconfigured = requireFromString(text).handler();
            const err = await rejection<Error>(unconfigured.delete!(id, stored));
            expect(err.message).to.contain('profile "old"');
            const loader = requireFromString(text).handler();
            await loader.configure!(
                stackConfig({ modelHosting: { accountId: HOSTING, region: "us-east-1", profile: "new" } }),
            );
            await loader.delete!(id, stored);
            expect(stub.models.size).to.equal(0);
        },
    );

    it("a config whose hosting account is another one leaves the stored credentials in place", async () => {
        const { id, stored } = await importedWithOldProfile();
        const provider = createImportedModelProvider();
        await provider.configure(
            stackConfig({ modelHosting: { accountId: "444455556666", region: "us-east-1", profile: "new" } }),
        );
        const err = await rejection<Error>(provider.delete(id, stored));
        expect(err.message).to.contain('profile "old"');
        expect(stub.models.size).to.equal(1);
    });
});

describe("BucketPolicyStatements: read and delete use the current config's development credentials, not the stored profile", function () {
    this.timeout(15_000);
    const A = stackFixture("dev", HOSTING);
    let stub: AwsStub;
    let dir: string;
    let restoreEnv: () => void;

    beforeEach(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "current-credentials-"));
        stub = new AwsStub();
        stub.addUser(DEV, "developer", DEV_KEY);
        stub.buckets.set(BUCKET, { owner: DEV, policy: JSON.stringify(researchPolicy()), objects: new Map() });
        await stub.start();
        restoreEnv = onlyProfiles(dir, { "dev-new": DEV_KEY }, stub.endpointEnv());
    });
    afterEach(async () => {
        restoreEnv();
        await stub.stop();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it(
        "without a config delete fails on the stored profile; configured, read and delete use the config's and only " +
            "ours go",
        async () => {
            const { id, outs } = await createBucketPolicyStatementsProvider().create(
                inputsOf(A, { profile: "dev-new" }),
            );
            const stored = { ...outs, profile: "dev-old" };
            const err = await rejection<Error>(createBucketPolicyStatementsProvider().delete(id, stored));
            expect(err.message).to.contain('profile "dev-old"');
            expect(JSON.parse(stub.buckets.get(BUCKET)!.policy!)).to.not.deep.equal(researchPolicy());

            const provider = createBucketPolicyStatementsProvider();
            await provider.configure(
                stackConfig({
                    modelHosting: { accountId: HOSTING, region: "us-east-1", profile: "hosting-profile" },
                    modelDevelopment: { accountId: DEV, region: "us-east-1", profile: "dev-new" },
                }),
            );
            const read = await provider.read(id, stored);
            expect(read.props?.statements?.length).to.be.greaterThan(0);
            await provider.delete(id, stored);
            expect(JSON.parse(stub.buckets.get(BUCKET)!.policy!)).to.deep.equal(researchPolicy());
        },
    );
});
