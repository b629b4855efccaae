// Loaders already in state name the provider modules by the paths they had when the stack was last deployed. Each
// such path must still load the same provider factory the current loader uses, or `refresh` and `destroy` fail on
// those stacks until their next `up`.
import { expect } from "chai";
import * as path from "path";
import { providerLoader } from "../../components/dynamic/loader";
import { createImportedModelProvider } from "../../components/dynamic/importedModel/provider";
import { createImportSweeperProvider } from "../../components/dynamic/importedModel/sweeper";
import { createBucketPolicyStatementsProvider } from "../../components/dynamic/bucketPolicyStatements/provider";

const REPO_ROOT = path.resolve(__dirname, "../..");

// Entries written by loaders of the previous layout (components/providers/…), with the factory each names.
const LEGACY_ENTRIES: [string, string, unknown][] = [
    ["components/providers/importedModel/provider", "createImportedModelProvider", createImportedModelProvider],
    ["components/providers/importedModel/sweeper", "createImportSweeperProvider", createImportSweeperProvider],
    [
        "components/providers/bucketPolicyStatements/provider",
        "createBucketPolicyStatementsProvider",
        createBucketPolicyStatementsProvider,
    ],
];

describe("loader entries of the previous layout", () => {
    for (const [entry, factory, current] of LEGACY_ENTRIES) {
        it(`${entry} exports the current ${factory}`, () => {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const loaded = require(path.join(REPO_ROOT, entry)) as Record<string, unknown>;
            expect(loaded[factory]).to.equal(current);
        });

        it(`a loader stored with ${entry} finds its provider from the program's folder`, async () => {
            const loader = providerLoader({ entry, factory });
            // `check` loads the provider through the same walk-up the host does; an empty input is a failed check, not
            // a throw.
            const result = await loader.check!({}, {});
            expect(result).to.have.property("inputs");
        });
    }
});
