// A small in-memory AWS on node:http (127.0.0.1, port 0) for the verify-access tests. The SDK reaches it
// through AWS_ENDPOINT_URL_S3/_STS/_IAM/_KMS; every request is signed, and the stub reads the access key id
// from the SigV4 Authorization header to decide who the caller is (account and principal), so wrong-account
// credentials and assumed-role sessions behave as they would against AWS.
// Wire shapes follow the SDK's deserializers (node_modules/@aws-sdk/client-*/dist-cjs): S3 REST-XML
// (path-style), IAM and STS AWS query (XML replies, <ErrorResponse> errors), KMS JSON 1.1 (__type errors).

import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { StackConfig } from "../../components/config/stackConfig";
import * as policies from "../../components/policies/statements";
import { deploymentOf, executionPolicyArn, executionRoleArn, PROJECT, stackNames } from "../../components/naming";
import { policyDocument, prefixedStatements, type PolicyDocument } from "../../components/policies/document";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { isFakeError } from "./bedrock";
import { FakeSts, type FakeIdentity } from "./sts";
import { el, isStsAction, queryError, queryResponse, signingKeyId, STS_NAMESPACE, stsResult } from "./stsQuery";

/** Who signed a request: the STS model's identity (aws:PrincipalArn is `principalArn`). */
type StubPrincipal = FakeIdentity;

interface StubObject {
    body: Buffer;
    /** x-amz-server-side-encryption: "AES256" (default) or "aws:kms". */
    sse?: "AES256" | "aws:kms";
    /** Key ARN for aws:kms. */
    kmsKeyId?: string;
    /** Size ListObjectsV2 reports instead of the body's (models the 100/200 GB limits without the bytes). */
    listedSize?: number;
    /** Set by PutObject (a new value per write, as S3's ETag changes with the content); "stub" otherwise. */
    etag?: string;
}

export interface StubBucket {
    owner: string;
    /** Bucket policy JSON as stored; undefined: no policy (GetBucketPolicy answers NoSuchBucketPolicy). */
    policy?: string;
    objects: Map<string, StubObject>;
}

export interface StubRole {
    account: string;
    name: string;
    /** IAM path, "/" when absent; IAM Identity Center roles live under /aws-reserved/sso.amazonaws.com/. */
    path?: string;
    /** Trust policy JSON (returned URL-encoded, as IAM does). */
    trust: string;
    attached: string[];
    inline: Record<string, string>;
}

export interface StubManagedPolicy {
    arn: string;
    name: string;
    document: string;
    defaultVersionId: string;
}

export interface StubKey {
    account: string;
    region: string;
    id: string;
    arn: string;
    policy: string;
    state: "Enabled" | "Disabled" | "PendingDeletion";
    aliases: string[];
    /** KMS grants on the key (ListGrants). */
    grants?: Array<{ GrantId: string; Name: string; GranteePrincipal: string; Operations: string[] }>;
}

export interface StubRequest {
    service: string;
    action: string;
    accessKeyId: string;
}

class StubError extends Error {
    constructor(
        readonly status: number,
        readonly code: string,
        message: string,
    ) {
        super(message);
    }
}

function roleArnOf(role: Pick<StubRole, "account" | "name" | "path">): string {
    return `arn:aws:iam::${role.account}:role${role.path ?? "/"}${role.name}`;
}

export class AwsStub {
    readonly buckets = new Map<string, StubBucket>();
    /** Keyed by role ARN. */
    readonly roles = new Map<string, StubRole>();
    /**
     * Who each access key is, and AssumeRole decided by the IAM simulator under the role's trust policy (as IAM holds
     * it).
     */
    readonly sts = new FakeSts((roleArn) => this.roles.get(roleArn)?.trust);
    /** Keyed by policy ARN. */
    readonly policies = new Map<string, StubManagedPolicy>();
    readonly keys: StubKey[] = [];
    readonly requests: StubRequest[] = [];
    /** Actions ("iam:GetRole", …) answered with AccessDenied, as for a caller without that permission. */
    readonly refused = new Set<string>();
    private server?: http.Server;
    private url = "";

    // ---- setup helpers ----

