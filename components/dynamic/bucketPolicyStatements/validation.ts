// Input validation for `check`: the rulebook's rules (components/rules) plus the Sid rules this resource depends
// on. Pure. Each failure names the input and what to do.

import { checkAccountInputs, isUnknown, stringInputs } from "../../awsSdk/inputs";
import { bucketNameProblems, documentProblems, regionProblems, SID, SID_SOURCE } from "../../rules";
import { policyDocument, type PolicyStatement } from "../../policies/document";
import { show } from "../../util/show";

export interface InputFailure {
    property: string;
    reason: string;
}

/**
 * Bounds on a Sid prefix. Not AWS rules but this resource's: a short prefix such as "Allow" would claim statements
 * of the research team or of other stacks (ownership is "Sid starts with the prefix"), and a long one leaves little
 * room for the statement's own name.
 */
const SID_PREFIX_MIN = 12;
const SID_PREFIX_MAX = 64;

/** True for Pulumi's placeholder of a value not known yet (during `preview`). */
export function isUnknownValue(value: unknown): boolean {
    return isUnknown(value);
}

/** True when the value, or anything inside it, is not known yet. */
export function containsUnknown(value: unknown): boolean {
    if (isUnknown(value)) return true;
    if (Array.isArray(value)) return value.some(containsUnknown);
    if (typeof value === "object" && value !== null) return Object.values(value).some(containsUnknown);
    return false;
}

/** Problems with a Sid prefix; empty when valid. */
function sidPrefixProblems(prefix: unknown): string[] {
    if (typeof prefix !== "string" || prefix === "")
        return [`is required: letters and digits that start every Sid of this resource`];
    const problems: string[] = [];
    if (!SID.test(prefix))
        problems.push(`must be ASCII letters and digits only (the Sid rule, ${SID_SOURCE}), got ${show(prefix)}`);
    if (prefix.length < SID_PREFIX_MIN || prefix.length > SID_PREFIX_MAX) {
        problems.push(
            `must be ${SID_PREFIX_MIN} to ${SID_PREFIX_MAX} characters, got ${prefix.length} (${show(prefix)}): ` +
                `a short prefix could claim ` +
                `other teams' statements; derive it with sidPrefixFor(project, stack, component)`,
        );
    }
    return problems;
}

// A bucket policy is a resource-based policy: every statement names who it applies to.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
function statementProblems(statement: unknown, sidPrefix: string | undefined): Array<{ sub: string; message: string }> {
    if (typeof statement !== "object" || statement === null || Array.isArray(statement)) {
        return [{ sub: "", message: `must be an IAM statement object, got ${show(statement)}` }];
    }
    const s = statement as Record<string, unknown>;
    const problems: Array<{ sub: string; message: string }> = [];
    const sid = s.Sid;
    if (!isUnknown(sid)) {
        if (typeof sid !== "string" || sid === "") {
            problems.push({
                sub: ".Sid",
                message:
                    `is required: this resource recognizes its statements in the shared bucket policy by Sid, so a ` +
                    `statement without one could never be found again`,
            });
        } else {
            if (!SID.test(sid))
                problems.push({
                    sub: ".Sid",
                    message: `must be ASCII letters and digits only (${SID_SOURCE}), got ${show(sid)}`,
                });
            if (sidPrefix !== undefined && !sid.startsWith(sidPrefix)) {
                problems.push({
                    sub: ".Sid",
                    message:
                        `${show(sid)} does not start with the sidPrefix ${show(sidPrefix)}: this resource owns ` +
                        `only statements with that prefix ` +
                        `(it would leave this one to others and never remove it). Name it ` +
                        `${show(sidPrefix + sid.replace(/[^A-Za-z0-9]/g, ""))}`,
                });
            }
        }
    }
    if (!isUnknown(s.Effect) && s.Effect !== "Allow" && s.Effect !== "Deny")
        problems.push({ sub: ".Effect", message: `must be "Allow" or "Deny", got ${show(s.Effect)}` });
    const either = (a: string, b: string, why: string) => {
        if (s[a] === undefined && s[b] === undefined) problems.push({ sub: "", message: `needs ${a} or ${b}: ${why}` });
        if (s[a] !== undefined && s[b] !== undefined)
            problems.push({ sub: "", message: `has both ${a} and ${b}; IAM accepts only one of them` });
    };
    either("Principal", "NotPrincipal", "a bucket policy statement must name whom it applies to");
    either("Action", "NotAction", "a statement without actions allows or denies nothing");
    either("Resource", "NotResource", "a bucket policy statement must name the bucket or its objects");
    return problems;
}

/** Returns one failure per problem, each naming the input (and for statements, which one) and what to do. */
export function validateInputs(news: Record<string, unknown>): InputFailure[] {
    const failures: InputFailure[] = [];
    const fail = (property: string, reason: string, sub = "") =>
        failures.push({ property, reason: `[${property}${sub}] ${reason}` });
    const str = stringInputs(news, fail);
    const failAll = (property: string, reasons: readonly string[]) => reasons.forEach((p) => fail(property, p));
    checkAccountInputs(str, failAll, regionProblems, "the bucket owner's account");
    str("providerVersion", false);
    const bucket = str("bucket", true);
    if (bucket !== undefined) bucketNameProblems(bucket).forEach((p) => fail("bucket", p));

    let sidPrefix: string | undefined;
    if (!isUnknown(news.sidPrefix)) {
        const problems = sidPrefixProblems(news.sidPrefix);
        problems.forEach((p) => fail("sidPrefix", p));
        if (problems.length === 0) sidPrefix = news.sidPrefix as string;
    }

    const statements = news.statements;
    if (isUnknown(statements)) return failures;
    if (!Array.isArray(statements)) {
        fail("statements", `must be a list of IAM statements, got ${show(statements)}`);
        return failures;
    }
    const seen = new Map<string, number>();
    statements.forEach((statement, i) => {
        for (const p of statementProblems(statement, sidPrefix)) fail("statements", p.message, `[${i}]${p.sub}`);
        const sid = (statement as Record<string, unknown> | null)?.Sid;
        if (typeof sid === "string") {
            const first = seen.get(sid);
            if (first !== undefined)
                fail(
                    "statements",
                    `repeats the Sid ${show(sid)} of statements[${first}]; Sids must be unique in a policy (${SID_SOURCE})`,
                    `[${i}].Sid`,
                );
            else seen.set(sid, i);
        }
    });
    if (!containsUnknown(statements) && bucket !== undefined) {
        // This stack's part alone must fit; whether it fits next to everyone else's is known only when writing.
        documentProblems(
            "bucketPolicy",
            policyDocument(statements as PolicyStatement[]),
            `this stack's part of the bucket policy of ${bucket}`,
        ).forEach((p) => fail("statements", p));
    }
    return failures;
}
