// Prints results as ✔ / ✘ lines (– for skipped, ⚠ for passed-with-warning), each failure followed by
// what is wrong and the fix, grouped by the part of the setup they check.

import type { CheckResult } from "./types";

const SECTIONS: ReadonlyArray<[string, string]> = [
    ["identity", "Credentials (sts:GetCallerIdentity)"],
    ["deployed", "Deployed documents"],
    ["access", "Simulated access over the deployed documents"],
    ["drift", "Deployed vs. program documents"],
    ["artifacts", "Model artifacts (development account credentials)"],
    ["probe", "Probe as the execution role"],
];

function mark(r: CheckResult): string {
    if (!r.ok) return "✘";
    if (r.skipped) return "–";
    if (r.warning) return "⚠";
    return "✔";
}

export function formatResults(results: readonly CheckResult[]): string {
    const lines: string[] = [];
    for (const [prefix, heading] of SECTIONS) {
        const inSection = results.filter((r) => r.id === prefix || r.id.startsWith(`${prefix}.`));
        if (inSection.length === 0) continue;
        lines.push("", heading);
        for (const r of inSection) {
            lines.push(`${mark(r)} ${r.title}`);
            if (r.detail && (!r.ok || r.skipped || r.warning || prefix !== "access"))
                lines.push(`    ${r.ok ? "" : "problem: "}${r.detail}`);
            if (r.fix && (!r.ok || r.warning || r.skipped)) lines.push(`    fix: ${r.fix}`);
        }
    }
    const bad = results.filter((r) => !r.ok);
    const skipped = results.filter((r) => r.skipped).length;
    lines.push(
        "",
        bad.length === 0
            ? `All ${results.length - skipped} checks passed${skipped ? ` (${skipped} skipped)` : ""}.`
            : `${bad.length} of ${results.length} checks FAILED${skipped ? ` (${skipped} skipped)` : ""}: ` +
                  `${bad.map((r) => r.id).join(", ")}`,
    );
    return lines.join("\n").replace(/^\n/, "");
}