    /** Registers long-term credentials of an IAM user; returns the access key id to use. */
    addUser(
        account: string,
        userName: string,
        accessKeyId = `AKIA${account}${userName.toUpperCase().replace(/[^A-Z0-9]/g, "")}`.slice(0, 20),
    ): string {
        return this.sts.addUser(account, userName, accessKeyId);
    }

    addRole(role: StubRole): void {
        this.roles.set(roleArnOf(role), role);
    }

    /**
     * Registers credentials of a session of `role` (e.g. an IAM Identity Center sign-in) without an AssumeRole call;
     * returns the access key id. Like AWS, the session ARN has no path and aws:PrincipalArn is the role ARN with it.
     */
    addRoleSession(role: StubRole, sessionName: string, accessKeyId: string): string {
        return this.sts.addRoleSession(roleArnOf(role), sessionName, accessKeyId);
    }

    addKey(key: StubKey): void {
        this.keys.push(key);
    }

    // ---- lifecycle ----

    async start(): Promise<string> {
        this.server = http.createServer((req, res) => {
            const chunks: Buffer[] = [];
            req.on("data", (c: Buffer) => chunks.push(c));
            req.on("end", () => {
                this.handle(req, Buffer.concat(chunks), res).catch((e: unknown) => {
                    res.writeHead(500, { "content-type": "text/plain" });
                    res.end(String(e));
                });
            });
        });
        await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
        this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
        return this.url;
    }

    async stop(): Promise<void> {
        const server = this.server;
        this.server = undefined;
        if (server) {
            server.closeAllConnections();
            await new Promise<void>((resolve) => server.close(() => resolve()));
        }
    }

    /** The endpoint variables that point the SDK at this stub. */
    endpointEnv(): Record<string, string> {
        return {
            AWS_ENDPOINT_URL_S3: this.url,
            AWS_ENDPOINT_URL_STS: this.url,
            AWS_ENDPOINT_URL_IAM: this.url,
            AWS_ENDPOINT_URL_KMS: this.url,
        };
    }

    // ---- dispatch ----

    private async handle(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): Promise<void> {
        // Authorization: AWS4-HMAC-SHA256 Credential=<akid>/<date>/<region>/<service>/aws4_request, ...
        const service =
            /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(req.headers.authorization ?? "")?.[1] ??
            "unknown";
        const accessKeyId = signingKeyId(req.headers.authorization);
        const caller = this.sts.identities.get(accessKeyId);
        try {
            switch (service) {
                case "s3":
                    return await this.s3(req, caller, accessKeyId, res, body);
                case "sts":
                case "iam": {
                    const params = new URLSearchParams(body.toString("utf8"));
                    const action = params.get("Action") ?? "";
                    this.requests.push({ service, action, accessKeyId });
                    const who = this.authenticated(caller);
                    const result =
                        service === "sts"
                            ? await this.stsCall(action, params, accessKeyId)
                            : this.iam(action, params, who);
                    res.writeHead(200, { "content-type": "text/xml" });
                    res.end(
                        queryResponse(
                            action,
                            result,
                            service === "sts" ? STS_NAMESPACE : "https://iam.amazonaws.com/doc/2010-05-08/",
                        ),
                    );
                    return;
                }
                case "kms": {
                    const action = String(req.headers["x-amz-target"] ?? "").replace(/^TrentService\./, "");
                    this.requests.push({ service, action, accessKeyId });
                    const who = this.authenticated(caller);
                    const out = this.kms(
                        action,
                        JSON.parse(body.toString("utf8") || "{}") as Record<string, string>,
                        who,
                    );
                    res.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
                    res.end(JSON.stringify(out));
                    return;
                }
                default:
                    throw new StubError(400, "UnknownService", `stub does not serve ${service}`);
            }
        } catch (e) {
            if (!(e instanceof StubError)) throw e;
            if (service === "kms") {
                res.writeHead(e.status, { "content-type": "application/x-amz-json-1.1", "x-amzn-errortype": e.code });
                res.end(JSON.stringify({ __type: e.code, message: e.message }));
            } else if (service === "s3") {
                res.writeHead(e.status, { "content-type": "application/xml" });
                // HEAD responses carry no body; the SDK then names the error after the status (NotFound, Forbidden).
                res.end(
                    req.method === "HEAD"
                        ? undefined
                        : `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${el("Code", e.code)}${el("Message", e.message)}${el("RequestId", "stub")}</Error>`,
                );
            } else {
                res.writeHead(e.status, { "content-type": "text/xml" });
                res.end(queryError({ type: e.code, message: e.message }));
            }
        }
    }

