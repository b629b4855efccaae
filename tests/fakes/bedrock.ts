// The one in-memory model of Amazon Bedrock's Custom Model Import the tests and benches fake: import jobs, imported
// models, their tags, the two quotas, Service Quotas' view of the imported-models quota, and InvokeModel on imported
// models. No transport: the HTTP stub (tests/fakes/bedrockStub.ts), the SDK adapter (./bedrockSdk.ts) and the
// benches reach it through thin adapters, so every fake Bedrock behaves the same.
//
// Inputs are the SDK commands' inputs (the same field names as the REST bodies); outputs are the SDK outputs (Dates,
// which the HTTP adapter serializes as the service does). Errors are FakeError (status, error type, message).
import { randomBytes } from "node:crypto";

export const BEDROCK_OPERATIONS = [
    "CreateModelImportJob",
    "GetModelImportJob",
    "GetImportedModel",
    "DeleteImportedModel",
    "TagResource",
    "UntagResource",
    "ListTagsForResource",
    "ListModelImportJobs",
    "ListImportedModels",
    "GetServiceQuota",
    "InvokeModel",
] as const;
export type BedrockOperation = (typeof BEDROCK_OPERATIONS)[number];

/** What the log and the counters record: Bedrock's operations and, for adapters that also serve STS, STS's. */
export type FakeOperation = BedrockOperation | "GetCallerIdentity" | "AssumeRole";

/** An AWS error as the service sends it: HTTP status, error type (x-amzn-errortype / SDK name) and message. */
export interface FakeError {
    status: number;
    type: string;
    message: string;
}

export function isFakeError(err: unknown): err is FakeError {
    return (
        typeof err === "object" &&
        err !== null &&
        typeof (err as FakeError).status === "number" &&
        typeof (err as FakeError).type === "string"
    );
}

export const fakeErrors = {
    throttling: (): FakeError => ({ status: 429, type: "ThrottlingException", message: "Rate exceeded" }),
    internal: (): FakeError => ({ status: 500, type: "InternalServerException", message: "Internal server error" }),
    unavailable: (): FakeError => ({
        status: 503,
        type: "ServiceUnavailableException",
        message: "Service unavailable",
    }),
    quota: (): FakeError => ({
        status: 400,
        type: "ServiceQuotaExceededException",
        message: "The number of concurrent model import jobs exceeds the limit of 1 for this account.",
    }),
    modelsQuota: (): FakeError => ({
        status: 400,
        type: "ServiceQuotaExceededException",
        message: "You have reached the maximum number of imported models for this account.",
    }),
    roleInvalid: (): FakeError => ({
        status: 400,
        type: "ValidationException",
        message: "The provided role ARN is invalid or Amazon Bedrock could not assume the role.",
    }),
    accessDenied: (): FakeError => ({
        status: 403,
        type: "AccessDeniedException",
        message: "User is not authorized to perform: iam:PassRole",
    }),
    validation: (message: string): FakeError => ({ status: 400, type: "ValidationException", message }),
    notFound: (what: string): FakeError => ({
        status: 404,
        type: "ResourceNotFoundException",
        message: `${what} not found.`,
    }),
    conflict: (message: string): FakeError => ({ status: 409, type: "ConflictException", message }),
    notReady: (): FakeError => ({
        status: 429,
        type: "ModelNotReadyException",
        message: "Model is not ready for inference. Wait and try again.",
    }),
};

