// Pulumi's real dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`), driven over gRPC as the engine drives
// it, with the `__provider` the resources really register. This is the failure-state class of the engine suite
// (tests/engine) in `npm test`: after a create that fails with an initialization failure, the engine stores exactly
// the failure's properties as outputs and hands them to Read (refresh) and Delete (destroy).
import * as grpc from "@grpc/grpc-js";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { type ChildProcess, spawn } from "node:child_process";
import * as net from "node:net";
import * as path from "node:path";
import { bucketPolicyStatementsProviderLoader } from "../../components/dynamic/bucketPolicyStatements";
import { importedModelProviderLoader, type ImportedModelInputs } from "../../components/dynamic/importedModel";
import { MAX_LOADER_BYTES } from "../../components/dynamic/loader";
import { AwsStub } from "../fakes/awsStub";
import { BedrockStub } from "../fakes/bedrockStub";
import { BUCKET, DEV, DEV_KEY, inputsOf, researchPolicy, stackFixture } from "../fakes/bucketPolicyFixtures";
import { rejection } from "../helpers/rejection";

/* eslint-disable @typescript-eslint/no-require-imports -- generated protobuf modules without typings for these paths */
const { ResourceProviderClient } = require("@pulumi/pulumi/proto/provider_grpc_pb");
const providerPb = require("@pulumi/pulumi/proto/provider_pb");
const statusPb = require("@pulumi/pulumi/proto/status_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

const REPO = path.resolve(__dirname, "..", "..");
const ACCOUNT = "777788889999";

interface ProtoMessage {
    [method: string]: (...args: unknown[]) => unknown;
}
type Props = Record<string, unknown>;

interface HostFailure {
    message: string;
    /** The initialization failure the engine would record, when the host sent one. */
    init?: { id: string; properties: Props };
}

/** One host process on 127.0.0.1, started in the program's folder as the engine starts it. */
class Host {
    private child?: ChildProcess;
    private client?: ProtoMessage;
    /** Where the host's engine listens: a host whose engine address refuses connections stops (engineWatch.ts). */
    private engine?: net.Server;

    async start(env: NodeJS.ProcessEnv): Promise<void> {
        this.engine = net.createServer((socket) => socket.destroy());
        await new Promise<void>((resolve) => this.engine!.listen(0, "127.0.0.1", resolve));
        const engineAddress = `127.0.0.1:${(this.engine.address() as net.AddressInfo).port}`;
        this.child = spawn(
            process.execPath,
            [path.join(REPO, "node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js"), engineAddress],
            {
                cwd: REPO,
                env,
                stdio: ["ignore", "pipe", "inherit"],
            },
        );
        const port = await new Promise<string>((resolve) =>
            this.child!.stdout!.once("data", (c: Buffer) => resolve(c.toString().trim())),
        );
        this.client = new ResourceProviderClient(
            `127.0.0.1:${port}`,
            grpc.credentials.createInsecure(),
        ) as ProtoMessage;
    }

    stop(): void {
        (this.client as unknown as grpc.Client | undefined)?.close();
        this.child?.kill("SIGKILL");
        this.engine?.close();
    }

    private call<T>(method: string, request: ProtoMessage): Promise<T> {
        return new Promise((resolve, reject) =>
            this.client![method](request, (err: grpc.ServiceError | null, resp: T) => {
                if (!err) return resolve(resp);
                const failure: HostFailure = { message: err.details };
                const details = err.metadata?.get("grpc-status-details-bin")[0];
                if (details) {
                    const any = (
                        statusPb.Status.deserializeBinary(details) as ProtoMessage
                    ).getDetailsList() as ProtoMessage[];
                    const init = providerPb.ErrorResourceInitFailed.deserializeBinary(
                        any[0].getValue(),
                    ) as ProtoMessage;
                    failure.init = {
                        id: init.getId() as string,
                        properties: (init.getProperties() as ProtoMessage).toJavaScript() as Props,
                    };
                }
                reject(failure);
            }),
        );
    }

    create(urn: string, props: Props): Promise<{ id: string; properties: Props }> {
        const req = new providerPb.CreateRequest() as ProtoMessage;
        req.setUrn(urn);
        req.setProperties(Struct.fromJavaScript(props));
        return this.call<ProtoMessage>("create", req).then((r) => ({
            id: r.getId() as string,
            properties: (r.getProperties() as ProtoMessage).toJavaScript() as Props,
        }));
    }

    read(urn: string, id: string, props: Props): Promise<{ id: string; properties: Props }> {
        const req = new providerPb.ReadRequest() as ProtoMessage;
        req.setUrn(urn);
        req.setId(id);
        req.setProperties(Struct.fromJavaScript(props));
        return this.call<ProtoMessage>("read", req).then((r) => ({
            id: r.getId() as string,
            properties: (r.getProperties() as ProtoMessage)?.toJavaScript() as Props,
        }));
    }

    delete(urn: string, id: string, props: Props): Promise<void> {
        const req = new providerPb.DeleteRequest() as ProtoMessage;
        req.setUrn(urn);
        req.setId(id);
        req.setProperties(Struct.fromJavaScript(props));
        return this.call<void>("delete", req);
    }
}

/** What dynamic.Resource stores as `__provider` (@pulumi/pulumi/dynamic: serializeFunction(() => provider)). */
async function registered(provider: object): Promise<string> {
    return (await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true })).text;
}

