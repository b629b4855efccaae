// Reads Pulumi.<stack>.yaml the way the Pulumi CLI hands it to the program (with the project config of Pulumi.yaml
// under it), and validates it with the program's own parser, so the scripts and the program agree on every key and
// default.

import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { PROJECT } from "../../components/naming";
import { parseOptionsFor } from "../../components/config/providerArgs";
import {
    CONFIG_NAMESPACE,
    parseStackConfig,
    type RawStackConfig,
    type StackConfig,
} from "../../components/config/stackConfig";
import { projectFolderFrom, stackConfigDir } from "../../components/config/stackFiles";
import { readProjectConfig } from "./projectConfig";
import { secureKeys } from "./secrets";

/** Where the program (index.ts) is. The stack files are read from the project folder, which the tools are given. */
export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/**
 * The project folder as Pulumi finds it: the nearest folder from where the command was started (npm run keeps it in
 * INIT_CWD) up that holds Pulumi.yaml (https://www.pulumi.com/docs/iac/concepts/projects/); this repository otherwise.
 */
export function projectRoot(start = process.env["INIT_CWD"] ?? process.cwd()): string {
    return projectFolderFrom(start) ?? REPO_ROOT;
}

/**
 * The stack's own name in `--stack` as Pulumi accepts it: `stack`, `org/stack` or `org/project/stack`
 * (https://www.pulumi.com/docs/iac/concepts/stacks/). Its settings file is Pulumi.<stack>.yaml, named by that last part
 * (https://www.pulumi.com/docs/iac/concepts/config/), and pulumi.getStack() returns that part too.
 */
export function stackNameOf(stack: string): string {
    const parts = stack.split("/");
    if (parts.length > 3 || parts.some((p) => p === "")) {
        throw new UsageError(
            `--stack ${stack} is not a stack name; Pulumi takes <stack>, <org>/<stack> or <org>/<project>/<stack>`,
        );
    }
    if (parts.length === 3 && parts[1] !== PROJECT) {
        throw new UsageError(
            `--stack ${stack} names project "${parts[1]}", but this folder holds project "${PROJECT}" (Pulumi.yaml)`,
        );
    }
    return parts[parts.length - 1];
}

function stackFilePath(stack: string, root: string): string {
    return path.join(stackConfigDir(root), `Pulumi.${stackNameOf(stack)}.yaml`);
}

/** A wrong command line (as opposed to a wrong stack file): the CLIs print their usage with it. */
export class UsageError extends Error {}

/** The stacks that have a Pulumi.<name>.yaml in `root`, sorted. */
export function knownStacks(root: string): string[] {
    return (
        fs
            .readdirSync(stackConfigDir(root))
            // Stack names may contain dots (letters, digits, "-", "_" and ".":
            // https://www.pulumi.com/docs/iac/concepts/stacks/), so only the ends are fixed.
            .filter((f) => /^Pulumi\..+\.yaml$/.test(f))
            .map((f) => f.slice(7, -5))
            .sort()
    );
}

function knownStacksText(root: string): string {
    return `known stacks in ${stackConfigDir(root)}: ${knownStacks(root).join(", ") || "none"}`;
}

/**
 * The required `--stack` argument. There is deliberately no default: a plan or a check of another stack than
 * the one meant looks just as green, and dev's accounts are not prod's.
 */
export function requireStack(args: Readonly<Record<string, string | boolean>>, root: string): string {
    const stack = args["stack"];
    if (typeof stack === "string") {
        stackNameOf(stack);
        return stack;
    }
    throw new UsageError(
        `--stack <name> is required: it names the Pulumi.<name>.yaml to read, and there is no default stack (${knownStacksText(root)})`,
    );
}

export interface StackConfigFile {
    /**
     * The config Pulumi gives the program: the stack file's `config:` over the project config (keys
     * namespace-qualified).
     */
    map: Record<string, unknown>;
    /**
     * The stack file, relative to the working directory when inside it (Pulumi.dev.yaml when run from the project
     * folder).
     */
    file: string;
    /** The keys whose value comes from Pulumi.yaml's project config (the stack file does not set them). */
    fromProject: string[];
}

/**
 * A stack's config as Pulumi merges it: each key the stack file sets replaces the project's whole (./projectConfig.ts).
 */
export function readStackConfig(stack: string, root: string): StackConfigFile {
    const file = stackFilePath(stack, root);
    if (!fs.existsSync(file)) {
        const qualified =
            stackNameOf(stack) !== stack
                ? ` (for --stack ${stack}, Pulumi reads the file of the stack's name, ${stackNameOf(stack)})`
                : "";
        throw new Error(
            `No stack file ${path.basename(file)} in ${path.dirname(file)}${qualified}; ${knownStacksText(root)}. ` +
                `Pass --stack <name> with one of them.`,
        );
    }
    const doc = parseYaml(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null;
    const own = doc?.config ?? {};
    const project = readProjectConfig(root);
    const fromProject = Object.keys(project).filter((k) => !(k in own));
    const relative = path.relative(process.cwd(), file);
    return {
        map: { ...project, ...own },
        file: relative.startsWith("..") || path.isAbsolute(relative) ? file : relative,
        fromProject,
    };
}

/** The `config:` map of a stack (keys namespace-qualified), project config included. */
export function readStackConfigMap(stack: string, root: string): Record<string, unknown> {
    return readStackConfig(stack, root).map;
}

export function rawStackConfig(map: Record<string, unknown>): RawStackConfig {
    const get = (key: string) => map[`${CONFIG_NAMESPACE}:${key}`];
    return {
        modelDevelopment: get("modelDevelopment"),
        modelHosting: get("modelHosting"),
        models: get("models"),
        allKeys: Object.keys(map),
    };
}

/**
 * Loads and validates a stack for a tool that calls AWS with its values; throws the program's ConfigError (naming each
 * key) when invalid, and says which values are secret when the file holds some: only the Pulumi CLI can decrypt them.
 */
export function loadStack(stack: string, root: string): StackConfig {
    const { map, file } = readStackConfig(stack, root);
    const secret = secureKeys(map);
    if (secret.length > 0) {
        throw new Error(
            `${file} holds secret values (secure:) at ${secret.join(", ")}; this tool calls AWS with the plain ` +
                `values, and only the ` +
                `Pulumi CLI can decrypt them. Run it on a copy with the plain values (pulumi config --stack ` +
                `${stackNameOf(stack)} --show-secrets ` +
                `lists them), or use npm run plan, which checks a stack with secrets offline.`,
        );
    }
    return parseStackConfig(rawStackConfig(map), parseOptionsFor(PROJECT, stackNameOf(stack)));
}

/** `--name value` and `--flag` from argv; unknown options are an error naming them. */
export function parseArgs(
    argv: readonly string[],
    options: readonly string[],
    flags: readonly string[],
): Record<string, string | boolean> {
    const out: Record<string, string | boolean> = {};
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        const [name, inline] = arg.startsWith("--") ? arg.slice(2).split(/=(.*)/s, 2) : [undefined, undefined];
        if (name !== undefined && flags.includes(name)) out[name] = true;
        else if (name !== undefined && options.includes(name)) {
            const value = inline ?? argv[++i];
            if (value === undefined || value.startsWith("--")) throw new UsageError(`--${name} needs a value`);
            out[name] = value;
        } else
            throw new UsageError(
                `unknown argument ${arg}; known: ` +
                    `${[...options.map((o) => `--${o} <value>`), ...flags.map((f) => `--${f}`)].join(" ")}`,
            );
    }
    return out;
}