export interface FakeJob {
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

export interface FakeModel {
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
    /** InvokeModel answers ModelNotReadyException before this time (the model's copy is still being loaded). */
    readyAt: number;
}

/**
 * How an InProgress job ends, checked at each GetModelImportJob: after `polls` InProgress answers, or once `durationMs`
 * has passed since its creation on the model's clock (whichever is given; both: whichever comes first).
 */
export interface JobScript {
    polls?: number;
    durationMs?: number;
    fail?: string;
}

export interface LogEntry {
    op: FakeOperation;
    /** The model's clock when the call arrived. */
    at: number;
    /** The answer: "ok" or the error type. */
    outcome: string;
    /** The HTTP method and path, when the call came over HTTP. */
    method?: string;
    path?: string;
}

type Input = Record<string, unknown>;

export class FakeBedrock {
    readonly region: string;
    readonly accountId: string;
    readonly jobs = new Map<string, FakeJob>();
    readonly models = new Map<string, FakeModel>();
    readonly calls = Object.fromEntries(
        [...BEDROCK_OPERATIONS, "GetCallerIdentity", "AssumeRole"].map((op) => [op, 0]),
    ) as Record<FakeOperation, number>;
    /** Jobs actually created (idempotent replays with the same token do not count). */
    jobsCreated = 0;
    /** Every call, in order. */
    readonly log: LogEntry[] = [];
    /** Default script for new jobs; `scriptFor` overrides it per job name. */
    jobScript: JobScript = { polls: 2 };
    scriptFor: (jobName: string) => JobScript | undefined = () => undefined;
    /** KMS aliases/ids this model resolves to a key ARN (what the service reports back). */
    readonly kmsKeys = new Map<string, string>();
    /** One import per account at a time (Bedrock's concurrent-import quota). */
    enforceConcurrency = true;
    /** Imported models per account (Bedrock's default 3); a create beyond it answers ServiceQuotaExceededException. */
    importedModelsQuota = 3;
    /** Page size of the List* operations, so tests exercise pagination. */
    pageSize = 2;
    /** CreateModelImportJob answers the role error until this time on the model's clock (a fresh IAM role). */
    roleUsableAt = -Infinity;
    /** How long a freshly imported model answers ModelNotReadyException. */
    notReadyMs = 0;
    /** The architecture a completed import reports. */
    modelArchitecture = "llama3";
    private readonly injected = new Map<FakeOperation, FakeError[]>();
    private readonly lost = new Map<BedrockOperation, FakeError[]>();
    private seq = 0;

    constructor(opts: { accountId?: string; region?: string; now?: () => number } = {}) {
        this.accountId = opts.accountId ?? "777788889999";
        this.region = opts.region ?? "us-east-1";
        this.now = opts.now ?? (() => Date.now());
    }

    /** The model's clock: wall time, or a bench's virtual clock. */
    readonly now: () => number;

    /** Queue errors for an operation: each call consumes one, before doing anything. */
    inject(op: FakeOperation, ...errs: FakeError[]): void {
        this.injected.set(op, [...(this.injected.get(op) ?? []), ...errs]);
    }

    /** Queue errors answered after the call took effect (a response lost on its way back). */
    loseResponse(op: BedrockOperation, ...errs: FakeError[]): void {
        this.lost.set(op, [...(this.lost.get(op) ?? []), ...errs]);
    }

    pendingInjected(op: FakeOperation): number {
        return this.injected.get(op)?.length ?? 0;
    }

    resetCounters(): void {
        for (const key of Object.keys(this.calls) as FakeOperation[]) this.calls[key] = 0;
        this.jobsCreated = 0;
        this.log.length = 0;
    }

    /** Calls of Bedrock's control plane (not STS, not InvokeModel). */
    bedrockCalls(): number {
        return this.log.filter((entry) => !["GetCallerIdentity", "AssumeRole", "InvokeModel"].includes(entry.op))
            .length;
    }

    /** Creates a job (and, when Completed, its model) as if someone had imported it before. */
    seedJob(
        job: Partial<FakeJob> & { jobName: string; importedModelName: string; status: FakeJob["status"] },
    ): FakeJob {
        const full: FakeJob = {
            jobArn: `arn:aws:bedrock:${this.region}:${this.accountId}:model-import-job/${this.id()}`,
            roleArn: `arn:aws:iam::${this.accountId}:role/seeded`,
            s3Uri: "s3://seeded/prefix/",
            creationTime: new Date(this.now()),
            polls: 0,
            importedModelTags: {},
            ...job,
        };
        this.jobs.set(full.jobName, full);
        if (full.status === "Completed" && !full.importedModelArn) this.completeJob(full.jobName);
        return full;
    }

    completeJob(jobName: string): FakeModel {
        const job = this.mustJob(jobName);
        const model: FakeModel = {
            modelName: job.importedModelName,
            modelArn: `arn:aws:bedrock:${this.region}:${this.accountId}:imported-model/${this.id()}`,
            jobName: job.jobName,
            jobArn: job.jobArn,
            s3Uri: job.s3Uri,
            modelArchitecture: this.modelArchitecture,
            instructSupported: true,
            modelKmsKeyArn: job.importedModelKmsKeyArn,
            creationTime: new Date(this.now()),
            tags: { ...job.importedModelTags },
            readyAt: this.now() + this.notReadyMs,
        };
        job.status = "Completed";
        job.endTime = new Date(this.now());
        job.importedModelArn = model.modelArn;
        this.models.set(model.modelName, model);
        return model;
    }

    failJob(jobName: string, failureMessage: string): void {
        const job = this.mustJob(jobName);
        job.status = "Failed";
        job.failureMessage = failureMessage;
        job.endTime = new Date(this.now());
    }

