// Project config: the `config:` block of Pulumi.yaml, which Pulumi applies to every stack of the project
// (https://www.pulumi.com/docs/iac/concepts/projects/project-file/, "config options"; added in Pulumi 3.44).
// The rules below are the CLI's own (pulumi/pulumi sdk/go/common/workspace: RewriteShorthandConfigValues and
// mergeConfig in project.go and config.go, v3.248):
// - a key without a namespace is the project's (`modelHosting` is `bedrock-cross-account-import:modelHosting`);
// - a plain value or a list is shorthand for `default:` (project keys) or `value:` (other namespaces); an object is
//   a declaration whose `value:` or `default:` holds the value (both at once is refused);
// - a key the stack file sets wins whole: the stack's object replaces the project's, nothing is merged inside it.

import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { PROJECT } from "../../components/naming";
import { projectFilePath } from "../../components/config/stackFiles";

/** The fields of a project config declaration (the CLI's ProjectConfigType). */
const DECLARATION_FIELDS = ["type", "description", "items", "default", "value", "secret"];

/** Qualified key -> value of every project config key that carries a value. */
export function readProjectConfig(root: string): Record<string, unknown> {
    const file = projectFilePath(root);
    if (!file) return {};
    const doc = parseYaml(fs.readFileSync(file, "utf8")) as { name?: unknown; config?: unknown } | null;
    const project = typeof doc?.name === "string" ? doc.name : PROJECT;
    const config = doc?.config;
    // `config: <folder>` is the old spelling of stackConfigDir, not config.
    if (typeof config !== "object" || config === null || Array.isArray(config)) return {};
    const out: Record<string, unknown> = {};
    for (const [key, decl] of Object.entries(config as Record<string, unknown>)) {
        const qualified = key.includes(":") ? key : `${project}:${key}`;
        if (decl === null || typeof decl !== "object" || Array.isArray(decl)) {
            out[qualified] = decl;
            continue;
        }
        const d = decl as { value?: unknown; default?: unknown };
        const unknown = Object.keys(d).filter((k) => !DECLARATION_FIELDS.includes(k));
        if (unknown.length > 0) {
            throw new Error(
                `${path.basename(file)}: config ${key} is an object with ${unknown.join(", ")}, but Pulumi reads ` +
                    `an object there as a ` +
                    `declaration (${DECLARATION_FIELDS.join(", ")}). Put the value under "value:": ${key}: { ` +
                    `value: { ${unknown[0]}: ... } }`,
            );
        }
        if (d.value !== undefined && d.default !== undefined) {
            throw new Error(
                `${path.basename(file)}: config ${key} has both "value" and "default"; Pulumi refuses that ` +
                    `(https://www.pulumi.com/docs/iac/concepts/projects/project-file/). Keep one of them.`,
            );
        }
        const value = d.default ?? d.value;
        if (value !== undefined) out[qualified] = value;
    }
    return out;
}
