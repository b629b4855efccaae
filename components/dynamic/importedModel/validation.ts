// Input validation for `check`: the rulebook's rules (components/rules), applied to the resolved inputs.
// Pure. Messages name the stack config key the input comes
// from when the resource knows it (`configPath`), so `pulumi preview` points at the same key as the validator.

import {
    cmiRegionProblems,
    importedModelNameProblems,
    kmsKeyReferenceProblems,
    principalArnProblems,
    s3UriProblems,
    tagProblems,
} from "../../rules";
import { checkAccountInputs, isUnknown, stringInputs } from "../../awsSdk/inputs";
import { ENTRY_TAG_KEY, ENTRY_TAG_PLACEHOLDER, OWNER_TAG_KEY, PROVIDER_TAG_KEYS } from "./naming";
import { smokeTestProblems, timeoutMinutesProblems } from "../../config/modelSettings";
import { show } from "../../util/show";

export interface InputFailure {
    property: string;
    reason: string;
}

// The preview sentinel for unknown inputs lives with the shared account inputs.
export { UNKNOWN, isUnknown } from "../../awsSdk/inputs";

const MAX_POLL_SECONDS = 3600;

/** The stack config key each input comes from; `model` is the model's own path, e.g. `models[1]`. */
function configKeyOf(property: string, model: string | undefined, sub?: string): string {
    if (model === undefined) return sub !== undefined ? `${property}.${sub}` : property;
    const keys: Record<string, string> = {
        accountId: "modelHosting.accountId",
        region: "modelHosting.region",
        profile: "modelHosting.profile",
        assumeRoleArn: "modelHosting.assumeRoleArn",
        roleArn: "modelHosting.executionRoleName",
        kmsKeyArn: "modelHosting.kms",
        modelName: `${model}.name`,
        s3Uri: `${model}.s3Prefix`,
        tags: `${model}.tags`,
        smokeTest: `${model}.smokeTest`,
    };
    const key = keys[property] ?? `${model}.${property}`;
    return sub !== undefined ? `${key}.${sub}` : key;
}

/**
 * Checks a tag-map input against Bedrock's tag rules, with `added` (tags the resource gets besides) counted in the 50
 * allowed. Returns the known tags (empty when absent, unknown or not a map).
 */
function tagMap(
    property: string,
    value: unknown,
    added: Record<string, string>,
    fail: (property: string, reason: string, sub?: string) => void,
): Record<string, string> {
    if (value === undefined || value === null || isUnknown(value)) return {};
    if (typeof value !== "object" || Array.isArray(value)) {
        fail(property, "must be a map of string to string");
        return {};
    }
    const known = Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([, v]) => !isUnknown(v)));
    for (const p of tagProblems(known, added, PROVIDER_TAG_KEYS)) fail(property, p.message, p.key);
    return known as Record<string, string>;
}

/** Returns one failure per problem, each naming the input (and config key) and what to do. */
export function validateInputs(news: Record<string, unknown>): InputFailure[] {
    const failures: InputFailure[] = [];
    const model = typeof news.configPath === "string" && news.configPath !== "" ? news.configPath : undefined;
    const fail = (property: string, reason: string, sub?: string) =>
        failures.push({ property, reason: `[${configKeyOf(property, model, sub)}] ${reason}` });
    const failAll = (property: string, reasons: readonly string[]) => reasons.forEach((r) => fail(property, r));
    const str = stringInputs(news, fail);
    const { account, partition, region } = checkAccountInputs(str, failAll, cmiRegionProblems, "the hosting account");
    str("stackName", false);
    str("configPath", false);
    str("owner", false);
    str("baseName", false);
    str("providerVersion", false);

    const assumeRoleArn = str("assumeRoleArn", false);
    if (assumeRoleArn !== undefined) {
        failAll(
            "assumeRoleArn",
            principalArnProblems(assumeRoleArn, {
                partition,
                kinds: ["role"],
                what: "an IAM role ARN of the hosting account",
                ...account,
            }),
        );
    }
    const modelName = str("modelName", true);
    if (modelName !== undefined) failAll("modelName", importedModelNameProblems(modelName));
    const roleArn = str("roleArn", true);
    if (roleArn !== undefined) {
        // Bedrock assumes the execution role in the hosting account.
        failAll(
            "roleArn",
            principalArnProblems(roleArn, {
                partition,
                kinds: ["role"],
                what: "the execution role's ARN in the hosting account",
                ...account,
            }),
        );
    }
    const s3Uri = str("s3Uri", true);
    if (s3Uri !== undefined) failAll("s3Uri", s3UriProblems(s3Uri));
    const kms = str("kmsKeyArn", false);
    if (kms !== undefined)
        failAll("kmsKeyArn", kmsKeyReferenceProblems(kms, { ...(region !== undefined ? { region } : {}) }));

    // The owner tag the provider adds counts against Bedrock's 50 as well; so does the entry tag on the model, and the
    // model's tags on the job (which carries them too).
    const owner: Record<string, string> =
        typeof news.owner === "string" && news.owner !== "" ? { [OWNER_TAG_KEY]: news.owner } : {};
    const modelTags = tagMap("tags", news.tags, { ...owner, [ENTRY_TAG_KEY]: ENTRY_TAG_PLACEHOLDER }, fail);
    tagMap("jobTags", news.jobTags, { ...modelTags, ...owner }, fail);

    if (!isUnknown(news.smokeTest)) {
        for (const p of smokeTestProblems(news.smokeTest)) fail("smokeTest", p.message, p.key);
    }

    const timeout = news.timeoutMinutes;
    if (!isUnknown(timeout)) {
        for (const problem of timeoutMinutesProblems(timeout)) fail("timeoutMinutes", problem);
    }
    const poll = news.pollIntervalSeconds;
    if (poll !== undefined && poll !== null && !isUnknown(poll)) {
        if (typeof poll !== "number" || !Number.isFinite(poll) || poll <= 0 || poll > MAX_POLL_SECONDS) {
            fail(
                "pollIntervalSeconds",
                `must be a number of seconds in (0, ${MAX_POLL_SECONDS}] (fractions allowed), got ${show(poll)}`,
            );
        } else if (typeof timeout === "number" && timeout > 0 && poll > timeout * 60) {
            fail("pollIntervalSeconds", `(${poll} s) must not exceed timeoutMinutes (${timeout} min)`);
        }
    }
    return failures;
}
