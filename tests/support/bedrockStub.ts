// A local, scriptable AWS-shaped HTTP stub: Bedrock's control plane (REST-JSON) and STS (query
// protocol, XML) and Service Quotas' GetServiceQuota (JSON 1.1). The real SDK clients reach it through
// AWS_ENDPOINT_URL_BEDROCK / AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL_SERVICE_QUOTAS,
// so serialization, status codes and error shapes are the SDK's own.
//
// REST paths as serialized by @aws-sdk/client-bedrock (dist-cjs/index.js, `_ht` entries):
//   POST   /model-import-jobs                  CreateModelImportJob  -> 201 { jobArn }
//   GET    /model-import-jobs/{jobIdentifier}  GetModelImportJob
//   GET    /imported-models/{modelIdentifier}  GetImportedModel
//   DELETE /imported-models/{modelIdentifier}  DeleteImportedModel
//   POST   /tagResource | /untagResource | /listTagsForResource
import { randomBytes } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";

export type StubOperation =
    | "CreateModelImportJob"
    | "GetModelImportJob"
    | "GetImportedModel"
    | "DeleteImportedModel"
    | "TagResource"
    | "UntagResource"
    | "ListTagsForResource"
    | "ListModelImportJobs"
    | "ListImportedModels"
    | "GetServiceQuota"
    | "GetCallerIdentity"
    | "AssumeRole";

export interface StubError {
    status: number;
    type: string;
    message: string;
}

export const stubErrors = {
    throttling: (): StubError => ({ status: 429, type: "ThrottlingException", message: "Rate exceeded" }),
    internal: (): StubError => ({ status: 500, type: "InternalServerException", message: "Internal server error" }),
    unavailable: (): StubError => ({ status: 503, type: "ServiceUnavailableException", message: "Service unavailable" }),
    quota: (): StubError => ({
        status: 400,
        type: "ServiceQuotaExceededException",
        message: "The number of concurrent model import jobs exceeds the limit of 1 for this account.",
    }),
    modelsQuota: (): StubError => ({
        status: 400,
        type: "ServiceQuotaExceededException",
        message: "You have reached the maximum number of imported models for this account.",
    }),
    roleInvalid: (): StubError => ({
        status: 400,
        type: "ValidationException",
        message: "The provided role ARN is invalid or Amazon Bedrock could not assume the role.",
    }),
    accessDenied: (): StubError => ({ status: 403, type: "AccessDeniedException", message: "User is not authorized to perform: iam:PassRole" }),
    validation: (message: string): StubError => ({ status: 400, type: "ValidationException", message }),
};

export interface StubJob {
    jobName: string;
    jobArn: string;
    importedModelName: string;
    roleArn: string;
    s3Uri: string;
    kmsKeyId?: string;
    clientRequestToken?: string;
    status: "InProgress" | "Completed" | "Failed";
    failureMessage?: string;
    importedModelArn?: string;
    importedModelKmsKeyArn?: string;
    creationTime: Date;
    endTime?: Date;
    /** GetModelImportJob calls answered InProgress so far. */
    polls: number;
    importedModelTags: Record<string, string>;
}

export interface StubModel {
    modelName: string;
    modelArn: string;
    jobName: string;
    jobArn: string;
    s3Uri: string;
    modelArchitecture: string;
    instructSupported: boolean;
    modelKmsKeyArn?: string;
    creationTime: Date;
    tags: Record<string, string>;
}

/** How a newly created job ends: after `polls` InProgress answers, Completed or Failed. */
export interface JobScript {
    polls: number;
    fail?: string;
}

export interface StubIdentity {
    account: string;
    arn: string;
    secretAccessKey: string;
}

export class BedrockStub {
    public readonly region: string;
    public readonly accountId: string;
    public url = "";
    public readonly jobs = new Map<string, StubJob>();
    public readonly models = new Map<string, StubModel>();
    public readonly calls: Record<StubOperation, number> = {
        CreateModelImportJob: 0,
        GetModelImportJob: 0,
        GetImportedModel: 0,
        DeleteImportedModel: 0,
        TagResource: 0,
        UntagResource: 0,
        ListTagsForResource: 0,
        ListModelImportJobs: 0,
        ListImportedModels: 0,
        GetServiceQuota: 0,
        GetCallerIdentity: 0,
        AssumeRole: 0,
    };
    /** Jobs actually created (idempotent replays with the same token do not count). */
    public jobsCreated = 0;
    /** Every request, in order: operation name and the HTTP method + path as received. */
    public readonly log: { op: StubOperation; method: string; path: string }[] = [];
    /** Access key id -> identity; GetCallerIdentity answers for the key in the SigV4 Authorization header. */
    public readonly identities = new Map<string, StubIdentity>();
    /** Default script for new jobs; `scriptFor` overrides it per job name. */
    public jobScript: JobScript = { polls: 2 };
    public scriptFor: (jobName: string) => JobScript | undefined = () => undefined;
    /** KMS aliases/ids this stub resolves to a key ARN (what the service reports back). */
    public readonly kmsKeys = new Map<string, string>();
    /** Enforce the one-import-at-a-time quota from the jobs in the stub. */
    public enforceConcurrency = true;
    /** Imported models per account (Bedrock's default 3); a create beyond it answers ServiceQuotaExceededException. */
    public importedModelsQuota = 3;
    /** Page size of the List* operations, so tests exercise pagination. */
    public pageSize = 2;
    private readonly injected = new Map<StubOperation, StubError[]>();
    private server?: http.Server;
    private seq = 0;

