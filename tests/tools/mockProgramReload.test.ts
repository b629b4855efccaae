// runProgram clears the require cache so every config is read afresh. A module it left loaded would stay bound to the
// cleared copies of what it imports, and a file loaded afterwards would see two copies of one module: what a script
// answers would not be what the rulebook holds. (mocha --parallel loads each file when it runs, after earlier files'
// runs, so this happened across files depending on which worker ran what.)
import { expect } from "chai";
import { runProgram } from "../../scripts/common/mockProgram";
import { readStackConfigMap } from "../../scripts/common/stackFile";
import { FIXTURES_ROOT } from "../helpers/programHarness";

describe("runProgram and the modules loaded before it", () => {
    it(
        "a script and the rulebook required after a run are one copy: the script answers with the rulebook's own " +
            "entry",
        async () => {
            // Loaded before the run, as an earlier test file would.
            await import("../../scripts/verify/architectures");
            const run = await runProgram(readStackConfigMap("dev", FIXTURES_ROOT), "dev");
            expect(run.error).to.equal(undefined);
            // Required after the run, as a later test file would.
            const rules = await import("../../components/rules");
            const { matchArchitecture } = await import("../../scripts/verify/architectures");
            const llama = rules.SUPPORTED_ARCHITECTURES[0];
            expect(matchArchitecture({ architectures: [...llama.architectures] }).supported).to.equal(llama);
        },
    );
});
