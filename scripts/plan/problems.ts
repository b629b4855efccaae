// Errors and warnings as a pull-request bot annotates them: the config key the message is about (the "[key] " that
// the validator and the warnings begin with) and the message; key null when a message names no key.

export interface Problem {
    key: string | null;
    message: string;
}

/**
 * "[models[0].name] …", "WARNING: [modelHosting.executionRoleName] …" or a message without a key. The key is the text
 * up to the first "] " (a key may hold brackets itself: models[0].name).
 */
export function problemOf(line: string): Problem {
    const text = line.replace(/^(WARNING|NOTE): /, "");
    const keyed = /^\[(.+?)\] ([\s\S]*)$/.exec(text);
    return keyed ? { key: keyed[1], message: keyed[2] } : { key: null, message: text };
}

/** The line as the plan prints it: "[key] message", or the message alone. */
export function problemText(p: Problem): string {
    return p.key === null ? p.message : `[${p.key}] ${p.message}`;
}