    constructor(opts: { accountId?: string; region?: string } = {}) {
        this.accountId = opts.accountId ?? "777788889999";
        this.region = opts.region ?? "us-east-1";
        this.identities.set("AKIDHOSTING", {
            account: this.accountId,
            arn: `arn:aws:iam::${this.accountId}:user/deployer`,
            secretAccessKey: "hosting-secret",
        });
    }

    /** Queue errors for an operation: each request of that operation consumes one until the queue is empty. */
    public inject(op: StubOperation, ...errs: StubError[]): void {
        this.injected.set(op, [...(this.injected.get(op) ?? []), ...errs]);
    }

    public pendingInjected(op: StubOperation): number {
        return this.injected.get(op)?.length ?? 0;
    }

    public resetCounters(): void {
        for (const key of Object.keys(this.calls) as StubOperation[]) {
            this.calls[key] = 0;
        }
        this.jobsCreated = 0;
        this.log.length = 0;
    }

    public bedrockCalls(): number {
        return this.log.filter((entry) => entry.op !== "GetCallerIdentity" && entry.op !== "AssumeRole").length;
    }

    /** Creates a job (and its model) as if someone had imported it before. */
    public seedJob(job: Partial<StubJob> & { jobName: string; importedModelName: string; status: StubJob["status"] }): StubJob {
        const full: StubJob = {
            jobArn: `arn:aws:bedrock:${this.region}:${this.accountId}:model-import-job/${this.id()}`,
            roleArn: `arn:aws:iam::${this.accountId}:role/seeded`,
            s3Uri: "s3://seeded/prefix/",
            creationTime: new Date(),
            polls: 0,
            importedModelTags: {},
            ...job,
        };
        this.jobs.set(full.jobName, full);
        if (full.status === "Completed" && !full.importedModelArn) {
            this.completeJob(full.jobName);
        }
        return full;
    }

    public completeJob(jobName: string): StubModel {
        const job = this.mustJob(jobName);
        const model: StubModel = {
            modelName: job.importedModelName,
            modelArn: `arn:aws:bedrock:${this.region}:${this.accountId}:imported-model/${this.id()}`,
            jobName: job.jobName,
            jobArn: job.jobArn,
            s3Uri: job.s3Uri,
            modelArchitecture: "llama3",
            instructSupported: true,
            modelKmsKeyArn: job.importedModelKmsKeyArn,
            creationTime: new Date(),
            tags: { ...job.importedModelTags },
        };
        job.status = "Completed";
        job.endTime = new Date();
        job.importedModelArn = model.modelArn;
        this.models.set(model.modelName, model);
        return model;
    }

    public failJob(jobName: string, failureMessage: string): void {
        const job = this.mustJob(jobName);
        job.status = "Failed";
        job.failureMessage = failureMessage;
        job.endTime = new Date();
    }

    public async start(): Promise<void> {
        this.server = http.createServer((req, res) => {
            const chunks: Buffer[] = [];
            req.on("data", (chunk: Buffer) => chunks.push(chunk));
            req.on("end", () => {
                try {
                    this.handle(req, Buffer.concat(chunks).toString("utf8"), res);
                } catch (err) {
                    this.sendError(res, { status: 500, type: "InternalServerException", message: `stub bug: ${String(err)}` });
                }
            });
        });
        await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
        const { port } = this.server.address() as AddressInfo;
        this.url = `http://127.0.0.1:${port}`;
    }

    public async stop(): Promise<void> {
        if (this.server) {
            this.server.closeAllConnections();
            await new Promise<void>((resolve) => this.server!.close(() => resolve()));
        }
    }

    private id(): string {
        this.seq += 1;
        return `${this.seq.toString().padStart(4, "0")}${randomBytes(4).toString("hex")}`;
    }