    private authenticated(caller: StubPrincipal | undefined): StubPrincipal {
        if (!caller)
            throw new StubError(403, "InvalidClientTokenId", "The security token included in the request is invalid.");
        return caller;
    }

    // ---- STS: the model's answers, its errors as this stub's ----

    private async stsCall(action: string, params: URLSearchParams, accessKeyId: string): Promise<string> {
        if (!isStsAction(action)) throw new StubError(400, "InvalidAction", `stub STS does not implement ${action}`);
        try {
            return await stsResult(this.sts, action, params, accessKeyId);
        } catch (e) {
            throw isFakeError(e) ? new StubError(e.status, e.type, e.message) : e;
        }
    }

    // ---- IAM: every call acts in the caller's account ----

    private role(caller: StubPrincipal, name: string): StubRole {
        // Role names are unique per account whatever the path, and not case-sensitive.
        const role = [...this.roles.values()].find(
            (r) => r.account === caller.account && r.name.toLowerCase() === name.toLowerCase(),
        );
        if (!role) throw new StubError(404, "NoSuchEntity", `The role with name ${name} cannot be found.`);
        return role;
    }

    private policy(caller: StubPrincipal, arn: string): StubManagedPolicy {
        const account = arn.split(":")[4];
        const policy = this.policies.get(arn);
        if (!policy || (account !== caller.account && account !== "aws"))
            throw new StubError(404, "NoSuchEntity", `Policy ${arn} does not exist or is not attachable.`);
        return policy;
    }

    private iam(action: string, params: URLSearchParams, caller: StubPrincipal): string {
        const p = (k: string) => params.get(k) ?? "";
        if (this.refused.has(`iam:${action}`))
            throw new StubError(
                403,
                "AccessDenied",
                `User: ${caller.arn} is not authorized to perform: iam:${action} because no identity-based ` +
                    `policy allows it`,
            );
        switch (action) {
            case "GetRole": {
                const role = this.role(caller, p("RoleName"));
                return (
                    `<Role>${el("Path", role.path ?? "/")}${el("RoleName", role.name)}${el("RoleId", `AROA${role.account}${role.name.length}`)}` +
                    `${el("Arn", roleArnOf(role))}${el("CreateDate", "2025-01-01T00:00:00Z")}` +
                    // IAM returns policy documents URL-encoded.
                    `${el("AssumeRolePolicyDocument", encodeURIComponent(role.trust))}${el("MaxSessionDuration", 3600)}</Role>`
                );
            }
            case "ListAttachedRolePolicies": {
                const role = this.role(caller, p("RoleName"));
                const members = role.attached
                    .map(
                        (arn) =>
                            `<member>${el("PolicyName", arn.split("/").pop() ?? arn)}${el("PolicyArn", arn)}</member>`,
                    )
                    .join("");
                return `<AttachedPolicies>${members}</AttachedPolicies>${el("IsTruncated", false)}`;
            }
            case "ListRolePolicies": {
                const role = this.role(caller, p("RoleName"));
                return `<PolicyNames>${Object.keys(role.inline)
                    .map((n) => el("member", n))
                    .join("")}</PolicyNames>${el("IsTruncated", false)}`;
            }
            case "GetRolePolicy": {
                const role = this.role(caller, p("RoleName"));
                const doc = role.inline[p("PolicyName")];
                if (doc === undefined)
                    throw new StubError(
                        404,
                        "NoSuchEntity",
                        `The role policy with name ${p("PolicyName")} cannot be found.`,
                    );
                return (
                    el("RoleName", role.name) +
                    el("PolicyName", p("PolicyName")) +
                    el("PolicyDocument", encodeURIComponent(doc))
                );
            }
            case "GetPolicy": {
                const policy = this.policy(caller, p("PolicyArn"));
                return `<Policy>${el("PolicyName", policy.name)}${el("PolicyId", "ANPA0000")}${el("Arn", policy.arn)}${el("Path", "/")}${el("DefaultVersionId", policy.defaultVersionId)}${el("AttachmentCount", 1)}${el("IsAttachable", true)}</Policy>`;
            }
            case "GetPolicyVersion": {
                const policy = this.policy(caller, p("PolicyArn"));
                if (p("VersionId") !== policy.defaultVersionId)
                    throw new StubError(
                        404,
                        "NoSuchEntity",
                        `Policy ${policy.arn} version ${p("VersionId")} does not exist.`,
                    );
                return `<PolicyVersion>${el("Document", encodeURIComponent(policy.document))}${el("VersionId", policy.defaultVersionId)}${el("IsDefaultVersion", true)}${el("CreateDate", "2025-01-01T00:00:00Z")}</PolicyVersion>`;
            }
            default:
                throw new StubError(400, "InvalidAction", `stub IAM does not implement ${action}`);
        }
    }

