// Bedrock's tag rules, for imported models and import jobs. Pure.
// https://docs.aws.amazon.com/bedrock/latest/APIReference/API_Tag.html (key 1-128, value 0-256, pattern below)
// https://docs.aws.amazon.com/bedrock/latest/APIReference/API_CreateModelImportJob.html (TooManyTagsException: 50 per
// resource, existing tags included). The "aws:" prefix is reserved by AWS for every service's tags:
// https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html (Bedrock's tagging page defers to it).

import { show } from "../util/show";

const TAG_KEY_MAX = 128;
const TAG_VALUE_MAX = 256;
const MAX_TAGS_PER_RESOURCE = 50;
// Bedrock documents [a-zA-Z0-9\s._:/=+@-]* as a Java regex, where \s is ASCII whitespace only; JavaScript's \s
// also matches Unicode spaces (U+00A0, U+2003 …), so the class is spelled out.
// eslint-disable-next-line no-control-regex -- Java's \s includes VT (U+000B); Bedrock accepts it
const TAG_TEXT = /^[a-zA-Z0-9 \t\n\x0B\f\r._:/=+@-]*$/;
const TAG_CHARACTERS = "letters a-z A-Z, digits, spaces and . _ : / = + @ -";

export interface TagProblem {
    /** The tag key the problem is about (undefined: the whole map). */
    key?: string;
    message: string;
}

function tagKeyProblems(key: string): string[] {
    const problems: string[] = [];
    if (key.length < 1 || key.length > TAG_KEY_MAX)
        problems.push(`tag keys must be 1 to ${TAG_KEY_MAX} characters, got ${key.length}`);
    if (!TAG_TEXT.test(key))
        problems.push(`tag key ${show(key)} may contain only ${TAG_CHARACTERS} (Bedrock's tag rule)`);
    if (key.toLowerCase().startsWith("aws:")) problems.push(`tag keys must not start with "aws:" (reserved by AWS)`);
    return problems;
}

function tagValueProblems(value: unknown): string[] {
    if (typeof value === "number" || typeof value === "boolean") {
        return [
            `tag values must be strings, but YAML read the unquoted ${typeof value} ${String(value)}; quote it: "${String(value)}"`,
        ];
    }
    if (typeof value !== "string") return [`tag values must be strings, got ${show(value)}`];
    const problems: string[] = [];
    if (value.length > TAG_VALUE_MAX)
        problems.push(`tag values must be at most ${TAG_VALUE_MAX} characters, got ${value.length}`);
    if (!TAG_TEXT.test(value))
        problems.push(`tag value ${show(value)} may contain only ${TAG_CHARACTERS} (Bedrock's tag rule)`);
    return problems;
}

/**
 * Problems with the tags a resource will carry: `own` (the user's) merged over `added` (tags the program
 * adds, which count against the 50 too). `reserved` keys belong to the program and may not be set by hand.
 */
export function tagProblems(
    own: Record<string, unknown>,
    added: Record<string, string> = {},
    reserved: readonly string[] = [],
): TagProblem[] {
    const problems: TagProblem[] = [];
    for (const [key, value] of Object.entries(own)) {
        for (const message of [...tagKeyProblems(key), ...tagValueProblems(value)]) problems.push({ key, message });
        if (reserved.includes(key)) {
            const replaced =
                added[key] !== undefined ? ` (to ${show(added[key])}); a value of yours would replace it` : "";
            problems.push({
                key,
                message: `is set by the program itself${replaced}. Remove it, or use another tag key`,
            });
        }
    }
    const total = new Set([...Object.keys(added), ...Object.keys(own)]).size;
    if (total > MAX_TAGS_PER_RESOURCE) {
        const addedKeys = Object.keys(added);
        problems.push({
            message:
                `would give the resource ${total} tags` +
                (addedKeys.length
                    ? ` (${Object.keys(own).length} of yours plus ${addedKeys.join(", ")}, which the program adds)`
                    : "") +
                `; Bedrock allows at most ${MAX_TAGS_PER_RESOURCE} per resource: remove ` +
                `${total - MAX_TAGS_PER_RESOURCE}`,
        });
    }
    return problems;
}