    private mustJob(jobName: string): StubJob {
        const job = this.jobs.get(jobName);
        if (!job) {
            throw new Error(`stub: no job ${jobName}`);
        }
        return job;
    }

    private findJob(identifier: string): StubJob | undefined {
        return this.jobs.get(identifier) ?? [...this.jobs.values()].find((job) => job.jobArn === identifier);
    }

    private findModel(identifier: string): StubModel | undefined {
        return this.models.get(identifier) ?? [...this.models.values()].find((model) => model.modelArn === identifier);
    }

    private handle(req: http.IncomingMessage, body: string, res: http.ServerResponse): void {
        const method = req.method ?? "GET";
        const url = new URL(req.url ?? "/", "http://stub");
        const path = decodeURIComponent(url.pathname);
        // Service Quotas is JSON 1.1 on POST / with an X-Amz-Target header; STS is the query protocol on POST /.
        const target = String(req.headers["x-amz-target"] ?? "");
        const op = target === "ServiceQuotasV20190624.GetServiceQuota" ? "GetServiceQuota" : this.operation(method, path, body);
        if (!op) {
            this.sendError(res, { status: 404, type: "UnknownOperationException", message: `stub: no route for ${method} ${path}` });
            return;
        }
        this.calls[op] += 1;
        this.log.push({ op, method, path });
        const queued = this.injected.get(op);
        if (queued && queued.length > 0) {
            this.sendError(res, queued.shift()!);
            return;
        }
        if (op === "GetServiceQuota") {
            // What Service Quotas reports for Bedrock's imported-models quota; `importedModelsQuota` is also what the
            // create path enforces, so the two agree.
            res.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
            res.end(
                JSON.stringify({
                    Quota: { ServiceCode: "bedrock", QuotaCode: "L-45B04988", QuotaName: "Imported models per account", Value: this.importedModelsQuota },
                }),
            );
            return;
        }
        if (op === "GetCallerIdentity" || op === "AssumeRole") {
            this.handleSts(op, req, new URLSearchParams(body), res);
            return;
        }
        const json = body ? (JSON.parse(body) as Record<string, unknown>) : {};
        switch (op) {
            case "CreateModelImportJob":
                return this.createJob(json, res);
            case "GetModelImportJob":
                return this.getJob(path.slice("/model-import-jobs/".length), res);
            case "GetImportedModel":
                return this.getModel(path.slice("/imported-models/".length), res);
            case "DeleteImportedModel":
                return this.deleteModel(path.slice("/imported-models/".length), res);
            case "ListTagsForResource":
            case "TagResource":
            case "UntagResource":
                return this.tags(op, json, res);
            case "ListModelImportJobs": {
                const status = url.searchParams.get("statusEquals");
                const jobs = [...this.jobs.values()].filter((job) => !status || job.status === status);
                return this.page(
                    res,
                    url,
                    "modelImportJobSummaries",
                    jobs.map((job) => ({ jobArn: job.jobArn, jobName: job.jobName, status: job.status, creationTime: job.creationTime.toISOString() })),
                );
            }
            case "ListImportedModels":
                return this.page(
                    res,
                    url,
                    "modelSummaries",
                    [...this.models.values()].map((m) => ({ modelArn: m.modelArn, modelName: m.modelName, creationTime: m.creationTime.toISOString() })),
                );
        }
    }

    private operation(method: string, path: string, body: string): StubOperation | undefined {
        if (method === "POST" && path === "/") {
            const action = new URLSearchParams(body).get("Action");
            return action === "GetCallerIdentity" || action === "AssumeRole" ? action : undefined;
        }
        if (method === "POST" && path === "/model-import-jobs") {
            return "CreateModelImportJob";
        }
        if (method === "GET" && path === "/model-import-jobs") {
            return "ListModelImportJobs";
        }
        if (method === "GET" && path === "/imported-models") {
            return "ListImportedModels";
        }
        if (method === "GET" && /^\/model-import-jobs\/[^/]+$/.test(path)) {
            return "GetModelImportJob";
        }
        if (/^\/imported-models\/.+$/.test(path)) {
            return method === "GET" ? "GetImportedModel" : method === "DELETE" ? "DeleteImportedModel" : undefined;
        }
        if (method === "POST" && path === "/tagResource") {
            return "TagResource";
        }
        if (method === "POST" && path === "/untagResource") {
            return "UntagResource";
        }
        if (method === "POST" && path === "/listTagsForResource") {
            return "ListTagsForResource";
        }
        return undefined;
    }

