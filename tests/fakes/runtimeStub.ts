// A local bedrock-runtime stub for InvokeModel. @aws-sdk/client-bedrock-runtime's default handler speaks HTTP/2, in
// cleartext (h2c) against an http:// endpoint, so this serves node:http2 on 127.0.0.1 and the real client reaches it
// through AWS_ENDPOINT_URL_BEDROCK_RUNTIME. Which models exist, and whether they are ready, is the in-memory Bedrock's
// (tests/fakes/bedrock.ts). Route (dist-cjs of the client): POST /model/{modelId}/invoke, the model ARN URL-encoded as
// one segment.

import * as http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { type FakeBedrock, isFakeError } from "./bedrock";
import type { StubError } from "./bedrockStub";

export const runtimeErrors = {
    notReady: (): StubError => ({
        status: 429,
        type: "ModelNotReadyException",
        message: "Model is not ready for inference. Wait and try again.",
    }),
    throttling: (): StubError => ({ status: 429, type: "ThrottlingException", message: "Too many requests" }),
    malformed: (): StubError => ({
        status: 400,
        type: "ValidationException",
        message: "Malformed input request, please reformat your input and try again.",
    }),
    accessDenied: (): StubError => ({
        status: 403,
        type: "AccessDeniedException",
        message: "You don't have access to the model with the specified model ID.",
    }),
};

export class RuntimeStub {
    url = "";
    invocations = 0;
    /** Answers queued per call, consumed first: errors, then the normal reply. */
    readonly queued: StubError[] = [];
    /** Bodies received, parsed. */
    readonly bodies: unknown[] = [];
    private server?: http2.Http2Server;

    constructor(private readonly bedrock: FakeBedrock) {}

    async start(): Promise<void> {
        this.server = http2.createServer();
        this.server.on("stream", (stream, headers) => {
            const chunks: Buffer[] = [];
            stream.on("data", (c: Buffer) => chunks.push(c));
            stream.on("end", () =>
                this.handle(
                    stream,
                    String(headers[":method"]),
                    String(headers[":path"]),
                    Buffer.concat(chunks).toString("utf8"),
                ),
            );
        });
        await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
        this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    }

    async stop(): Promise<void> {
        await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    }

    private handle(stream: http2.ServerHttp2Stream, method: string, path: string, body: string): void {
        const m = /^\/model\/([^/]+)\/invoke$/.exec(path);
        if (method !== "POST" || !m)
            return this.error(stream, {
                status: 404,
                type: "UnknownOperationException",
                message: `no route ${method} ${path}`,
            });
        this.invocations++;
        const next = this.queued.shift();
        if (next) return this.error(stream, next);
        try {
            const answer = this.bedrock.handle("InvokeModel", { modelId: decodeURIComponent(m[1]) });
            this.bodies.push(JSON.parse(body));
            stream.respond({ ":status": 200, "content-type": "application/json" });
            stream.end(JSON.stringify(answer));
        } catch (err) {
            if (!isFakeError(err)) throw err;
            this.error(stream, err);
        }
    }

    private error(stream: http2.ServerHttp2Stream, e: StubError): void {
        stream.respond({ ":status": e.status, "content-type": "application/json", "x-amzn-errortype": e.type });
        stream.end(JSON.stringify({ message: e.message }));
    }
}
