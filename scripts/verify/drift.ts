// Each deployed document against the one the program writes: drift is informational unless a failing simulated check
// points at the drifted document. The shared bucket policy is compared on this stack's statements only.

import type { StackConfig } from "../../components/config/stackConfig";
import { prefixedStatements } from "../../components/policies/document";
import type { StackNames } from "../../components/naming";
import { ownStatements, policyDocument, type PolicyDocument } from "../../components/policies/document";
import {
    bucketPolicy,
    developmentKeyPolicy,
    executionPolicy,
    hostingKeyPolicy,
    trustPolicy,
    type AccessParams,
} from "../../components/policies/statements";
import type { DocumentName } from "../access/matrix";
import { documentResource, LABELS } from "./accessResults";
import { compareDocuments, describeDrift, hasDrift, type Drift } from "./documents";
import type { Read } from "./read/reader";
import { fail, pass, warn, type CheckResult } from "./types";

/**
 * Each document that was read, against what the program writes. The shared bucket policy: this stack's statements only.
 */
export function documentDrifts(
    config: StackConfig,
    names: StackNames,
    p: AccessParams,
    reads: ReadonlyArray<[DocumentName, Read | undefined]>,
): Map<DocumentName, Drift> {
    const expected: Record<DocumentName, PolicyDocument | undefined> = {
        bucketPolicy: policyDocument(prefixedStatements(bucketPolicy(p).Statement, names.sidPrefix)),
        trustPolicy: trustPolicy(p),
        executionPolicy: executionPolicy(p),
        // A grant on the research key is checked on its own (deployed.developmentKeyGrant); its key policy is not ours.
        developmentKeyPolicy:
            config.modelDevelopment.kms.enabled && p.developmentKeyArn ? developmentKeyPolicy(p) : undefined,
        hostingKeyPolicy: p.hostingKeyArn ? hostingKeyPolicy(p) : undefined,
    };
    const drifts = new Map<DocumentName, Drift>();
    for (const [name, read] of reads) {
        const want = expected[name];
        if (read?.state === "read" && want)
            drifts.set(
                name,
                compareDocuments(
                    name === "bucketPolicy"
                        ? { ...read.doc, Statement: ownStatements(read.doc, names.sidPrefix) }
                        : read.doc,
                    want,
                ),
            );
    }
    return drifts;
}

/** Drift is informational unless a failing simulated check points at the drifted document. */
export function driftResults(
    drifts: Map<DocumentName, Drift>,
    failingDocs: ReadonlySet<DocumentName>,
    config: StackConfig,
    p: AccessParams,
): CheckResult[] {
    return [...drifts].map(([name, drift]) => {
        const id = `drift.${name}`;
        const title = `The deployed ${LABELS[name]} of ${documentResource(name, config, p)} matches the program`;
        if (!hasDrift(drift)) return pass(id, title);
        return failingDocs.has(name)
            ? fail(
                  id,
                  title,
                  describeDrift(drift),
                  `Run pulumi up to restore the document (pulumi refresh first shows the change); if someone ` +
                      `else manages this ${LABELS[name]}, merge the program's statements into theirs.`,
              )
            : warn(
                  id,
                  title,
                  `${describeDrift(drift)}; the simulated access is unchanged`,
                  `Run pulumi up to restore it, or pulumi refresh to accept the edit into the state.`,
              );
    });
}
