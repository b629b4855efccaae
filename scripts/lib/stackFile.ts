// Reads Pulumi.<stack>.yaml the way the Pulumi CLI hands it to the program, and validates it with the
// program's own parser, so the scripts and the program agree on every key and default.

import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { parseOptionsFor } from "../../components/providers";
import { CONFIG_NAMESPACE, parseStackConfig, type RawStackConfig, type StackConfig } from "../../components/config";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");

export function stackFilePath(stack: string, root = REPO_ROOT): string {
    return path.join(root, `Pulumi.${stack}.yaml`);
}

/** The `config:` map of a stack file, keys as written (namespace-qualified). */
export function readStackConfigMap(stack: string, root = REPO_ROOT): Record<string, unknown> {
    const file = stackFilePath(stack, root);
    if (!fs.existsSync(file)) {
        const known = fs
            .readdirSync(root)
            .filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f))
            .map((f) => f.slice(7, -5));
        throw new Error(`No stack file ${path.basename(file)} in ${root}; known stacks: ${known.join(", ") || "none"}. Pass --stack <name>.`);
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
    return parseStackConfig(rawStackConfig(readStackConfigMap(stack, root)), parseOptionsFor(CONFIG_NAMESPACE, stack));
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
            if (value === undefined || value.startsWith("--")) throw new Error(`--${name} needs a value`);
            out[name] = value;
        } else throw new Error(`unknown argument ${arg}; known: ${[...options.map((o) => `--${o} <value>`), ...flags.map((f) => `--${f}`)].join(" ")}`);
    }
    return out;
}
