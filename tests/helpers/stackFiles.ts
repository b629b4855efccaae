// Temporary stack roots for `npm run plan` tests: Pulumi.<name>.yaml files derived from the shipped
// Pulumi.dev.yaml, one per misconfiguration, so each test runs the plan exactly as a user's file would.

import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { CONFIG_NAMESPACE } from "../../components/config/stackConfig";
import { REPO_ROOT } from "../../scripts/common/stackFile";

export type Section = Record<string, unknown>;

/** The `config:` map of a stack file, with typed access to the three sections of the contract. */
export class StackYaml {
    constructor(readonly config: Record<string, unknown>) {}

    section(key: "modelDevelopment" | "modelHosting"): Section {
        return this.config[`${CONFIG_NAMESPACE}:${key}`] as Section;
    }

    get models(): Section[] {
        return this.config[`${CONFIG_NAMESPACE}:models`] as Section[];
    }

    set models(models: Section[]) {
        this.config[`${CONFIG_NAMESPACE}:models`] = models;
    }

    /** A nested object of a section, e.g. sub("modelHosting", "troubleshooting"). */
    sub(key: "modelDevelopment" | "modelHosting", name: string): Section {
        return this.section(key)[name] as Section;
    }
}

export const SHIPPED_DEV = fs.readFileSync(path.join(REPO_ROOT, "tests", "fixtures", "Pulumi.dev.yaml"), "utf8");

/** A stack file as text: either an edit of the parsed shipped dev stack, or an edit of its raw text. */
export function derivedStack(edit: { yaml?: (s: StackYaml) => void; text?: (t: string) => string }): string {
    if (edit.text) return edit.text(SHIPPED_DEV);
    const doc = parseYaml(SHIPPED_DEV) as { config: Record<string, unknown> };
    edit.yaml?.(new StackYaml(doc.config));
    return stringifyYaml(doc);
}

/** A temporary root holding `files` (stack name -> stack file text); remove it with `fs.rmSync`. */
export function tempStackRoot(files: Record<string, string>): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "plan-stacks-"));
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(root, `Pulumi.${name}.yaml`), text);
    return root;
}
