// The one reader and classification of AWS SDK v3 errors, for both dynamic providers, the smoke test and the scripts.
// The providers' SDK clients run with maxAttempts 1 (see credentials.ts), so every retry decision is made here and
// every wait goes through the provider's injectable clock.

interface AwsErrorShape {
    name?: string;
    /** The error code as the service sent it, when the protocol carries one (XML bodies: S3, IAM, STS). */
    Code?: unknown;
    /** Node's system error code (ECONNRESET, …). */
    code?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number };
}

function shape(err: unknown): AwsErrorShape {
    return typeof err === "object" && err !== null ? (err as AwsErrorShape) : {};
}

/**
 * The error code, as AWS's API references list it. `Code` first: for the query protocol (IAM, STS) the SDK names the
 * exception after its modeled class, so IAM's NoSuchEntity arrives as name "NoSuchEntityException" with Code
 * "NoSuchEntity" (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRole.html#API_GetRole_Errors). JSON
 * protocols (Bedrock, KMS) carry no Code, and the name is the code; S3's XML carries both, equal.
 */
export function errorName(err: unknown): string {
    const e = shape(err);
    return (typeof e.Code === "string" && e.Code) || e.name || e.code || "Error";
}

export function errorMessage(err: unknown): string {
    const e = shape(err);
    return e.message ?? String(err);
}

/** Code and message for messages, e.g. "AccessDenied: Access Denied" (the message alone is not repeated). */
export function describeError(err: unknown): string {
    if (typeof err !== "object" || err === null) return String(err);
    const name = errorName(err);
    const message = shape(err).message;
    return message && message !== name ? `${name}: ${message}` : name;
}

export function httpStatus(err: unknown): number | undefined {
    return shape(err).$metadata?.httpStatusCode;
}

export function isNotFound(err: unknown): boolean {
    return errorName(err) === "ResourceNotFoundException" || httpStatus(err) === 404;
}

export function isConflict(err: unknown): boolean {
    return errorName(err) === "ConflictException";
}

const THROTTLING: ReadonlySet<string> = new Set([
    "ThrottlingException",
    "Throttling",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "RequestThrottled",
    "RequestThrottledException",
    "ProvisionedThroughputExceededException",
    "SlowDown",
]);
const NETWORK: ReadonlySet<string> = new Set([
    "ECONNRESET",
    "ECONNREFUSED",
    "EPIPE",
    "ETIMEDOUT",
    "ENOTFOUND",
    "EAI_AGAIN",
    "TimeoutError",
    "RequestTimeout",
    "RequestTimeoutException",
]);

/** Throttling, 5xx and connection-level failures: safe to retry with backoff. */
export function isTransient(err: unknown): boolean {
    const name = errorName(err);
    const status = httpStatus(err);
    if (THROTTLING.has(name) || status === 429) {
        return true;
    }
    if (
        name === "InternalServerException" ||
        name === "ServiceUnavailableException" ||
        (status !== undefined && status >= 500)
    ) {
        return true;
    }
    return NETWORK.has(name) || NETWORK.has(shape(err).code ?? "");
}

/**
 * The endpoint could not be reached at all (DNS, refused connection, timeout, reset): a network or endpoint problem,
 * not a credential or permission one. Looks at the error and its cause (credential providers wrap the failure).
 */
export function isConnectionFailure(err: unknown): boolean {
    const e = shape(err);
    const codes = [
        e.name,
        e.code,
        shape((err as { cause?: unknown } | null)?.cause).code,
        shape((err as { cause?: unknown } | null)?.cause).name,
    ];
    return codes.some((c) => c !== undefined && NETWORK.has(c));
}

export function isAccessDenied(err: unknown): boolean {
    return errorName(err) === "AccessDeniedException" || httpStatus(err) === 403;
}

/** Fields the dynamic-provider host reads off a thrown error to record an initialization failure. */
export interface ResourceInitError extends Error {
    id: string;
    properties: Record<string, unknown>;
    reasons: string[];
}

/**
 * An error the dynamic-provider host turns into a resource-initialization failure: the engine keeps
 * `id` and `properties` in state (so the resource is not forgotten) and the next `up` calls `update`.
 */
export function resourceInitError(message: string, id: string, properties: object): ResourceInitError {
    const err = new Error(message) as ResourceInitError;
    err.id = id;
    err.properties = JSON.parse(JSON.stringify(properties)) as Record<string, unknown>;
    err.reasons = [message];
    return err;
}

export function isResourceInitError(err: unknown): err is ResourceInitError {
    return (
        err instanceof Error &&
        typeof (err as Partial<ResourceInitError>).id === "string" &&
        (err as Partial<ResourceInitError>).properties !== undefined
    );
}
