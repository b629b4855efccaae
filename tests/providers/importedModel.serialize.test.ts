// What the engine does at `up`: serialize the provider the resource registers (the loader, loader.ts) with Pulumi's
// closure serializer, load the text elsewhere with require-from-string, and call it. The loader then requires the
// provider from the checkout, as the engine's provider host does. A free variable the serializer did not capture, or a
// loader that cannot find the provider, breaks here, not in a unit test that calls the provider directly.
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import {
    ImportedModelInputs,
    ImportedModelOutputs,
    ImportedModelProvider,
    importedModelProviderLoader,
} from "../../components/dynamic/importedModel";
import { expectLoaderOnly } from "../helpers/loaderText";
import { IMPORTED_MODEL_PROVIDER_MODULE } from "../../components/dynamic/providerModules";
import { BedrockStub } from "../fakes/bedrockStub";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const requireFromString: (code: string) => { handler: () => ImportedModelProvider } = require("require-from-string");

const ACCOUNT = "777788889999";
const inputs = (overrides: Partial<ImportedModelInputs> = {}): ImportedModelInputs => ({
    accountId: ACCOUNT,
    region: "us-east-1",
    modelName: "mistral-777788889999-01",
    roleArn: `arn:aws:iam::${ACCOUNT}:role/BedrockCMIExecutionRole-${ACCOUNT}`,
    s3Uri: "s3://model-artifacts-111122223333/mistral-model-weights/",
    kmsKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:alias/kms-cmk-${ACCOUNT}`,
    tags: { team: "hosting" },
    pollIntervalSeconds: 0.001,
    ...overrides,
});

describe("ImportedModel provider serialization: the loader (what the engine runs)", function () {
    this.timeout(20_000);
    let text: string;
    let loaded: ImportedModelProvider;

    before(async () => {
        const serialized = await pulumi.runtime.serializeFunction(() => importedModelProviderLoader, {
            allowSecrets: true,
        });
        text = serialized.text;
        expect(serialized.containsSecrets).to.equal(false);
        loaded = requireFromString(text).handler();
    });

    it("serializes without capturing SDK clients, provider code or Pulumi runtime modules", () => {
        expectLoaderOnly(text, IMPORTED_MODEL_PROVIDER_MODULE.entry, "CreateModelImportJob", loaded);
    });

    it("check validates and names the property after the round trip", async () => {
        expect((await loaded.check(inputs(), inputs())).failures).to.deep.equal([]);
        const bad = await loaded.check(inputs(), inputs({ s3Uri: "s3://bucket/no-slash", accountId: "7777" }));
        expect(bad.failures?.map((f) => f.property).sort()).to.deep.equal(["accountId", "s3Uri"]);
    });

    it("diff replaces import-defining changes, updates tags in place, ignores key spelling", async () => {
        const state: ImportedModelOutputs = {
            ...inputs({ kmsKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab` }),
            kmsKeyInput: inputs().kmsKeyArn,
            jobName: "j-1",
            attempt: 1,
            jobStatus: "Completed",
            modelArn: "arn:aws:bedrock:us-east-1:777788889999:imported-model/abc",
        };
        expect(await loaded.diff("id", state, inputs())).to.deep.include({ changes: false, replaces: [] });
        expect(await loaded.diff("id", state, inputs({ tags: { team: "x" } }))).to.deep.include({
            changes: true,
            replaces: [],
        });
        expect(
            await loaded.diff("id", state, inputs({ s3Uri: "s3://model-artifacts-111122223333/v2/" })),
        ).to.deep.include({
            changes: true,
            replaces: ["s3Uri"],
            deleteBeforeReplace: true,
        });
    });

    it("loads and runs in a plain Node process (no test-runner globals), as in the engine's provider host", () => {
        // In-process, identifiers such as `describe` exist on the global object and would hide a
        // free variable the serializer failed to capture; a fresh process does not.
        const script = `
            const chunks = [];
            process.stdin.on("data", (c) => chunks.push(c));
            process.stdin.on("end", async () => {
                const provider = require("require-from-string")(Buffer.concat(chunks).toString()).handler();
                const news = JSON.parse(process.argv[1]);
                const check = await provider.check(news, { ...news, modelName: "bad name" });
                const diff = await provider.diff("id", { ...news, jobName: "j-1", attempt: 1, jobStatus: "Completed", modelArn: "arn:m" }, { ...news, region: "us-west-2" });
                // What the loader loaded: the checkout's provider, and with it the Bedrock SDK from node_modules.
                const sdk = Object.keys(require.cache).some((id) => id.includes("@aws-sdk/client-bedrock/"));
                process.stdout.write(JSON.stringify({ check, diff, sdk }));
            });`;
        const child = spawnSync(process.execPath, ["-e", script, JSON.stringify(inputs())], {
            cwd: path.resolve(__dirname, "..", ".."),
            input: text,
            encoding: "utf8",
        });
        expect(child.status, child.stderr).to.equal(0);
        const result = JSON.parse(child.stdout) as {
            check: { failures: { property: string }[] };
            diff: { replaces: string[] };
            sdk: boolean;
        };
        expect(result.check.failures.map((f) => f.property)).to.deep.equal(["modelName"]);
        expect(result.diff.replaces).to.deep.equal(["region"]);
        expect(result.sdk, "the Bedrock SDK, required by the provider the loader loaded").to.equal(true);
    });

    describe("create/read/delete of the deserialized provider against the stub", () => {
        const saved: Record<string, string | undefined> = {};
        const keys = [
            "AWS_ENDPOINT_URL_BEDROCK",
            "AWS_ENDPOINT_URL_SERVICE_QUOTAS",
            "AWS_ENDPOINT_URL_STS",
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_PROFILE",
            "AWS_SESSION_TOKEN",
        ];
        let stub: BedrockStub;

        before(async () => {
            for (const key of keys) {
                saved[key] = process.env[key];
                delete process.env[key];
            }
            stub = new BedrockStub({ accountId: ACCOUNT });
            await stub.start();
            Object.assign(process.env, {
                AWS_ENDPOINT_URL_BEDROCK: stub.url,
                AWS_ENDPOINT_URL_SERVICE_QUOTAS: stub.url,
                AWS_ENDPOINT_URL_STS: stub.url,
                AWS_ACCESS_KEY_ID: "AKIDHOSTING",
                AWS_SECRET_ACCESS_KEY: "hosting-secret",
            });
        });

        after(async () => {
            await stub.stop();
            for (const key of keys) {
                if (saved[key] === undefined) {
                    delete process.env[key];
                } else {
                    process.env[key] = saved[key];
                }
            }
        });

        it("imports, refreshes and deletes", async () => {
            const { id, outs } = await loaded.create(inputs());
            expect(outs.jobStatus).to.equal("Completed");
            expect(stub.jobsCreated).to.equal(1);
            expect((await loaded.read(id, outs)).id).to.equal(id);
            await loaded.delete(id, outs);
            expect(stub.models.size).to.equal(0);
        });
    });
});
