// `providerVersion`: the version of the loader each dynamic resource stores in state (components/dynamic/version.ts).
// It follows the loader and what it loads, never the provider's code, which the loader reads from the checkout at
// every operation: an edit to a provider (a comment, a fix) changes no input, so previews stay quiet.

import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { BUCKET_POLICY_STATEMENTS_PROVIDER_VERSION } from "../../components/dynamic/bucketPolicyStatements";
import { IMPORTED_MODEL_PROVIDER_VERSION } from "../../components/dynamic/importedModel";
import { IMPORT_SWEEPER_PROVIDER_VERSION } from "../../components/dynamic/importSweeper";
import { loaderVersion, moduleGraphFiles, sourceVersion } from "../../components/dynamic/version";

const PROVIDERS = path.resolve(__dirname, "..", "..", "components", "dynamic");

describe("provider version (the loader stored in state)", () => {
    it("sourceVersion: order- and line-ending-independent, content-sensitive", () => {
        const files = [
            { path: "a.ts", text: "export const a = 1;\n" },
            { path: "b.ts", text: "export const b = 2;\n" },
        ];
        const v = sourceVersion(files);
        expect(v).to.match(/^[0-9a-f]{16}$/);
        expect(sourceVersion([...files].reverse())).to.equal(v);
        expect(sourceVersion(files.map((f) => ({ ...f, text: f.text.replace(/\n/g, "\r\n") })))).to.equal(v);
        expect(sourceVersion([files[0], { ...files[1], text: "export const b = 3;\n" }])).not.to.equal(v);
        expect(sourceVersion([files[0], { ...files[1], path: "c.ts" }])).not.to.equal(v);
    });

    it(
        "each resource's version is its loader's: the loader module and the provider module it loads, no provider " +
            "code",
        () => {
            expect(moduleGraphFiles(path.join(PROVIDERS, "loader"), PROVIDERS).map((f) => f.path)).to.deep.equal([
                "loader.ts",
            ]);
            const versions = {
                importedModel: loaderVersion({
                    entry: "components/dynamic/importedModel/provider",
                    factory: "createImportedModelProvider",
                }),
                sweeper: loaderVersion({
                    entry: "components/dynamic/importedModel/sweeper",
                    factory: "createImportSweeperProvider",
                }),
                statements: loaderVersion({
                    entry: "components/dynamic/bucketPolicyStatements/provider",
                    factory: "createBucketPolicyStatementsProvider",
                }),
            };
            expect({
                importedModel: IMPORTED_MODEL_PROVIDER_VERSION,
                sweeper: IMPORT_SWEEPER_PROVIDER_VERSION,
                statements: BUCKET_POLICY_STATEMENTS_PROVIDER_VERSION,
            }).to.deep.equal(versions);
            expect(new Set(Object.values(versions)).size, "three loaders, three versions").to.equal(3);
        },
    );

    it("changes with the loader's source, wherever the checkout lives; an edit to a provider module changes nothing", () => {
        const target = { entry: "components/dynamic/importedModel/provider", factory: "createImportedModelProvider" };
        const make = () => {
            const root = fs.mkdtempSync(path.join(os.tmpdir(), "loader-version-"));
            fs.copyFileSync(path.join(PROVIDERS, "loader.ts"), path.join(root, "loader.ts"));
            fs.mkdirSync(path.join(root, "importedModel"));
            fs.writeFileSync(
                path.join(root, "importedModel", "provider.ts"),
                "export const createImportedModelProvider = () => ({});\n",
            );
            return root;
        };
        const [one, two] = [make(), make()];
        try {
            const v = loaderVersion(target, path.join(one, "loader"));
            expect(v).to.equal(IMPORTED_MODEL_PROVIDER_VERSION);
            expect(loaderVersion(target, path.join(two, "loader.ts"))).to.equal(v);
            fs.appendFileSync(path.join(two, "importedModel", "provider.ts"), "// a comment\nexport const fix = 1;\n");
            expect(loaderVersion(target, path.join(two, "loader"))).to.equal(v);
            expect(loaderVersion({ ...target, factory: "createOtherProvider" }, path.join(two, "loader"))).not.to.equal(
                v,
            );
            fs.appendFileSync(path.join(two, "loader.ts"), "// a new loader\n");
            expect(loaderVersion(target, path.join(two, "loader"))).not.to.equal(v);
        } finally {
            for (const d of [one, two]) fs.rmSync(d, { recursive: true, force: true });
        }
    });

    it("moduleGraphFiles follows every local import, transitively, and names one that does not resolve", () => {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "module-graph-"));
        try {
            fs.mkdirSync(path.join(root, "lib"));
            fs.writeFileSync(
                path.join(root, "entry.ts"),
                'import { x } from "./lib";\nimport type { T } from "./types";\nexport const y = x;\n',
            );
            fs.writeFileSync(path.join(root, "types.ts"), "export type T = string;\n");
            fs.writeFileSync(path.join(root, "lib", "index.ts"), 'export * from "./deep";\n');
            fs.writeFileSync(path.join(root, "lib", "deep.ts"), "export const x = 1;\n");
            expect(moduleGraphFiles(path.join(root, "entry"), root).map((f) => f.path)).to.have.members([
                "entry.ts",
                "types.ts",
                "lib/index.ts",
                "lib/deep.ts",
            ]);
            fs.writeFileSync(path.join(root, "lib", "index.ts"), 'export * from "./missing";\n');
            expect(() => moduleGraphFiles(path.join(root, "entry"), root)).to.throw("./missing, imported by");
        } finally {
            fs.rmSync(root, { recursive: true, force: true });
        }
    });
});
