// `npm run bench` verdicts: "NOT MET" only for a target that applies. Fewer status calls than 30 s polling is not a
// target for jobs under an hour: the README explains that the 10 % lag bound costs more polls there, by design.

import { expect } from "chai";
import { callsVerdict, lagVerdict, MINUTE_MS, NOT_A_TARGET, PLAN_TARGET_MS, planVerdict } from "../../bench/targets";

describe("bench target verdicts", () => {
    it("1- and 10-minute jobs: the call count against 30 s polling is not a target, whatever the numbers", () => {
        // The measured rows (README): 12.4 calls vs 2.5, and 36.6 vs 20.4.
        expect(callsVerdict(1 * MINUTE_MS, 12.4, 2.5)).to.equal(NOT_A_TARGET);
        expect(callsVerdict(10 * MINUTE_MS, 36.6, 20.4)).to.equal(NOT_A_TARGET);
    });

    it("jobs of an hour or more: met when fewer calls, NOT MET otherwise", () => {
        expect(callsVerdict(60 * MINUTE_MS, 86.6, 120.4)).to.equal("met");
        expect(callsVerdict(180 * MINUTE_MS, 400, 360.4)).to.equal("NOT MET");
    });

    it("the lag target applies at every duration: 10 % of the job and at most 60 s", () => {
        expect(lagVerdict(1 * MINUTE_MS, 6_000)).to.equal("met");
        expect(lagVerdict(1 * MINUTE_MS, 6_001)).to.equal("NOT MET");
        expect(lagVerdict(180 * MINUTE_MS, 60_000)).to.equal("met");
        expect(lagVerdict(180 * MINUTE_MS, 60_001)).to.equal("NOT MET");
    });

    it("one plan: under 4 s is met, 4 s or more is NOT MET", () => {
        expect(PLAN_TARGET_MS).to.equal(4_000);
        expect(planVerdict(3_999)).to.equal("met");
        expect(planVerdict(4_000)).to.equal("NOT MET");
    });
});
