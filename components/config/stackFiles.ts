// Where a Pulumi project keeps its files: Pulumi.yaml, and the Pulumi.<stack>.yaml stack files in its `stackConfigDir`.
// Shared by the program (which reads a stack file to learn which config leaves are secret: ./secretConfig.ts) and the
// offline tools (scripts/common), so both find the same file.

import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";

/** The project file of `root` (Pulumi.yaml, or Pulumi.yml as Pulumi also accepts), or undefined. */
export function projectFilePath(root: string): string | undefined {
    return ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(root, f)).find((f) => fs.existsSync(f));
}

/** The nearest folder from `start` up that holds a project file, or undefined. */
export function projectFolderFrom(start: string): string | undefined {
    for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
        if (projectFilePath(dir)) return dir;
        if (path.dirname(dir) === dir) return undefined;
    }
}

/**
 * The folder of the stack files: Pulumi.yaml's `stackConfigDir` (or its old spelling, `config: <folder>`), relative to
 * the project folder; the project folder itself otherwise
 * (https://www.pulumi.com/docs/iac/concepts/projects/project-file/).
 */
export function stackConfigDir(root: string): string {
    const file = projectFilePath(root);
    if (!file) return root;
    const doc = parseYaml(fs.readFileSync(file, "utf8")) as { stackConfigDir?: unknown; config?: unknown } | null;
    const dir =
        typeof doc?.stackConfigDir === "string"
            ? doc.stackConfigDir
            : typeof doc?.config === "string"
              ? doc.config
              : undefined;
    return dir ? path.resolve(root, dir) : root;
}

/** The `config:` map of the stack file of `stack` (its own name, as pulumi.getStack() returns it) in project `root`. */
export function readStackFileConfig(root: string, stack: string): Record<string, unknown> {
    const doc = parseYaml(fs.readFileSync(path.join(stackConfigDir(root), `Pulumi.${stack}.yaml`), "utf8")) as {
        config?: unknown;
    } | null;
    const config = doc?.config;
    return typeof config === "object" && config !== null && !Array.isArray(config)
        ? (config as Record<string, unknown>)
        : {};
}
