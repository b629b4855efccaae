// The one shape every deployed-document read takes: call AWS; on an error, say what it means for the document (gone,
// or not readable with these credentials) as one ✘ naming the resource and what to do; parse what came back. Each
// document's reader (./bucketPolicy.ts, ./trustPolicy.ts, ./executionPolicy.ts, ./keyPolicy.ts, ./researchKeyGrant.ts)
// says only which calls it makes and what each error means.

import { parsePolicy, type PolicyDocument } from "../../../components/policies/document";
import { describeError } from "../../../components/awsSdk/errors";
import { fail, pass, type CheckResult } from "../types";

/** Outcome of reading one document: the document, confirmed absent, or unknown (could not read). */
export type Read = { state: "read"; doc: PolicyDocument } | { state: "absent" } | { state: "unknown" };

/** What an error means for the document: confirmed absent, or unknown; with the ✘'s detail and fix. */
export interface Refusal {
    state: "absent" | "unknown";
    detail: string;
    fix: string;
}

/** The check one read reports under, and where its results go. */
export class DocumentCheck {
    constructor(
        readonly id: string,
        readonly title: string,
        private readonly results: CheckResult[],
    ) {}

    /**
     * `call`'s value, or, when it throws, a ✘ with what `refusal` makes of the error (undefined: rethrow it) and the
     * state the document is then in.
     */
    async attempt<T>(
        call: () => Promise<T>,
        refusal: (e: unknown) => Refusal | undefined,
    ): Promise<{ value: T } | { state: "absent" | "unknown" }> {
        try {
            return { value: await call() };
        } catch (e) {
            const r = refusal(e);
            if (r === undefined) throw e;
            this.fail(r.detail, r.fix);
            return { state: r.state };
        }
    }

    /** Parses a returned document, a ✘ naming the resource when it is not a policy (IAM returns URL-encoded JSON). */
    parse(text: string, urlEncoded: boolean, fix: string): PolicyDocument | undefined {
        try {
            return parsePolicy(text, urlEncoded);
        } catch (e) {
            this.fail(`the returned document is not a policy: ${e instanceof Error ? e.message : String(e)}`, fix);
            return undefined;
        }
    }

    pass(detail?: string): void {
        this.results.push(pass(this.id, this.title, detail));
    }

    fail(detail: string, fix: string): void {
        this.results.push(fail(this.id, this.title, detail, fix));
    }
}

/** The ✘ of a call the credentials may not make: what failed, and the permissions to give `source`. */
export function unreadable(call: string, e: unknown, fix: string): Refusal {
    return { state: "unknown", detail: `${call} failed: ${describeError(e)}`, fix };
}
