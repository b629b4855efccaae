// Classification of AWS SDK v3 errors, shared by the dynamic providers. SDK clients run with maxAttempts 1
// (see credentials.ts), so every retry decision is made here and every wait goes through the provider's
// injectable clock.

interface AwsErrorShape {
    name?: string;
    code?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number };
}

function shape(err: unknown): AwsErrorShape {
    return typeof err === "object" && err !== null ? (err as AwsErrorShape) : {};
}

export function errorName(err: unknown): string {
    const e = shape(err);
    return e.name ?? e.code ?? "Error";
}

export function errorMessage(err: unknown): string {
    const e = shape(err);
    return e.message ?? String(err);
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

// Arrays, not Sets: the closure serializer turns a captured Set into an empty object.
const THROTTLING: readonly string[] = [
    "ThrottlingException",
    "Throttling",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "RequestThrottled",
    "RequestThrottledException",
    "ProvisionedThroughputExceededException",
    "SlowDown",
];
const NETWORK: readonly string[] = [
    "ECONNRESET",
    "ECONNREFUSED",
    "EPIPE",
    "ETIMEDOUT",
    "ENOTFOUND",
    "EAI_AGAIN",
    "TimeoutError",
    "RequestTimeout",
    "RequestTimeoutException",
];

/** Throttling, 5xx and connection-level failures: safe to retry with backoff. */
export function isTransient(err: unknown): boolean {
    const name = errorName(err);
    const status = httpStatus(err);
    if (THROTTLING.includes(name) || status === 429) {
        return true;
    }
    if (name === "InternalServerException" || name === "ServiceUnavailableException" || (status !== undefined && status >= 500)) {
        return true;
    }
    return NETWORK.includes(name) || NETWORK.includes(shape(err).code ?? "");
}

/**
 * The endpoint could not be reached at all (DNS, refused connection, timeout, reset): a network or endpoint problem, not
 * a credential or permission one. Looks at the error and its cause (credential providers wrap the failure).
 */
export function isConnectionFailure(err: unknown): boolean {
    const e = shape(err);
    const codes = [e.name, e.code, shape((err as { cause?: unknown } | null)?.cause).code, shape((err as { cause?: unknown } | null)?.cause).name];
    return codes.some((c) => c !== undefined && NETWORK.includes(c));
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
 * A plain factory, not a subclass of Error: the closure serializer handles plain functions best.
 */
export function resourceInitError(message: string, id: string, properties: object): ResourceInitError {
    const err = new Error(message) as ResourceInitError;
    err.id = id;
    err.properties = JSON.parse(JSON.stringify(properties)) as Record<string, unknown>;
    err.reasons = [message];
    return err;
}

export function isResourceInitError(err: unknown): err is ResourceInitError {
    return err instanceof Error && typeof (err as Partial<ResourceInitError>).id === "string" && (err as Partial<ResourceInitError>).properties !== undefined;
}