const OFFLINE_ENV = {
    PATH: process.env.PATH,
    AWS_REGION: "us-east-1",
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    AWS_EC2_METADATA_DISABLED: "true",
    // The SDK's Node-version notice: printed once by mocha's main process (tests/helpers/nodeNotice.ts), not by each
    // host.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED,
};

describe("ImportedModel through Pulumi's real dynamic-provider host over gRPC", function () {
    this.timeout(30_000);
    const urn = "urn:pulumi:dev::bedrock-cross-account-import::pulumi-nodejs:dynamic/bedrock:ImportedModel::m";
    let stub: BedrockStub;
    let host: Host;
    let loader: string;

    before(async () => {
        loader = await registered(importedModelProviderLoader);
        stub = new BedrockStub({ accountId: ACCOUNT });
        await stub.start();
        host = new Host();
        await host.start({
            ...OFFLINE_ENV,
            AWS_ACCESS_KEY_ID: "AKIDHOSTING",
            AWS_SECRET_ACCESS_KEY: "hosting-secret",
            AWS_ENDPOINT_URL_BEDROCK: stub.url,
            AWS_ENDPOINT_URL_STS: stub.url,
            AWS_ENDPOINT_URL_SERVICE_QUOTAS: stub.url,
        });
    });
    after(async () => {
        host.stop();
        await stub.stop();
    });

    const inputs = (): ImportedModelInputs & Props => ({
        accountId: ACCOUNT,
        region: "us-east-1",
        modelName: "mistral-01-abc",
        roleArn: `arn:aws:iam::${ACCOUNT}:role/BedrockCMIExecutionRole-${ACCOUNT}`,
        s3Uri: "s3://model-artifacts-111122223333/mistral-model-weights/",
        owner: "bedrock-cross-account-import/dev",
        pollIntervalSeconds: 0.01,
        timeoutMinutes: 0.01,
        __provider: loader,
    });

    it("registers a provider small enough for the failure's gRPC trailer", () => {
        expect(loader.length).to.be.lessThan(MAX_LOADER_BYTES);
    });

    it(
        "after an import that outlives timeoutMinutes, refresh (Read) and destroy (Delete) work with the stored " +
            "failure",
        async () => {
            stub.jobScript = { polls: 1_000_000 };
            const failure = await rejection<HostFailure>(host.create(urn, inputs()));
            expect(failure.message).to.contain("still InProgress");
            expect(failure.init, "an initialization failure, so the engine keeps the resource").to.not.equal(undefined);
            const stored = failure.init!.properties;
            expect(stored.jobName).to.be.a("string");
            expect(stored.__provider, "what refresh and destroy load the provider from").to.equal(loader);

            const read = await host.read(urn, failure.init!.id, stored);
            expect(read.id).to.equal(failure.init!.id);
            expect(read.properties.jobStatus).to.equal("InProgress");

            // The job completes while destroy waits; destroy deletes the model it produced.
            stub.jobScript = { polls: 0 };
            await host.delete(urn, failure.init!.id, { ...read.properties, timeoutMinutes: 1 });
            expect(stub.jobsCreated).to.equal(1);
            expect(stub.models.size).to.equal(0);
            expect(stub.calls.DeleteImportedModel).to.equal(1);
        },
    );
});

describe("BucketPolicyStatements through Pulumi's real dynamic-provider host over gRPC", function () {
    this.timeout(30_000);
    const urn = "urn:pulumi:dev::bedrock-cross-account-import::pulumi-nodejs:dynamic/bedrock:BucketPolicyStatements::p";
    const A = stackFixture("dev", ACCOUNT);
    let stub: AwsStub;
    let host: Host;
    let loader: string;

    before(async () => {
        loader = await registered(bucketPolicyStatementsProviderLoader);
        stub = new AwsStub();
        stub.addUser(DEV, "developer", DEV_KEY);
        stub.buckets.set(BUCKET, { owner: DEV, policy: JSON.stringify(researchPolicy()), objects: new Map() });
        await stub.start();
        host = new Host();
        await host.start({
            ...OFFLINE_ENV,
            ...stub.endpointEnv(),
            AWS_ACCESS_KEY_ID: DEV_KEY,
            AWS_SECRET_ACCESS_KEY: "stub-secret",
        });
    });
    after(async () => {
        host.stop();
        await stub.stop();
    });

    it(
        "after a failure that follows a write, refresh (Read) and destroy (Delete) work, and only this stack's " +
            "statements go",
        async () => {
            // The write lands, then reading it back is refused: something was written, so the engine must keep the
            // resource.
            stub.afterPolicyWrite = () => {
                stub.afterPolicyWrite = undefined;
                stub.policyFaults.GetBucketPolicy = [{ status: 403, code: "AccessDenied", message: "Access Denied" }];
            };
            const failure = await rejection<HostFailure>(host.create(urn, { ...inputsOf(A), __provider: loader }));
            expect(failure.init, "an initialization failure, so the engine keeps the resource").to.not.equal(undefined);
            expect(failure.init!.properties.__provider).to.equal(loader);

            const read = await host.read(urn, failure.init!.id, failure.init!.properties);
            expect(read.id).to.equal(failure.init!.id);
            expect((read.properties.statements as unknown[]).length).to.be.greaterThan(0);

            await host.delete(urn, failure.init!.id, read.properties);
            expect(JSON.parse(stub.buckets.get(BUCKET)!.policy!)).to.deep.equal(researchPolicy());
        },
    );
});
