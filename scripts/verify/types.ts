// The result shape every verify-access check returns; the formatter and the tests read only this.

export interface CheckResult {
    /** Stable id the tests assert on, e.g. "identity.hosting", "access.s3.list-bucket", "artifacts.<model>.config". */
    id: string;
    ok: boolean;
    title: string;
    /** What was found (resource, ARN, decision); on failure, what is wrong. */
    detail?: string;
    /** What to do about a failure (or a warning). */
    fix?: string;
    /** The check did not run (prerequisite failed or feature not enabled); counts as ok. */
    skipped?: boolean;
    /** Passed, but something deserves attention (e.g. a document drifted without changing access). */
    warning?: boolean;
}

export function pass(id: string, title: string, detail?: string): CheckResult {
    return { id, ok: true, title, ...(detail ? { detail } : {}) };
}

export function fail(id: string, title: string, detail: string, fix: string): CheckResult {
    return { id, ok: false, title, detail, fix };
}

export function skip(id: string, title: string, detail: string, fix?: string): CheckResult {
    return { id, ok: true, skipped: true, title, detail, ...(fix ? { fix } : {}) };
}

export function warn(id: string, title: string, detail: string, fix: string): CheckResult {
    return { id, ok: true, warning: true, title, detail, fix };
}