    private createJob(body: Record<string, unknown>, res: http.ServerResponse): void {
        const jobName = String(body.jobName ?? "");
        const token = body.clientRequestToken as string | undefined;
        const existing = this.jobs.get(jobName);
        if (existing) {
            // Idempotency: the same token replays the original answer without a second job.
            if (token !== undefined && token === existing.clientRequestToken) {
                this.sendJson(res, 201, { jobArn: existing.jobArn });
                return;
            }
            this.sendError(res, { status: 409, type: "ConflictException", message: `A job named ${jobName} already exists.` });
            return;
        }
        const modelName = String(body.importedModelName ?? "");
        if (this.models.has(modelName)) {
            this.sendError(res, { status: 409, type: "ConflictException", message: `A model named ${modelName} already exists.` });
            return;
        }
        if (this.enforceConcurrency && [...this.jobs.values()].some((job) => job.status === "InProgress")) {
            this.sendError(res, stubErrors.quota());
            return;
        }
        if (this.models.size >= this.importedModelsQuota) {
            this.sendError(res, stubErrors.modelsQuota());
            return;
        }
        const source = body.modelDataSource as { s3DataSource?: { s3Uri?: string } } | undefined;
        const kmsKeyId = body.importedModelKmsKeyId as string | undefined;
        const tags: Record<string, string> = {};
        for (const tag of (body.importedModelTags as { key: string; value: string }[] | undefined) ?? []) {
            tags[tag.key] = tag.value;
        }
        const job: StubJob = {
            jobName,
            jobArn: `arn:aws:bedrock:${this.region}:${this.accountId}:model-import-job/${this.id()}`,
            importedModelName: modelName,
            roleArn: String(body.roleArn ?? ""),
            s3Uri: source?.s3DataSource?.s3Uri ?? "",
            kmsKeyId,
            importedModelKmsKeyArn: kmsKeyId ? (this.kmsKeys.get(kmsKeyId) ?? kmsKeyId) : undefined,
            clientRequestToken: token,
            status: "InProgress",
            creationTime: new Date(),
            polls: 0,
            importedModelTags: tags,
        };
        this.jobs.set(jobName, job);
        this.jobsCreated += 1;
        this.sendJson(res, 201, { jobArn: job.jobArn });
    }

    /** One page of a List* answer: `nextToken` is the offset of the next page. */
    private page(res: http.ServerResponse, url: URL, key: string, items: object[]): void {
        const start = Number(url.searchParams.get("nextToken") ?? "0");
        const size = Math.min(this.pageSize, Number(url.searchParams.get("maxResults") ?? this.pageSize));
        const end = start + size;
        this.sendJson(res, 200, { [key]: items.slice(start, end), ...(end < items.length ? { nextToken: String(end) } : {}) });
    }

    private getJob(identifier: string, res: http.ServerResponse): void {
        const job = this.findJob(identifier);
        if (!job) {
            this.sendError(res, { status: 404, type: "ResourceNotFoundException", message: `Job ${identifier} not found.` });
            return;
        }
        if (job.status === "InProgress") {
            const script = this.scriptFor(job.jobName) ?? this.jobScript;
            if (job.polls >= script.polls) {
                if (script.fail !== undefined) {
                    this.failJob(job.jobName, script.fail);
                } else {
                    this.completeJob(job.jobName);
                }
            } else {
                job.polls += 1;
            }
        }
        this.sendJson(res, 200, {
            jobArn: job.jobArn,
            jobName: job.jobName,
            importedModelName: job.importedModelName,
            importedModelArn: job.importedModelArn,
            roleArn: job.roleArn,
            modelDataSource: { s3DataSource: { s3Uri: job.s3Uri } },
            status: job.status,
            failureMessage: job.failureMessage,
            creationTime: job.creationTime.toISOString(),
            lastModifiedTime: (job.endTime ?? job.creationTime).toISOString(),
            endTime: job.endTime?.toISOString(),
            importedModelKmsKeyArn: job.importedModelKmsKeyArn,
        });
    }

    private getModel(identifier: string, res: http.ServerResponse): void {
        const model = this.findModel(identifier);
        if (!model) {
            this.sendError(res, { status: 404, type: "ResourceNotFoundException", message: `Model ${identifier} not found.` });
            return;
        }
        this.sendJson(res, 200, {
            modelArn: model.modelArn,
            modelName: model.modelName,
            jobName: model.jobName,
            jobArn: model.jobArn,
            modelDataSource: { s3DataSource: { s3Uri: model.s3Uri } },
            creationTime: model.creationTime.toISOString(),
            modelArchitecture: model.modelArchitecture,
            modelKmsKeyArn: model.modelKmsKeyArn,
            instructSupported: model.instructSupported,
            customModelUnits: { customModelUnitsPerModelCopy: 1, customModelUnitsVersion: "1.0" },
        });
    }