    findJob(identifier: string): FakeJob | undefined {
        return this.jobs.get(identifier) ?? [...this.jobs.values()].find((job) => job.jobArn === identifier);
    }

    findModel(identifier: string): FakeModel | undefined {
        return this.models.get(identifier) ?? [...this.models.values()].find((model) => model.modelArn === identifier);
    }

    /** Counts and logs a call, then runs `body` unless an injected error answers first. Adapters of STS use it too. */
    record<T>(op: FakeOperation, body: () => T, via: { method?: string; path?: string } = {}): T {
        this.calls[op] += 1;
        const entry: LogEntry = { op, at: this.now(), outcome: "ok", ...via };
        this.log.push(entry);
        const failed = (err: unknown): never => {
            entry.outcome = isFakeError(err) ? err.type : "bug";
            throw err;
        };
        try {
            const queued = this.injected.get(op)?.shift();
            if (queued) throw queued;
            const out = body();
            // An async body (STS's AssumeRole asks the simulator) fails later: its outcome is logged then.
            return out instanceof Promise ? (out.catch(failed) as T) : out;
        } catch (err) {
            return failed(err);
        }
    }

    /** One Bedrock API call: logged, an injected error first, then what Bedrock does. Throws FakeError. */
    handle(op: BedrockOperation, input: Input, via: { method?: string; path?: string } = {}): Record<string, unknown> {
        return this.record(
            op,
            () => {
                const out = this.dispatch(op, input);
                const lost = this.lost.get(op)?.shift();
                if (lost) throw lost;
                return out;
            },
            via,
        );
    }

    private dispatch(op: BedrockOperation, input: Input): Record<string, unknown> {
        switch (op) {
            case "CreateModelImportJob":
                return this.createJob(input);
            case "GetModelImportJob":
                return this.getJob(String(input.jobIdentifier));
            case "GetImportedModel":
                return this.getModel(String(input.modelIdentifier));
            case "DeleteImportedModel":
                this.models.delete(this.mustModel(String(input.modelIdentifier)).modelName);
                return {};
            case "ListTagsForResource":
                return {
                    tags: Object.entries(this.mustModel(String(input.resourceARN)).tags).map(([key, value]) => ({
                        key,
                        value,
                    })),
                };
            case "TagResource": {
                // The resource is looked up once, so an unknown ARN is ResourceNotFound even with no tags to apply.
                const model = this.mustModel(String(input.resourceARN));
                for (const tag of (input.tags as { key: string; value: string }[] | undefined) ?? [])
                    model.tags[tag.key] = tag.value;
                return {};
            }
            case "UntagResource": {
                const model = this.mustModel(String(input.resourceARN));
                for (const key of (input.tagKeys as string[] | undefined) ?? []) delete model.tags[key];
                return {};
            }
            case "ListModelImportJobs": {
                const status = input.statusEquals as string | undefined;
                const jobs = [...this.jobs.values()].filter((job) => !status || job.status === status);
                return this.page(
                    input,
                    "modelImportJobSummaries",
                    jobs.map((job) => ({
                        jobArn: job.jobArn,
                        jobName: job.jobName,
                        status: job.status,
                        creationTime: job.creationTime,
                    })),
                );
            }
            case "ListImportedModels":
                return this.page(
                    input,
                    "modelSummaries",
                    [...this.models.values()].map((m) => ({
                        modelArn: m.modelArn,
                        modelName: m.modelName,
                        creationTime: m.creationTime,
                    })),
                );
            case "GetServiceQuota":
                // What Service Quotas reports for Bedrock's imported-models quota: the same number the create path
                // enforces.
                return {
                    Quota: {
                        ServiceCode: "bedrock",
                        QuotaCode: "L-45B04988",
                        QuotaName: "Imported models per account",
                        Value: this.importedModelsQuota,
                    },
                };
            case "InvokeModel":
                return this.invoke(String(input.modelId));
        }
    }