    // ---- KMS: keys of the caller's account ----

    private kms(action: string, input: Record<string, string>, caller: StubPrincipal): Record<string, unknown> {
        const keyId = input["KeyId"] ?? "";
        const key = this.keys.find(
            (k) => k.account === caller.account && (k.id === keyId || k.arn === keyId || k.aliases.includes(keyId)),
        );
        if (!key)
            throw new StubError(
                400,
                "NotFoundException",
                keyId.startsWith("alias/")
                    ? `Alias arn:aws:kms:us-east-1:${caller.account}:${keyId} is not found.`
                    : `Key '${keyId}' does not exist`,
            );
        switch (action) {
            case "DescribeKey":
                return {
                    KeyMetadata: {
                        AWSAccountId: key.account,
                        KeyId: key.id,
                        Arn: key.arn,
                        Enabled: key.state === "Enabled",
                        KeyState: key.state,
                        KeyUsage: "ENCRYPT_DECRYPT",
                        KeyManager: "CUSTOMER",
                        CreationDate: 1735689600,
                    },
                };
            case "GetKeyPolicy":
                if ((input["PolicyName"] ?? "default") !== "default")
                    throw new StubError(400, "NotFoundException", "No such policy");
                return { Policy: key.policy, PolicyName: "default" };
            case "ListGrants":
                return { Grants: (key.grants ?? []).map((g) => ({ ...g, KeyId: key.arn })), Truncated: false };
            default:
                throw new StubError(400, "UnknownOperationException", `stub KMS does not implement ${action}`);
        }
    }

    // ---- S3 (path-style) ----

    /**
     * A read from another account: the IAM policy simulator decides, with the caller's role policies (from this stub's
     * IAM) and the bucket policy, as AWS requires both to allow. Callers of the bucket owner's account are not judged.
     */
    private async crossAccountAllowed(
        caller: StubPrincipal,
        bucket: StubBucket,
        action: string,
        resource: string,
        context: Record<string, string>,
    ): Promise<boolean> {
        const role = this.roles.get(caller.principalArn);
        const identityPolicies = role
            ? [
                  ...role.attached.map((arn) => ({
                      name: arn,
                      policy: JSON.parse(this.policies.get(arn)?.document ?? '{"Statement":[]}') as PolicyDocument,
                  })),
                  ...Object.entries(role.inline).map(([name, text]) => ({
                      name,
                      policy: JSON.parse(text) as PolicyDocument,
                  })),
              ]
            : [];
        const result = await runSimulation(
            {
                identityPolicies,
                serviceControlPolicies: [],
                resourceControlPolicies: [],
                resourcePolicy: bucket.policy === undefined ? undefined : (JSON.parse(bucket.policy) as PolicyDocument),
                request: {
                    principal: caller.arn,
                    action,
                    resource: { accountId: bucket.owner, resource },
                    // The simulator does not fill request context in: the keys S3 and IAM set for a signed TLS call.
                    contextVariables: {
                        "aws:PrincipalArn": caller.principalArn,
                        "aws:PrincipalAccount": caller.account,
                        "aws:ResourceAccount": bucket.owner,
                        "aws:SecureTransport": "true",
                        ...context,
                    },
                },
            },
            {},
        );
        if (result.resultType === "error")
            throw new Error(`AWS stub: the simulator refused the request: ${JSON.stringify(result.errors)}`);
        return result.overallResult === "Allowed";
    }

