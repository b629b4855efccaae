// The HTTP adapter of the in-memory Bedrock (tests/fakes/bedrock.ts): Bedrock's control plane (REST-JSON), STS (query
// protocol, XML; tests/fakes/sts.ts) and Service Quotas' GetServiceQuota (JSON 1.1) on 127.0.0.1. The real SDK clients
// reach it through AWS_ENDPOINT_URL_BEDROCK / AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL_SERVICE_QUOTAS, so
// serialization, status codes and error shapes are the SDK's own. What happens is the model's; this file only routes.
//
// REST paths as serialized by @aws-sdk/client-bedrock (dist-cjs/index.js, `_ht` entries):
//   POST   /model-import-jobs                  CreateModelImportJob  -> 201 { jobArn }
//   GET    /model-import-jobs[/{jobIdentifier}] ListModelImportJobs / GetModelImportJob
//   GET    /imported-models[/{modelIdentifier}] ListImportedModels / GetImportedModel
//   DELETE /imported-models/{modelIdentifier}  DeleteImportedModel
//   POST   /tagResource | /untagResource | /listTagsForResource
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { type BedrockOperation, FakeBedrock, type FakeError, fakeErrors, isFakeError } from "./bedrock";
import { FakeSts } from "./sts";
import {
    isStsAction,
    queryError,
    queryResponse,
    signingKeyId,
    STS_NAMESPACE,
    stsResult,
    type StsAction,
} from "./stsQuery";

export type { FakeError as StubError } from "./bedrock";
export const stubErrors = fakeErrors;

/** Which operation a request is, and its input as the SDK command had it. */
function route(
    method: string,
    url: URL,
    body: string,
): { op: BedrockOperation; input: Record<string, unknown> } | undefined {
    const path = decodeURIComponent(url.pathname);
    const json = (): Record<string, unknown> => (body ? (JSON.parse(body) as Record<string, unknown>) : {});
    const query = Object.fromEntries(url.searchParams);
    if (method === "POST" && path === "/model-import-jobs") return { op: "CreateModelImportJob", input: json() };
    if (method === "GET" && path === "/model-import-jobs") return { op: "ListModelImportJobs", input: query };
    if (method === "GET" && path === "/imported-models") return { op: "ListImportedModels", input: query };
    const job = /^\/model-import-jobs\/([^/]+)$/.exec(path);
    if (method === "GET" && job) return { op: "GetModelImportJob", input: { jobIdentifier: job[1] } };
    const model = /^\/imported-models\/(.+)$/.exec(path);
    if (model && (method === "GET" || method === "DELETE")) {
        return {
            op: method === "GET" ? "GetImportedModel" : "DeleteImportedModel",
            input: { modelIdentifier: model[1] },
        };
    }
    const tags: Record<string, BedrockOperation> = {
        "/tagResource": "TagResource",
        "/untagResource": "UntagResource",
        "/listTagsForResource": "ListTagsForResource",
    };
    if (method === "POST" && tags[path]) return { op: tags[path], input: json() };
    return undefined;
}

export class BedrockStub extends FakeBedrock {
    url = "";
    /** Role ARN -> trust policy JSON: the roles AssumeRole can reach (the simulator decides under this policy). */
    readonly trustPolicies = new Map<string, string>();
    readonly sts = new FakeSts((roleArn) => this.trustPolicies.get(roleArn));
    private server?: http.Server;

    constructor(opts: { accountId?: string; region?: string } = {}) {
        super(opts);
        this.sts.addUser(this.accountId, "deployer", "AKIDHOSTING", "hosting-secret");
    }

    async start(): Promise<void> {
        this.server = http.createServer((req, res) => {
            const chunks: Buffer[] = [];
            req.on("data", (chunk: Buffer) => chunks.push(chunk));
            req.on("end", () => void this.serve(req, Buffer.concat(chunks).toString("utf8"), res));
        });
        await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
        this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    }

    async stop(): Promise<void> {
        if (this.server) {
            this.server.closeAllConnections();
            await new Promise<void>((resolve) => this.server!.close(() => resolve()));
        }
    }

    private async serve(req: http.IncomingMessage, body: string, res: http.ServerResponse): Promise<void> {
        const method = req.method ?? "GET";
        const url = new URL(req.url ?? "/", "http://stub");
        const via = { method, path: decodeURIComponent(url.pathname) };
        try {
            // Service Quotas is JSON 1.1 on POST / with an X-Amz-Target header; STS is the query protocol on POST /.
            if (req.headers["x-amz-target"] === "ServiceQuotasV20190624.GetServiceQuota") {
                return send(res, 200, this.handle("GetServiceQuota", {}, via), "application/x-amz-json-1.1");
            }
            const action = method === "POST" && via.path === "/" ? new URLSearchParams(body).get("Action") : undefined;
            if (isStsAction(action)) return await this.serveSts(action, req, new URLSearchParams(body), res, via);
            const found = route(method, url, body);
            if (!found)
                return sendError(res, {
                    status: 404,
                    type: "UnknownOperationException",
                    message: `stub: no route for ${method} ${via.path}`,
                });
            send(res, found.op === "CreateModelImportJob" ? 201 : 200, this.handle(found.op, found.input, via));
        } catch (err) {
            if (isFakeError(err))
                return via.path === "/" && !req.headers["x-amz-target"] ? sendStsError(res, err) : sendError(res, err);
            sendError(res, { status: 500, type: "InternalServerException", message: `stub bug: ${String(err)}` });
        }
    }

    private async serveSts(
        op: StsAction,
        req: http.IncomingMessage,
        params: URLSearchParams,
        res: http.ServerResponse,
        via: { method: string; path: string },
    ): Promise<void> {
        const keyId = signingKeyId(req.headers.authorization);
        const result = await this.record(op, () => stsResult(this.sts, op, params, keyId), via);
        res.writeHead(200, { "content-type": "text/xml" });
        res.end(queryResponse(op, result, STS_NAMESPACE));
    }
}

function send(res: http.ServerResponse, status: number, body: object, contentType = "application/json"): void {
    res.writeHead(status, { "content-type": contentType, "x-amzn-requestid": `req-${Date.now()}` });
    res.end(JSON.stringify(body));
}

function sendError(res: http.ServerResponse, err: FakeError): void {
    res.writeHead(err.status, {
        "content-type": "application/json",
        "x-amzn-errortype": `${err.type}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
        "x-amzn-requestid": `req-${Date.now()}`,
    });
    res.end(JSON.stringify({ message: err.message }));
}

function sendStsError(res: http.ServerResponse, err: FakeError): void {
    res.writeHead(err.status, { "content-type": "text/xml" });
    res.end(queryError(err));
}
