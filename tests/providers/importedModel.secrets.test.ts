// What the program asks the engine for: the smoke test's prompt (input `smokeTest`) and the start of the
// reply (`smokeTestReply`) are secrets, so state holds them encrypted. Options are not in MockResourceArgs,
// so the test reads the RegisterResource request the mock monitor receives.
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { ImportedModel } from "../../components/dynamic/importedModel";

const SECRET_SIG = pulumi.runtime.specialSecretSig;
const ACCOUNT = "777788889999";

interface RegisterRequest {
    getType(): string;
    getName(): string;
    getAdditionalsecretoutputsList(): string[];
    getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
}

interface Captured {
    secretOutputs: string[];
    inputs: Record<string, unknown>;
}

async function register(
    name: string,
    args: Partial<ConstructorParameters<typeof ImportedModel>[1]>,
    opts?: pulumi.CustomResourceOptions,
): Promise<Captured> {
    const captured: Captured[] = [];
    await pulumi.runtime.setMocks(
        { newResource: (a) => ({ id: `${a.name}-id`, state: a.inputs }), call: (a) => a.inputs },
        "project",
        "test",
        false,
    );
    const monitor = pulumi.runtime.getMonitor() as unknown as {
        registerResource: (req: RegisterRequest, cb: unknown) => unknown;
    };
    const original = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, cb) => {
        captured.push({
            secretOutputs: req.getAdditionalsecretoutputsList(),
            inputs: req.getObject()?.toJavaScript() ?? {},
        });
        return original(req, cb);
    };
    const model = new ImportedModel(
        name,
        {
            accountId: ACCOUNT,
            region: "us-east-1",
            modelName: "mistral-01",
            roleArn: `arn:aws:iam::${ACCOUNT}:role/r`,
            s3Uri: "s3://b/p/",
            ...args,
        },
        opts,
    );
    await new Promise<void>((resolve) => model.urn.apply(() => resolve()));
    expect(captured).to.have.length(1);
    return captured[0];
}

describe("ImportedModel keeps the smoke test's prompt and reply secret in state", () => {
    it("asks the engine to encrypt smokeTestReply and smokeTest, keeping options given", async () => {
        const run = await register(
            "m",
            { smokeTest: { prompt: "the secret prompt", maxTokens: 8 } },
            { additionalSecretOutputs: ["jobName"], protect: false },
        );
        expect(run.secretOutputs).to.have.members(["jobName", "smokeTestReply", "smokeTest"]);
    });

    it("sends the smokeTest input as a secret", async () => {
        const run = await register("m", { smokeTest: { prompt: "the secret prompt" } });
        const smoke = run.inputs.smokeTest as Record<string, unknown>;
        expect(smoke[pulumi.runtime.specialSigKey], "the prompt travels as a secret").to.equal(SECRET_SIG);
        expect(smoke.value).to.deep.equal({ prompt: "the secret prompt" });
    });

    it("leaves smokeTest absent when there is no smoke test", async () => {
        const run = await register("m", {});
        expect(run.inputs).to.not.have.property("smokeTest");
        expect(run.secretOutputs).to.include.members(["smokeTestReply", "smokeTest"]);
    });
});
