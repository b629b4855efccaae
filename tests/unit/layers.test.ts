// Parts point one way (issue 20): layers.json declares the parts and their layers once; ESLint's
// no-restricted-imports, generated from it in eslint.config.mjs, refuses an import from the same layer or above, and
// this test checks the resolved import graph: every product file is in a part, every import points down, no circle.

import { expect } from "chai";
import * as path from "path";
import { ESLint } from "eslint";
import { circles, loadParts, partGraph, partOf, productFiles } from "../helpers/partGraph";

const ROOT = path.resolve(__dirname, "..", "..");

describe("parts point one way (layers.json)", () => {
    const parts = loadParts();
    const files = productFiles();

    it("every product file is in a part", () => {
        expect(files.filter((f) => partOf(parts, f) === undefined)).to.deep.equal([]);
    });

    it("no circle of parts", () => {
        const graph = partGraph(parts, files);
        const described = circles(graph).map((circle) =>
            circle.map(
                (p) =>
                    `${p}: ${[...(graph.get(p) ?? new Map<string, string>()).entries()]
                        .filter(([to]) => circle.includes(to))
                        .map(([, via]) => via)
                        .join(", ")}`,
            ),
        );
        expect(described).to.deep.equal([]);
    });

    it("every import between parts points to a lower layer", () => {
        const level = new Map(parts.map((p) => [p.name, p.level]));
        const upward = [...partGraph(parts, files).entries()].flatMap(([from, edges]) =>
            [...edges.entries()].filter(([to]) => level.get(to)! >= level.get(from)!).map(([, via]) => via),
        );
        expect(upward).to.deep.equal([]);
    });

    it("the circle finder finds a circle, and only circles", () => {
        const graph = new Map([
            ["a", new Map([["b", ""]])],
            ["b", new Map([["c", ""]])],
            ["c", new Map([["a", ""]])],
            ["d", new Map([["a", ""]])],
        ]);
        expect(circles(graph)).to.deep.equal([["a", "b", "c"]]);
        expect(circles(new Map([["d", new Map([["a", ""]])]]))).to.deep.equal([]);
    });

    it("ESLint refuses an upward import and a sibling's, and lets a downward one pass", async () => {
        const eslint = new ESLint({ cwd: ROOT });
        const lint = async (filePath: string, code: string) =>
            (await eslint.lintText(code, { filePath: path.join(ROOT, filePath) }))[0].messages
                .filter((m) => m.ruleId === "no-restricted-imports")
                .map((m) => m.message);
        const up = await lint(
            "components/naming.ts",
            'export { COMPONENT_TYPE } from "./crossAccountImport/crossAccountModelImport";\n',
        );
        expect(up).to.have.length(1);
        expect(up[0]).to.contain(
            "naming (layer 3 of layers.json) imports only from the layers below it, not from crossAccountImport",
        );
        const sibling = await lint(
            "components/dynamic/bucketPolicyStatements/naming.ts",
            'import type { ImportedModelInputs } from "../importedModel";\nexport type X = ImportedModelInputs;\n',
        );
        expect(sibling).to.have.length(1);
        const down = await lint("components/config/providerArgs.ts", 'export { stackNames } from "../naming";\n');
        expect(down).to.deep.equal([]);
    });
});