    private async s3(
        req: http.IncomingMessage,
        caller: StubPrincipal | undefined,
        accessKeyId: string,
        res: http.ServerResponse,
        body: Buffer,
    ): Promise<void> {
        const url = new URL(req.url ?? "/", "http://stub");
        const [, bucketName = "", ...rest] = url.pathname.split("/");
        const key = rest.map(decodeURIComponent).join("/");
        const q = url.searchParams;
        if (q.has("policy")) return this.bucketPolicyRequest(req, body, bucketName, caller, accessKeyId, res);
        if (key && (req.method === "PUT" || req.method === "DELETE"))
            return this.objectWrite(req, body, bucketName, key, caller, accessKeyId, res);
        const action =
            req.method === "HEAD"
                ? "HeadObject"
                : q.get("list-type") === "2"
                  ? "ListObjectsV2"
                  : key
                    ? "GetObject"
                    : `${req.method} bucket`;
        this.requests.push({ service: "s3", action, accessKeyId });
        if (!caller)
            throw new StubError(
                403,
                "InvalidAccessKeyId",
                "The AWS Access Key Id you provided does not exist in our records.",
            );
        const bucket = this.buckets.get(bucketName);
        if (!bucket) throw new StubError(404, "NoSuchBucket", "The specified bucket does not exist");
        if (bucket.owner !== caller.account) {
            const read =
                action === "ListObjectsV2"
                    ? { action: "s3:ListBucket", resource: `arn:aws:s3:::${bucketName}` }
                    : { action: "s3:GetObject", resource: `arn:aws:s3:::${bucketName}/${key}` };
            const context: Record<string, string> =
                action === "ListObjectsV2" ? { "s3:prefix": q.get("prefix") ?? "" } : {};
            if (!(await this.crossAccountAllowed(caller, bucket, read.action, read.resource, context)))
                throw new StubError(403, "AccessDenied", "Access Denied");
        }
        if (action === "ListObjectsV2") {
            const prefix = q.get("prefix") ?? "";
            const max = Number(q.get("max-keys") ?? "1000");
            const all = [...bucket.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
            const start = q.get("continuation-token") ? all.indexOf(q.get("continuation-token") ?? "") : 0;
            const page = all.slice(start, start + max);
            const truncated = start + max < all.length;
            const contents = page
                .map(
                    (k) =>
                        `<Contents>${el("Key", k)}${el("LastModified", "2025-01-01T00:00:00.000Z")}${el("ETag", '"stub"')}${el("Size", bucket.objects.get(k)!.listedSize ?? bucket.objects.get(k)!.body.length)}${el("StorageClass", "STANDARD")}</Contents>`,
                )
                .join("");
            res.writeHead(200, { "content-type": "application/xml" });
            res.end(
                `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult ` +
                    `xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${el("Name", bucketName)}${el("Prefix", prefix)}${el("KeyCount", page.length)}${el("MaxKeys", max)}${el("IsTruncated", truncated)}${contents}${truncated ? el("NextContinuationToken", all[start + max]) : ""}</ListBucketResult>`,
            );
            return;
        }
        if (action === "GetObject" || action === "HeadObject") {
            const object = bucket.objects.get(key);
            if (!object) throw new StubError(404, "NoSuchKey", "The specified key does not exist.");
            const headers: Record<string, string> = {
                "content-type": "application/octet-stream",
                etag: object.etag ?? '"stub"',
                "last-modified": "Wed, 01 Jan 2025 00:00:00 GMT",
                "accept-ranges": "bytes",
                "x-amz-server-side-encryption": object.sse ?? "AES256",
                ...(object.sse === "aws:kms" && object.kmsKeyId
                    ? { "x-amz-server-side-encryption-aws-kms-key-id": object.kmsKeyId }
                    : {}),
            };
            let data = object.body;
            let status = 200;
            const range = /^bytes=(\d+)-(\d*)$/.exec(String(req.headers.range ?? ""));
            if (action === "GetObject" && range) {
                const first = Number(range[1]);
                const last = Math.min(range[2] ? Number(range[2]) : data.length - 1, data.length - 1);
                if (first >= data.length)
                    throw new StubError(416, "InvalidRange", "The requested range is not satisfiable");
                headers["content-range"] = `bytes ${first}-${last}/${data.length}`;
                data = data.subarray(first, last + 1);
                status = 206;
            }
            headers["content-length"] = String(data.length);
            res.writeHead(status, headers);
            res.end(action === "HeadObject" ? undefined : data);
            return;
        }
        throw new StubError(405, "MethodNotAllowed", `stub S3 does not implement ${action}`);
    }

    // ---- S3 object writes by the bucket owner (the bucket-policy lease): PutObject and DeleteObject with the
    // conditional headers S3 honours, If-None-Match: * and If-Match: <ETag> (412 PreconditionFailed otherwise),
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html

    private etags = 0;

    private objectWrite(
        req: http.IncomingMessage,
        body: Buffer,
        bucketName: string,
        key: string,
        caller: StubPrincipal | undefined,
        accessKeyId: string,
        res: http.ServerResponse,
    ): void {
        const action = req.method === "PUT" ? "PutObject" : "DeleteObject";
        this.requests.push({ service: "s3", action, accessKeyId });
        if (!caller)
            throw new StubError(
                403,
                "InvalidAccessKeyId",
                "The AWS Access Key Id you provided does not exist in our records.",
            );
        const bucket = this.buckets.get(bucketName);
        if (!bucket) throw new StubError(404, "NoSuchBucket", "The specified bucket does not exist");
        const expectedOwner = req.headers["x-amz-expected-bucket-owner"];
        if (bucket.owner !== caller.account || (expectedOwner !== undefined && expectedOwner !== bucket.owner))
            throw new StubError(403, "AccessDenied", "Access Denied");
        const existing = bucket.objects.get(key);
        const ifMatch = req.headers["if-match"];
        if (req.headers["if-none-match"] === "*" && existing)
            throw new StubError(
                412,
                "PreconditionFailed",
                "At least one of the pre-conditions you specified did not hold",
            );
        if (ifMatch !== undefined && (!existing || (existing.etag ?? '"stub"') !== ifMatch)) {
            if (!existing && action === "PutObject")
                throw new StubError(404, "NoSuchKey", "The specified key does not exist.");
            throw new StubError(
                412,
                "PreconditionFailed",
                "At least one of the pre-conditions you specified did not hold",
            );
        }
        if (action === "PutObject") {
            const etag = `"etag-${++this.etags}"`;
            bucket.objects.set(key, { body, etag });
            res.writeHead(200, { etag });
        } else {
            bucket.objects.delete(key);
            res.writeHead(204);
        }
        res.end();
    }

    // ---- S3 bucket policy: Get/Put/DeleteBucketPolicy, call counts, injected faults, a concurrent writer ----
    // Wire shapes (@aws-sdk/client-s3 dist-cjs): GET|PUT|DELETE /{bucket}?policy; PUT carries the policy text as
    // the body; Put and Delete answer 204. x-amz-expected-bucket-owner is honoured like S3 does (403 on mismatch).

    /** Errors answered instead of handling, per bucket-policy action, consumed one per call (tests push here). */
    readonly policyFaults: Partial<Record<BucketPolicyAction, StubFault[]>> = {};
    /** Runs right after a successful PutBucketPolicy or DeleteBucketPolicy: a test plays a concurrent writer here. */
    afterPolicyWrite?: (event: { action: BucketPolicyAction; bucketName: string; bucket: StubBucket }) => void;
    /** How GetBucketPolicy returns the stored text (tests make S3's reformatting visible); as stored by default. */
    policyFormat?: (stored: string) => string;

    /** How many requests of one action (e.g. "PutBucketPolicy", "GetCallerIdentity") the stub has served. */
    count(action: string): number {
        return this.requests.filter((r) => r.action === action).length;
    }

    private bucketPolicyRequest(
        req: http.IncomingMessage,
        body: Buffer,
        bucketName: string,
        caller: StubPrincipal | undefined,
        accessKeyId: string,
        res: http.ServerResponse,
    ): void {
        const action: BucketPolicyAction =
            req.method === "PUT"
                ? "PutBucketPolicy"
                : req.method === "DELETE"
                  ? "DeleteBucketPolicy"
                  : "GetBucketPolicy";
        this.requests.push({ service: "s3", action, accessKeyId });
        const fault = this.policyFaults[action]?.shift();
        if (fault) throw new StubError(fault.status, fault.code, fault.message);
        if (!caller)
            throw new StubError(
                403,
                "InvalidAccessKeyId",
                "The AWS Access Key Id you provided does not exist in our records.",
            );
        const bucket = this.buckets.get(bucketName);
        if (!bucket) throw new StubError(404, "NoSuchBucket", "The specified bucket does not exist");
        const expectedOwner = req.headers["x-amz-expected-bucket-owner"];
        if (expectedOwner !== undefined && expectedOwner !== bucket.owner)
            throw new StubError(403, "AccessDenied", "Access Denied");
        // Only principals of the bucket owner's account may read or change a bucket policy; others get 403 (Get,
        // as S3 answers without the permission) or 405 (Put/Delete, as the API reference documents).
        if (bucket.owner !== caller.account) {
            if (action === "GetBucketPolicy") throw new StubError(403, "AccessDenied", "Access Denied");
            throw new StubError(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
        }
        if (action === "GetBucketPolicy") {
            if (bucket.policy === undefined)
                throw new StubError(404, "NoSuchBucketPolicy", "The bucket policy does not exist");
            res.writeHead(200, { "content-type": "application/json" });
            res.end(this.policyFormat ? this.policyFormat(bucket.policy) : bucket.policy);
            return;
        }
        if (action === "PutBucketPolicy") {
            const text = body.toString("utf8");
            let doc: { Statement?: unknown };
            try {
                doc = JSON.parse(text) as { Statement?: unknown };
            } catch {
                throw new StubError(
                    400,
                    "MalformedPolicy",
                    "Policies must be valid JSON and the first byte must be '{'",
                );
            }
            if (!Array.isArray(doc.Statement) ? doc.Statement === undefined : doc.Statement.length === 0) {
                throw new StubError(400, "MalformedPolicy", "Could not parse the policy: Statement is empty!");
            }
            // The code MinIO's S3-compatible server answers; the provider never lets it come to this.
            if (Buffer.byteLength(text, "utf8") > 20 * 1024)
                throw new StubError(400, "PolicyTooLarge", "Policy exceeds the maximum allowed document size.");
            bucket.policy = text;
        } else {
            bucket.policy = undefined;
        }
        res.writeHead(204);
        res.end();
        this.afterPolicyWrite?.({ action, bucketName, bucket });
    }
}

export type BucketPolicyAction = "GetBucketPolicy" | "PutBucketPolicy" | "DeleteBucketPolicy";

export interface StubFault {
    status: number;
    code: string;
    message: string;
}

// ---- a deployment as `pulumi up` leaves it, built from the program's own names and policy builders ----

/** This stack's statements in the shared bucket policy, as the component writes them. */
export function stackBucketStatements(params: policies.AccessParams, stack: string): PolicyDocument {
    return policyDocument(
        prefixedStatements(
            policies.bucketPolicy(params).Statement,
            stackNames(PROJECT, stack, { hostingAccountId: params.hostingAccountId }).sidPrefix,
        ),
    );
}

export interface Deployment {
    params: policies.AccessParams;
    roleArn: string;
    policyArn: string;
    developmentKeyArn?: string;
    hostingKeyArn?: string;
    bucket: StubBucket;
    role: StubRole;
    /** Access key ids of an IAM user in each account. */
    developmentAccessKeyId: string;
    hostingAccessKeyId: string;
}

/**
 * Fills the stub with what the program deploys for `config` and stack `stack`: bucket + policy, execution
 * role + trust + attached policy, keys + aliases when enabled, and each model's layout (from `layouts`).
 */
export function deployStack(
    stub: AwsStub,
    config: StackConfig,
    stack: string,
    layouts: Record<string, Record<string, Buffer>>,
): Deployment {
    const dev = config.modelDevelopment;
    const host = config.modelHosting;
    const names = stackNames(PROJECT, stack, deploymentOf(config));
    const aliases = names.keyAliases;
    const developmentKeyArn = dev.kms.enabled
        ? `arn:aws:kms:${dev.region}:${dev.accountId}:key/1111aaaa-0000-4000-8000-000000000001`
        : dev.kms.keyArn;
    const hostingKeyArn = host.kms.enabled
        ? `arn:aws:kms:${host.region}:${host.accountId}:key/2222bbbb-0000-4000-8000-000000000002`
        : undefined;
    const params = policies.accessParams(config, {
        ...(developmentKeyArn ? { developmentKeyArn } : {}),
        ...(hostingKeyArn ? { hostingKeyArn } : {}),
    });
    const roleArn = executionRoleArn(params);
    const policyArn = executionPolicyArn({ ...params, executionPolicyName: host.executionPolicyName });

    const developmentAccessKeyId = stub.addUser(dev.accountId, "developer", "AKIADEVELOPMENT00001");
    const hostingAccessKeyId = stub.addUser(host.accountId, "operator", "AKIAHOSTING000000001");

    const bucket: StubBucket = {
        owner: dev.accountId,
        // The shared bucket policy as the stack leaves it: this stack's prefixed statements (verify-access compares
        // those).
        policy: JSON.stringify(stackBucketStatements(params, stack)),
        objects: new Map(),
    };
    for (const model of config.models) {
        for (const [name, body] of Object.entries(layouts[model.name] ?? {})) {
            bucket.objects.set(
                `${model.s3Prefix}${name}`,
                developmentKeyArn ? { body, sse: "aws:kms", kmsKeyId: developmentKeyArn } : { body, sse: "AES256" },
            );
        }
    }
    stub.buckets.set(dev.artifactBucket.name, bucket);

    const role: StubRole = {
        account: host.accountId,
        name: host.executionRoleName,
        trust: JSON.stringify(policies.trustPolicy(params)),
        attached: [policyArn],
        inline: {},
    };
    stub.addRole(role);
    stub.policies.set(policyArn, {
        arn: policyArn,
        name: host.executionPolicyName,
        document: JSON.stringify(policies.executionPolicy(params)),
        defaultVersionId: "v1",
    });

    if (dev.kms.keyArn) {
        // The research team's key: its own policy (root only), plus the grant this stack adds for its role.
        stub.addKey({
            account: dev.accountId,
            region: dev.region,
            id: dev.kms.keyArn.split("/")[1],
            arn: dev.kms.keyArn,
            policy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "Root",
                        Effect: "Allow",
                        Principal: { AWS: `arn:aws:iam::${dev.accountId}:root` },
                        Action: "kms:*",
                        Resource: "*",
                    },
                ],
            }),
            state: "Enabled",
            aliases: [],
            grants: [
                {
                    GrantId: "grant-1",
                    Name: names.researchKeyGrant,
                    GranteePrincipal: roleArn,
                    Operations: ["Decrypt", "DescribeKey"],
                },
            ],
        });
    } else if (developmentKeyArn) {
        stub.addKey({
            account: dev.accountId,
            region: dev.region,
            id: developmentKeyArn.split("/")[1],
            arn: developmentKeyArn,
            policy: JSON.stringify(policies.developmentKeyPolicy(params)),
            state: "Enabled",
            aliases: [aliases.development],
        });
    }
    if (hostingKeyArn) {
        stub.addKey({
            account: host.accountId,
            region: host.region,
            id: hostingKeyArn.split("/")[1],
            arn: hostingKeyArn,
            policy: JSON.stringify(policies.hostingKeyPolicy(params)),
            state: "Enabled",
            aliases: [aliases.hosting],
        });
    }
    return {
        params,
        roleArn,
        policyArn,
        ...(developmentKeyArn ? { developmentKeyArn } : {}),
        ...(hostingKeyArn ? { hostingKeyArn } : {}),
        bucket,
        role,
        developmentAccessKeyId,
        hostingAccessKeyId,
    };
}

/** A shared-credentials file text with one profile per access key id. */
export function credentialsFile(profiles: Record<string, string>): string {
    return Object.entries(profiles)
        .map(
            ([profile, akid]) =>
                `[${profile}]\naws_access_key_id = ${akid}\naws_secret_access_key = stub-secret-${profile}\n`,
        )
        .join("\n");
}

/** Sets environment variables, returning a function that restores the previous values. */
export function setEnv(vars: Record<string, string | undefined>): () => void {
    const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
    for (const [k, v] of Object.entries(vars)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
    }
    return () => {
        for (const [k, v] of Object.entries(saved)) {
            if (v === undefined) delete process.env[k];
            else process.env[k] = v;
        }
    };
}