    private deleteModel(identifier: string, res: http.ServerResponse): void {
        const model = this.findModel(identifier);
        if (!model) {
            this.sendError(res, { status: 404, type: "ResourceNotFoundException", message: `Model ${identifier} not found.` });
            return;
        }
        this.models.delete(model.modelName);
        this.sendJson(res, 200, {});
    }

    private tags(op: "ListTagsForResource" | "TagResource" | "UntagResource", body: Record<string, unknown>, res: http.ServerResponse): void {
        const arn = String(body.resourceARN ?? "");
        const model = this.findModel(arn);
        if (!model) {
            this.sendError(res, { status: 404, type: "ResourceNotFoundException", message: `Resource ${arn} not found.` });
            return;
        }
        if (op === "ListTagsForResource") {
            this.sendJson(res, 200, { tags: Object.entries(model.tags).map(([key, value]) => ({ key, value })) });
            return;
        }
        if (op === "TagResource") {
            for (const tag of (body.tags as { key: string; value: string }[] | undefined) ?? []) {
                model.tags[tag.key] = tag.value;
            }
        } else {
            for (const key of (body.tagKeys as string[] | undefined) ?? []) {
                delete model.tags[key];
            }
        }
        this.sendJson(res, 200, {});
    }

    private handleSts(op: "GetCallerIdentity" | "AssumeRole", req: http.IncomingMessage, params: URLSearchParams, res: http.ServerResponse): void {
        const auth = String(req.headers.authorization ?? "");
        const keyId = /Credential=([^/]+)\//.exec(auth)?.[1] ?? "";
        const caller = this.identities.get(keyId);
        if (!caller) {
            this.sendStsError(res, 403, "InvalidClientTokenId", `The security token included in the request is invalid (${keyId}).`);
            return;
        }
        const requestId = this.id();
        if (op === "GetCallerIdentity") {
            this.sendXml(
                res,
                `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>` +
                    `<Arn>${caller.arn}</Arn><UserId>AIDASTUB</UserId><Account>${caller.account}</Account>` +
                    `</GetCallerIdentityResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
            );
            return;
        }
        const roleArn = params.get("RoleArn") ?? "";
        const account = /^arn:aws:iam::([0-9]{12}):role\/(.+)$/.exec(roleArn);
        if (!account) {
            this.sendStsError(res, 400, "ValidationError", `Invalid RoleArn ${roleArn}`);
            return;
        }
        const session = params.get("RoleSessionName") ?? "session";
        const accessKeyId = `ASIA${this.id().toUpperCase()}`;
        const assumedArn = `arn:aws:sts::${account[1]}:assumed-role/${account[2]}/${session}`;
        this.identities.set(accessKeyId, { account: account[1], arn: assumedArn, secretAccessKey: "assumed-secret" });
        const expiration = new Date(Date.now() + 3600_000).toISOString();
        this.sendXml(
            res,
            `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>` +
                `<Credentials><AccessKeyId>${accessKeyId}</AccessKeyId><SecretAccessKey>assumed-secret</SecretAccessKey>` +
                `<SessionToken>stub-session-token</SessionToken><Expiration>${expiration}</Expiration></Credentials>` +
                `<AssumedRoleUser><AssumedRoleId>AROASTUB:${session}</AssumedRoleId><Arn>${assumedArn}</Arn></AssumedRoleUser>` +
                `</AssumeRoleResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></AssumeRoleResponse>`,
        );
    }

    private sendJson(res: http.ServerResponse, status: number, body: object): void {
        const text = JSON.stringify(body);
        res.writeHead(status, { "content-type": "application/json", "x-amzn-requestid": this.id() });
        res.end(text);
    }

    private sendError(res: http.ServerResponse, err: StubError): void {
        res.writeHead(err.status, {
            "content-type": "application/json",
            "x-amzn-errortype": `${err.type}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
            "x-amzn-requestid": this.id(),
        });
        res.end(JSON.stringify({ message: err.message }));
    }

    private sendStsError(res: http.ServerResponse, status: number, code: string, message: string): void {
        res.writeHead(status, { "content-type": "text/xml" });
        res.end(
            `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code>` +
                `<Message>${message}</Message></Error><RequestId>${this.id()}</RequestId></ErrorResponse>`,
        );
    }

    private sendXml(res: http.ServerResponse, xml: string): void {
        res.writeHead(200, { "content-type": "text/xml" });
        res.end(xml);
    }
}
