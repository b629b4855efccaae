// The IAM simulator (@cloud-copilot/iam-simulate) is AGPL: a devDependency for tests and the plan/verify
// scripts, never reachable from the Pulumi program that users deploy.

import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "../../scripts/common/stackFile";

/** Every module specifier imported or required by a TypeScript file (type-only imports included). */
function specifiers(file: string): string[] {
    const text = fs.readFileSync(file, "utf8");
    const found: string[] = [];
    for (const m of text.matchAll(
        /(?:import|export)[^"';]*?from\s+["']([^"']+)["']|require\(\s*["']([^"']+)["']\s*\)|import\(\s*["']([^"']+)["']\s*\)/g,
    )) {
        found.push(m[1] ?? m[2] ?? m[3]);
    }
    return found;
}

function programGraph(entry: string): { files: string[]; packages: Set<string> } {
    const files: string[] = [];
    const packages = new Set<string>();
    const queue = [entry];
    while (queue.length) {
        const file = queue.shift()!;
        if (files.includes(file)) continue;
        files.push(file);
        for (const spec of specifiers(file)) {
            if (spec.startsWith(".")) {
                const base = path.resolve(path.dirname(file), spec);
                const resolved = [`${base}.ts`, path.join(base, "index.ts")].find((f) => fs.existsSync(f));
                expect(resolved, `${spec} imported by ${file}`).to.be.a("string");
                queue.push(resolved!);
            } else {
                packages.add(spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]);
            }
        }
    }
    return { files, packages };
}

describe("dependencies of the deployed program", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
        dependencies: Record<string, string>;
        devDependencies: Record<string, string>;
    };
    const { files, packages } = programGraph(path.join(REPO_ROOT, "index.ts"));

    it("walks the whole program (index, component, policies, imported-model provider)", () => {
        const rel = files.map((f) => path.relative(REPO_ROOT, f));
        expect(rel).to.include.members([
            "index.ts",
            "components/crossAccountImport/crossAccountModelImport.ts",
            "components/policies/statements.ts",
            "components/dynamic/importedModel.ts",
            "components/dynamic/importedModel/provider.ts",
        ]);
        expect(rel.filter((f) => !f.startsWith("components/") && f !== "index.ts")).to.deep.equal([]);
    });

    it("never reaches the AGPL IAM simulator, which stays a devDependency", () => {
        expect([...packages]).not.to.include("@cloud-copilot/iam-simulate");
        expect(pkg.devDependencies).to.have.property("@cloud-copilot/iam-simulate");
        expect(pkg.dependencies).not.to.have.property("@cloud-copilot/iam-simulate");
    });

    it("uses only runtime dependencies (or Node built-ins)", () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const builtins = new Set(require("module").builtinModules as string[]);
        for (const p of packages) {
            if (builtins.has(p) || p.startsWith("node:")) continue;
            expect(pkg.dependencies, `${p} is imported by the program`).to.have.property(p);
        }
    });
});
