// The SDK adapter of the in-memory Bedrock (./bedrock.ts) and STS (./sts.ts): a command's class name is the operation,
// its input the model's input, and a FakeError becomes the exception the SDK would throw (the client's own class where
// it has one). Two ways in: aws-sdk-client-mock (tests that mock BedrockClient and STSClient) and an injected
// CommandSender (benches, which also answer STS's GetCallerIdentity).
import * as bedrockClient from "@aws-sdk/client-bedrock";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import type { mockClient } from "aws-sdk-client-mock";
import { BEDROCK_OPERATIONS, type BedrockOperation, type FakeBedrock, type FakeError, isFakeError } from "./bedrock";
import { FakeSts } from "./sts";

type ExceptionClass = new (opts: { message: string; $metadata: { httpStatusCode: number } }) => Error;

/** The error the SDK would throw for this wire error. */
function sdkError(err: FakeError): Error {
    const Known = (bedrockClient as unknown as Record<string, unknown>)[err.type];
    if (
        typeof Known === "function" &&
        (Known as { prototype: unknown }).prototype instanceof bedrockClient.BedrockServiceException
    ) {
        return new (Known as ExceptionClass)({ message: err.message, $metadata: { httpStatusCode: err.status } });
    }
    return Object.assign(new Error(err.message), {
        name: err.type,
        $fault: err.status >= 500 ? "server" : "client",
        $metadata: { httpStatusCode: err.status },
    });
}

/** A model's answer, its FakeError thrown as the SDK's exception. */
function asSdk<T>(answer: () => T): T {
    try {
        return answer();
    } catch (err) {
        throw isFakeError(err) ? sdkError(err) : err;
    }
}

const call = (fake: FakeBedrock, op: BedrockOperation, input: Record<string, unknown>) =>
    asSdk(() => fake.handle(op, input));

/** Routes every Bedrock command of a mocked BedrockClient to the model. */
export function mockBedrock(mock: ReturnType<typeof mockClient>, fake: FakeBedrock): void {
    for (const op of BEDROCK_OPERATIONS.filter((o) => o !== "InvokeModel" && o !== "GetServiceQuota")) {
        const command = (bedrockClient as unknown as Record<string, unknown>)[`${op}Command`] as Parameters<
            typeof mock.on
        >[0];
        mock.on(command).callsFake((input: Record<string, unknown>) => call(fake, op, input));
    }
}

/**
 * Routes a mocked STSClient's GetCallerIdentity to the STS model as the identity of `accessKeyId` (a mocked client
 * never signs, so the test says whose key it holds; call again to switch).
 */
export function mockSts(mock: ReturnType<typeof mockClient>, sts: FakeSts, accessKeyId: string): void {
    mock.on(GetCallerIdentityCommand).callsFake(() => asSdk(() => sts.callerIdentity(accessKeyId)));
}

/**
 * A client object for the providers' injected `clients`: Bedrock, bedrock-runtime and STS's GetCallerIdentity (a user
 * of the fake's account).
 */
export function bedrockSender(fake: FakeBedrock): { send(command: object): Promise<unknown> } {
    // No role to assume: the benches' providers use the caller's own credentials.
    const sts = new FakeSts(() => undefined);
    const key = sts.addUser(fake.accountId, "bench", "AKIDBENCH");
    return {
        async send(command: object): Promise<unknown> {
            const name = (command as { constructor: { name: string } }).constructor.name.replace(/Command$/, "");
            const input = (command as { input: Record<string, unknown> }).input;
            if (name === "GetCallerIdentity") return asSdk(() => sts.callerIdentity(key));
            if (!(BEDROCK_OPERATIONS as readonly string[]).includes(name))
                throw new Error(`fake Bedrock: unexpected ${name}`);
            const out = call(fake, name as BedrockOperation, input);
            // InvokeModel's SDK output carries the response as bytes.
            return name === "InvokeModel" ? { body: Buffer.from(JSON.stringify(out)) } : out;
        },
    };
}
