// STS's wire (AWS query protocol: form-encoded Action=..., XML replies, <ErrorResponse> errors) over the one STS
// model (./sts.ts), for the HTTP adapters that serve STS (./awsStub.ts, ./bedrockStub.ts).
// Shapes follow @aws-sdk/client-sts's deserializers (dist-cjs).
import type { FakeError } from "./bedrock";
import type { FakeSts } from "./sts";

const xmlEscape = (s: string) =>
    s
        .replace(/&/g, "&amp;")
        .replace(/</g, "&lt;")
        .replace(/>/g, "&gt;")
        .replace(/"/g, "&quot;")
        .replace(/'/g, "&apos;");

/** One XML element with escaped text. */
export const el = (name: string, value: string | number | boolean) => `<${name}>${xmlEscape(String(value))}</${name}>`;

const STS_ACTIONS = ["GetCallerIdentity", "AssumeRole"] as const;
export type StsAction = (typeof STS_ACTIONS)[number];

export function isStsAction(action: string | null | undefined): action is StsAction {
    return (STS_ACTIONS as readonly string[]).includes(action ?? "");
}

/** The access key id of the SigV4 Authorization header (Credential=<akid>/<date>/...); "" when unsigned. */
export function signingKeyId(authorization: string | undefined): string {
    return /Credential=([^/]+)\//.exec(authorization ?? "")?.[1] ?? "";
}

/** The <ActionResult> content for one STS call. Throws the model's FakeError. */
export async function stsResult(
    sts: FakeSts,
    action: StsAction,
    params: URLSearchParams,
    accessKeyId: string,
): Promise<string> {
    if (action === "GetCallerIdentity") {
        const who = sts.callerIdentity(accessKeyId);
        return el("Arn", who.Arn) + el("UserId", who.UserId) + el("Account", who.Account);
    }
    const s = await sts.assumeRole(
        accessKeyId,
        params.get("RoleArn") ?? "",
        params.get("RoleSessionName") ?? "session",
    );
    return (
        `<Credentials>${el("AccessKeyId", s.accessKeyId)}${el("SecretAccessKey", s.secretAccessKey)}${el("SessionToken", "stub-session-token")}` +
        `${el("Expiration", s.expiration.toISOString())}</Credentials>` +
        `<AssumedRoleUser>${el("Arn", s.arn)}${el("AssumedRoleId", s.assumedRoleId)}</AssumedRoleUser>`
    );
}

/** A query-protocol reply around one action's result. */
export function queryResponse(action: string, result: string, namespace: string): string {
    return `<${action}Response xmlns="${namespace}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>stub</RequestId></ResponseMetadata></${action}Response>`;
}

export const STS_NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";

/** A query-protocol error body (IAM and STS). */
export function queryError(err: Pick<FakeError, "type" | "message">): string {
    return `<ErrorResponse><Error><Type>Sender</Type>${el("Code", err.type)}${el("Message", err.message)}</Error><RequestId>stub</RequestId></ErrorResponse>`;
}
