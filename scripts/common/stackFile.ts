// Reads Pulumi.<stack>.yaml the way the Pulumi CLI hands it to the program, and validates it with the
// program's own parser, so the scripts and the program agree on every key and default.

import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { PROJECT } from "../../components/naming";
import { parseOptionsFor } from "../../components/awsAccount/providerArgs";
import { CONFIG_NAMESPACE, parseStackConfig, type RawStackConfig, type StackConfig } from "../../components/config";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/**
 * The stack's own name in `--stack` as Pulumi accepts it: `stack`, `org/stack` or `org/project/stack`
 * (https://www.pulumi.com/docs/iac/concepts/stacks/). Its settings file is Pulumi.<stack>.yaml, named by that last part
 * (https://www.pulumi.com/docs/iac/concepts/config/), and pulumi.getStack() returns that part too.
 */
export function stackNameOf(stack: string): string {
    const parts = stack.split("/");
    if (parts.length > 3 || parts.some((p) => p === "")) {
        throw new UsageError(`--stack ${stack} is not a stack name; Pulumi takes <stack>, <org>/<stack> or <org>/<project>/<stack>`);
    }
    if (parts.length === 3 && parts[1] !== PROJECT) {
        throw new UsageError(`--stack ${stack} names project "${parts[1]}", but this folder holds project "${PROJECT}" (Pulumi.yaml)`);
    }
    return parts[parts.length - 1];
}

export function stackFilePath(stack: string, root = REPO_ROOT): string {
    return path.join(root, `Pulumi.${stackNameOf(stack)}.yaml`);
}

/** A wrong command line (as opposed to a wrong stack file): the CLIs print their usage with it. */
export class UsageError extends Error {}

/** The stacks that have a Pulumi.<name>.yaml in `root`, sorted. */
export function knownStacks(root = REPO_ROOT): string[] {
    return (
        fs
            .readdirSync(root)
            // Stack names may contain dots (letters, digits, "-", "_" and ".": https://www.pulumi.com/docs/iac/concepts/stacks/), so only the ends are fixed.
            .filter((f) => /^Pulumi\..+\.yaml$/.test(f))
            .map((f) => f.slice(7, -5))
            .sort()
    );
}

function knownStacksText(root: string): string {
    return `known stacks in ${root}: ${knownStacks(root).join(", ") || "none"}`;
}

/**
 * The required `--stack` argument. There is deliberately no default: a plan or a check of another stack than
 * the one meant looks just as green, and dev's accounts are not prod's.
 */
export function requireStack(args: Readonly<Record<string, string | boolean>>, root = REPO_ROOT): string {
    const stack = args["stack"];
    if (typeof stack === "string") {
        stackNameOf(stack);
        return stack;
    }
    throw new UsageError(`--stack <name> is required: it names the Pulumi.<name>.yaml to read, and there is no default stack (${knownStacksText(root)})`);
}

/** The `config:` map of a stack file, keys as written (namespace-qualified). */
export function readStackConfigMap(stack: string, root = REPO_ROOT): Record<string, unknown> {
    const file = stackFilePath(stack, root);
    if (!fs.existsSync(file)) {
        const qualified = stackNameOf(stack) !== stack ? ` (for --stack ${stack}, Pulumi reads the file of the stack's name, ${stackNameOf(stack)})` : "";
        throw new Error(`No stack file ${path.basename(file)} in ${root}${qualified}; ${knownStacksText(root)}. Pass --stack <name> with one of them.`);
    }
    const doc = parseYaml(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null;
    return doc?.config ?? {};
}

export function rawStackConfig(map: Record<string, unknown>): RawStackConfig {
    const get = (key: string) => map[`${CONFIG_NAMESPACE}:${key}`];
    return { modelDevelopment: get("modelDevelopment"), modelHosting: get("modelHosting"), models: get("models"), allKeys: Object.keys(map) };
}

/** Loads and validates a stack; throws the program's ConfigError (naming each key) when invalid. */
export function loadStack(stack: string, root = REPO_ROOT): StackConfig {
    return parseStackConfig(rawStackConfig(readStackConfigMap(stack, root)), parseOptionsFor(PROJECT, stackNameOf(stack)));
}

/** `--name value` and `--flag` from argv; unknown options are an error naming them. */
export function parseArgs(argv: readonly string[], options: readonly string[], flags: readonly string[]): Record<string, string | boolean> {
    const out: Record<string, string | boolean> = {};
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        const [name, inline] = arg.startsWith("--") ? arg.slice(2).split(/=(.*)/s, 2) : [undefined, undefined];
        if (name !== undefined && flags.includes(name)) out[name] = true;
        else if (name !== undefined && options.includes(name)) {
            const value = inline ?? argv[++i];
            if (value === undefined || value.startsWith("--")) throw new UsageError(`--${name} needs a value`);
            out[name] = value;
        } else throw new UsageError(`unknown argument ${arg}; known: ${[...options.map((o) => `--${o} <value>`), ...flags.map((f) => `--${f}`)].join(" ")}`);
    }
    return out;
}