    private createJob(body: Input): Record<string, unknown> {
        const jobName = String(body.jobName ?? "");
        const token = body.clientRequestToken as string | undefined;
        const existing = this.jobs.get(jobName);
        if (existing) {
            // Idempotency: the same token replays the original answer without a second job.
            if (token !== undefined && token === existing.clientRequestToken) return { jobArn: existing.jobArn };
            throw fakeErrors.conflict(`A job named ${jobName} already exists.`);
        }
        const modelName = String(body.importedModelName ?? "");
        if (this.models.has(modelName)) throw fakeErrors.conflict(`A model named ${modelName} already exists.`);
        if (this.now() < this.roleUsableAt) throw fakeErrors.roleInvalid();
        if (this.enforceConcurrency && [...this.jobs.values()].some((job) => job.status === "InProgress"))
            throw fakeErrors.quota();
        if (this.models.size >= this.importedModelsQuota) throw fakeErrors.modelsQuota();
        const source = body.modelDataSource as { s3DataSource?: { s3Uri?: string } } | undefined;
        const kmsKeyId = body.importedModelKmsKeyId as string | undefined;
        const tags: Record<string, string> = {};
        for (const tag of (body.importedModelTags as { key: string; value: string }[] | undefined) ?? [])
            tags[tag.key] = tag.value;
        const job: FakeJob = {
            jobName,
            jobArn: `arn:aws:bedrock:${this.region}:${this.accountId}:model-import-job/${this.id()}`,
            importedModelName: modelName,
            roleArn: String(body.roleArn ?? ""),
            s3Uri: source?.s3DataSource?.s3Uri ?? "",
            kmsKeyId,
            importedModelKmsKeyArn: kmsKeyId ? (this.kmsKeys.get(kmsKeyId) ?? kmsKeyId) : undefined,
            clientRequestToken: token,
            status: "InProgress",
            creationTime: new Date(this.now()),
            polls: 0,
            importedModelTags: tags,
        };
        this.jobs.set(jobName, job);
        this.jobsCreated += 1;
        return { jobArn: job.jobArn };
    }

    private getJob(identifier: string): Record<string, unknown> {
        const job = this.findJob(identifier);
        if (!job) throw fakeErrors.notFound(`Job ${identifier}`);
        if (job.status === "InProgress") {
            const script = this.scriptFor(job.jobName) ?? this.jobScript;
            const byPolls = script.polls !== undefined && job.polls >= script.polls;
            const byTime =
                script.durationMs !== undefined && this.now() >= job.creationTime.getTime() + script.durationMs;
            if (byPolls || byTime) {
                if (script.fail !== undefined) this.failJob(job.jobName, script.fail);
                else this.completeJob(job.jobName);
            } else {
                job.polls += 1;
            }
        }
        return {
            jobArn: job.jobArn,
            jobName: job.jobName,
            importedModelName: job.importedModelName,
            importedModelArn: job.importedModelArn,
            roleArn: job.roleArn,
            modelDataSource: { s3DataSource: { s3Uri: job.s3Uri } },
            status: job.status,
            failureMessage: job.failureMessage,
            creationTime: job.creationTime,
            lastModifiedTime: job.endTime ?? job.creationTime,
            endTime: job.endTime,
            importedModelKmsKeyArn: job.importedModelKmsKeyArn,
        };
    }

    private getModel(identifier: string): Record<string, unknown> {
        const model = this.mustModel(identifier);
        return {
            modelArn: model.modelArn,
            modelName: model.modelName,
            jobName: model.jobName,
            jobArn: model.jobArn,
            modelDataSource: { s3DataSource: { s3Uri: model.s3Uri } },
            creationTime: model.creationTime,
            modelArchitecture: model.modelArchitecture,
            modelKmsKeyArn: model.modelKmsKeyArn,
            instructSupported: model.instructSupported,
            customModelUnits: { customModelUnitsPerModelCopy: 1, customModelUnitsVersion: "1.0" },
        };
    }

    private invoke(modelId: string): Record<string, unknown> {
        const model = this.findModel(modelId);
        if (!model) throw fakeErrors.notFound(`Model ${modelId}`);
        if (this.now() < model.readyAt) throw fakeErrors.notReady();
        return {
            id: "cmpl-1",
            object: "text_completion",
            choices: [{ index: 0, text: ` Hello from ${model.modelName}`, finish_reason: "length" }],
        };
    }

    /** One page of a List* answer: `nextToken` is the offset of the next page. */
    private page(input: Input, key: string, items: object[]): Record<string, unknown> {
        const start = Number(input.nextToken ?? "0");
        const size = Math.min(this.pageSize, Number(input.maxResults ?? this.pageSize));
        const end = start + size;
        return { [key]: items.slice(start, end), ...(end < items.length ? { nextToken: String(end) } : {}) };
    }

    private mustJob(jobName: string): FakeJob {
        const job = this.jobs.get(jobName);
        if (!job) throw new Error(`fake Bedrock: no job ${jobName}`);
        return job;
    }

    private mustModel(identifier: string): FakeModel {
        const model = this.findModel(identifier);
        if (!model) throw fakeErrors.notFound(`Resource ${identifier}`);
        return model;
    }

    private id(): string {
        this.seq += 1;
        return `${this.seq.toString().padStart(4, "0")}${randomBytes(4).toString("hex")}`;
    }
}
