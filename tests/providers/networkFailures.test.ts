// A network that drops or cannot reach an endpoint is reported as such: verify-access does not call it bad
// credentials, and the smoke test retries a reset connection like throttling.

import { expect } from "chai";
import * as net from "net";
import { runSmokeTest } from "../../components/dynamic/importedModel/smokeTest";
import { sdkClientFactory, type AccountClients } from "../../scripts/verify/clients";
import { checkIdentity } from "../../scripts/verify/identity";
import { setEnv } from "../fakes/awsStub";

const TARGET = { accountId: "777788889999", region: "us-east-1" };

function networkError(code: string, message: string): Error {
    return Object.assign(new Error(message), { code });
}

function clientsThrowing(err: Error): AccountClients {
    const failing = { send: () => Promise.reject(err) };
    return {
        sts: failing,
        s3: failing,
        iam: failing,
        kms: failing,
        source: "the default credential chain",
    } as unknown as AccountClients;
}

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
}

describe("network failures are reported as network failures", function () {
    this.timeout(20000);

    for (const [code, message] of [
        ["ENOTFOUND", "getaddrinfo ENOTFOUND sts.us-east-1.amazonaws.com"],
        ["ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:443"],
        ["ETIMEDOUT", "connect ETIMEDOUT 52.94.0.1:443"],
    ]) {
        it(`verify-access identity check: ${code} is an unreachable endpoint, not bad credentials`, async () => {
            const { result } = await checkIdentity("hosting", TARGET, clientsThrowing(networkError(code, message)));
            expect(result.ok).to.equal(false);
            expect(result.detail)
                .to.include("could not reach the STS endpoint")
                .and.include(code)
                .and.include("the credentials were not judged");
            expect(result.fix).to.include("network").and.include("AWS_ENDPOINT_URL_STS");
            expect(result.fix).not.to.include("aws sso login");
        });
    }

    it("verify-access identity check: an SDK timeout (TimeoutError) is an unreachable endpoint", async () => {
        const timeout = Object.assign(new Error("Connection timed out after 1000 ms"), { name: "TimeoutError" });
        const { result } = await checkIdentity(
            "development",
            { ...TARGET, accountId: "111122223333" },
            clientsThrowing(timeout),
        );
        expect(result.detail).to.include("could not reach the STS endpoint");
    });

    it("verify-access identity check with the real SDK against a closed port: ECONNREFUSED, named as such", async () => {
        const port = await closedPort();
        const restore = setEnv({
            AWS_ENDPOINT_URL_STS: `http://127.0.0.1:${port}`,
            AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
            AWS_SECRET_ACCESS_KEY: "secret",
            AWS_SESSION_TOKEN: undefined,
            AWS_PROFILE: undefined,
        });
        try {
            const clients = sdkClientFactory("dev", { maxAttempts: 1 }).account("hosting", TARGET);
            const { result } = await checkIdentity("hosting", TARGET, clients);
            expect(result.ok).to.equal(false);
            expect(result.detail)
                .to.include(`could not reach the STS endpoint http://127.0.0.1:${port}`)
                .and.include("ECONNREFUSED");
        } finally {
            restore();
        }
    });

    it("bad credentials are still reported as credentials", async () => {
        const invalid = Object.assign(new Error("The security token included in the request is invalid."), {
            name: "InvalidClientTokenId",
        });
        const { result } = await checkIdentity("hosting", TARGET, clientsThrowing(invalid));
        expect(result.detail).to.include("sts:GetCallerIdentity failed: InvalidClientTokenId");
        expect(result.fix).to.include("aws sso login");
        // verify-access does not know the stack file's path here: the fix is the command that writes it, not a
        // placeholder.
        expect(result.fix).not.to.include("Pulumi.<stack>.yaml");
        expect(result.fix).to.include(
            "pulumi config set --path 'bedrock-cross-account-import:modelHosting.profile' <profile>",
        );
    });

    it("smoke test: ECONNRESET is retried like throttling, then the answer counts", async () => {
        let t = 0;
        let calls = 0;
        const runtime = {
            send: async () => {
                calls++;
                if (calls <= 2) throw networkError("ECONNRESET", "socket hang up");
                return { body: Buffer.from(JSON.stringify({ choices: [{ text: "hi" }] })) };
            },
        };
        const result = await runSmokeTest(
            {
                runtime,
                now: () => t,
                sleep: async (ms) => void (t += ms),
                random: () => 1,
            },
            "arn:aws:bedrock:us-east-1:777788889999:imported-model/abc",
            {},
        );
        expect(calls).to.equal(3);
        expect(result).to.include({ reply: "hi", notReadyRetries: 0 });
    });
});
