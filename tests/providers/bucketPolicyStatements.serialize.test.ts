// What the engine does with the bucket-policy provider: serialize what the resource registers (the loader, loader.ts)
// with Pulumi's closure serializer, load the text in another process with require-from-string, and call it; the loader
// requires the provider from the checkout. Here the loaded copy runs check, diff, create, read and delete in a plain
// Node process against the local S3/STS stub.
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { spawn } from "node:child_process";
import * as path from "node:path";
import {
    bucketPolicyStatementsProviderLoader,
    type BucketPolicyStatementsProvider,
} from "../../components/dynamic/bucketPolicyStatements";
import { expectLoaderOnly } from "../helpers/loaderText";
import { BUCKET_POLICY_STATEMENTS_PROVIDER_MODULE } from "../../components/dynamic/providerModules";
import type { PolicyDocument } from "../../components/policies/document";
import { AwsStub } from "../fakes/awsStub";
import {
    BUCKET,
    DEV,
    DEV_KEY,
    inputsOf,
    researchPolicy,
    stackFixture,
    statementsOf,
} from "../fakes/bucketPolicyFixtures";

type LoadedProvider = { handler: () => BucketPolicyStatementsProvider };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const requireFromString: (code: string) => LoadedProvider = require("require-from-string");

/** Runs `script` in a fresh Node process with the serialized provider on stdin; async, so the stub keeps serving. */
function runChild(
    script: string,
    text: string,
    env: Record<string, string>,
    arg: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
        const child = spawn(process.execPath, ["-e", script, arg], {
            cwd: path.resolve(__dirname, "..", ".."),
            env: { ...process.env, ...env },
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
        child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
        child.on("close", (code) => resolve({ code, stdout, stderr }));
        child.stdin.end(text);
    });
}

describe("BucketPolicyStatements provider serialization: the loader (what the engine runs)", function () {
    this.timeout(20_000);
    const A = stackFixture("dev", "777788889999");
    let text: string;

    before(async () => {
        const serialized = await pulumi.runtime.serializeFunction(() => bucketPolicyStatementsProviderLoader, {
            allowSecrets: true,
        });
        text = serialized.text;
        expect(serialized.containsSecrets).to.equal(false);
    });

    it("serializes without capturing SDK clients, provider code or Pulumi runtime modules", () => {
        expectLoaderOnly(
            text,
            BUCKET_POLICY_STATEMENTS_PROVIDER_MODULE.entry,
            "PutBucketPolicy",
            requireFromString(text).handler(),
        );
    });

    it("runs check, diff, create, read and delete in a plain Node process against the stub", async () => {
        const stub = new AwsStub();
        stub.addUser(DEV, "developer", DEV_KEY);
        stub.buckets.set(BUCKET, { owner: DEV, policy: JSON.stringify(researchPolicy()), objects: new Map() });
        await stub.start();
        try {
            // In-process, identifiers such as `describe` exist on the global object and would hide a free variable
            // the serializer failed to capture; a fresh process does not.
            const script = `
                const chunks = [];
                process.stdin.on("data", (c) => chunks.push(c));
                process.stdin.on("end", async () => {
                    try {
                        const provider = require("require-from-string")(Buffer.concat(chunks).toString()).handler();
                        const news = JSON.parse(process.argv[1]);
                        const check = await provider.check(news, { ...news, sidPrefix: "Bedrock-Cmi-Dev-1" });
                        const diff = await provider.diff("id", { ...news, providerVersion: "old" }, news);
                        const created = await provider.create(news);
                        const read = await provider.read(created.id, created.outs);
                        await provider.delete(created.id, read.props);
                        // What the loader loaded: the checkout's provider, and with it the S3 and STS SDKs.
                        const sdks = ["@aws-sdk/client-s3/", "@aws-sdk/client-sts/"].filter((m) => Object.keys(require.cache).some((id) => id.includes(m)));
                        process.stdout.write(JSON.stringify({ check, diff, created, read, sdks }));
                    } catch (err) {
                        process.stderr.write(String(err && err.stack || err));
                        process.exit(1);
                    }
                });`;
            const env = {
                ...stub.endpointEnv(),
                AWS_ACCESS_KEY_ID: DEV_KEY,
                AWS_SECRET_ACCESS_KEY: "stub-secret",
                AWS_SESSION_TOKEN: "",
                AWS_PROFILE: "",
                AWS_EC2_METADATA_DISABLED: "true",
                AWS_CONFIG_FILE: path.join(__dirname, "no-such-aws-config"),
                AWS_SHARED_CREDENTIALS_FILE: path.join(__dirname, "no-such-aws-credentials"),
            };
            const child = await runChild(script, text, env, JSON.stringify(inputsOf(A)));
            expect(child.code, child.stderr).to.equal(0);
            const result = JSON.parse(child.stdout) as {
                check: { failures: Array<{ property: string }> };
                diff: { changes: boolean; replaces: string[] };
                created: { id: string; outs: { statements: unknown[] } };
                read: { id: string; props: { statements: unknown[] } };
                sdks: string[];
            };
            expect(result.sdks, "the SDKs, required by the provider the loader loaded").to.deep.equal([
                "@aws-sdk/client-s3/",
                "@aws-sdk/client-sts/",
            ]);
            expect(result.check.failures.map((f) => f.property)).to.deep.equal(["sidPrefix"]);
            expect(result.diff).to.deep.include({ changes: true, replaces: [] });
            expect(result.created.id).to.equal(`${BUCKET}/${A.sidPrefix}`);
            expect(result.created.outs.statements).to.deep.equal(statementsOf(A));
            expect(result.read.props.statements).to.deep.equal(statementsOf(A));
            // Created, read, deleted: the research team's document is what is left, and nothing was deleted whole.
            expect(JSON.parse(stub.buckets.get(BUCKET)!.policy!) as PolicyDocument).to.deep.equal(researchPolicy());
            expect(stub.count("PutBucketPolicy")).to.equal(2);
            expect(stub.count("DeleteBucketPolicy")).to.equal(0);
            expect(stub.count("GetCallerIdentity")).to.equal(3);
        } finally {
            await stub.stop();
        }
    });
});
