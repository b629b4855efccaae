// The bucket-policy provider's diff and verify-access's drift judge the same statements the same way: both read them
// through components/policies/document.ts. Each case takes this stack's statements as the program writes them, rewrites
// them the way AWS may return them (or changes what they allow), and asks both sides.

import { expect } from "chai";
import fc from "fast-check";
import {
    bucketPolicyStatementsProvider,
    type BucketPolicyStatementsOutputs,
} from "../../components/dynamic/bucketPolicyStatements";
import { policyDocument, type OwnStatement } from "../../components/policies/document";
import { compareDocuments, hasDrift } from "../../scripts/verify/documents";
import { inputsOf, stackFixture, statementsOf } from "../fakes/bucketPolicyFixtures";

const A = stackFixture("dev", "777788889999");
const wanted = statementsOf(A);

type Rewrite = (s: OwnStatement) => OwnStatement;

const asList = (v: string | string[] | undefined) => (v === undefined ? v : Array.isArray(v) ? v : [v]);

/** Rewrites IAM reads as the same statement (scenario: S3 or a person reformatted the document). */
const SAME: Record<string, Rewrite> = {
    "actions as lists": (s) => ({ ...s, Action: asList(s.Action) }),
    "actions in another case": (s) => ({ ...s, Action: asList(s.Action)?.map((a) => a.toUpperCase()) }),
    "resources reversed, one repeated": (s) => {
        const r = asList(s.Resource) ?? [];
        return { ...s, Resource: [...r].reverse().concat(r.slice(0, 1)) };
    },
    "root principal as its account id": (s) =>
        typeof s.Principal === "object" && "AWS" in s.Principal
            ? {
                  ...s,
                  Principal: {
                      AWS: asList(s.Principal.AWS)!.map((p) => p.replace(/^arn:aws:iam::(\d{12}):root$/, "$1")),
                  },
              }
            : s,
    "condition keys in another case, values as lists": (s) =>
        s.Condition
            ? {
                  ...s,
                  Condition: Object.fromEntries(
                      Object.entries(s.Condition).map(([op, block]) => [
                          op,
                          Object.fromEntries(
                              Object.entries(block).map(([k, v]) => [k.toUpperCase(), Array.isArray(v) ? v : [v]]),
                          ),
                      ]),
                  ),
              }
            : s,
};

/** Rewrites that change what the statement allows or denies. */
const CHANGED: Record<string, Rewrite> = {
    "another resource": (s) => ({ ...s, Resource: `arn:aws:s3:::other-bucket` }),
    "another principal account": (s) =>
        typeof s.Principal === "object" ? { ...s, Principal: { AWS: "arn:aws:iam::444455556666:root" } } : s,
    "effect flipped": (s) => ({ ...s, Effect: s.Effect === "Allow" ? "Deny" : "Allow" }),
    "condition dropped": (s) => {
        const { Condition: _c, ...rest } = s;
        return rest;
    },
};

async function providerSeesChange(live: OwnStatement[]): Promise<boolean> {
    const olds: BucketPolicyStatementsOutputs = { ...inputsOf(A), statements: live };
    return (await bucketPolicyStatementsProvider.diff("id", olds, inputsOf(A))).changes === true;
}

function verifySeesDrift(live: OwnStatement[]): boolean {
    return hasDrift(compareDocuments(policyDocument(live), policyDocument(wanted)));
}

describe("statement equivalence: provider diff and verify-access drift agree", () => {
    for (const [name, rewrite] of Object.entries(SAME)) {
        it(`the same statements, ${name}: neither sees a change`, async () => {
            const live = wanted.map(rewrite);
            expect(await providerSeesChange(live)).to.equal(false);
            expect(verifySeesDrift(live)).to.equal(false);
        });
    }

    for (const [name, rewrite] of Object.entries(CHANGED)) {
        it(`a statement with ${name}: both see a change`, async () => {
            // The rewrite must change something in the statement it is applied to: the first with a Condition.
            const at = wanted.findIndex((s) => s.Condition !== undefined && typeof s.Principal === "object");
            const live = wanted.map((s, i) => (i === at ? rewrite(s) : s));
            expect(await providerSeesChange(live)).to.equal(true);
            expect(verifySeesDrift(live)).to.equal(true);
        });
    }

    it("any mix of rewrites, in any statement order: both give the same answer", async () => {
        const same = Object.values(SAME);
        const changed = Object.values(CHANGED);
        await fc.assert(
            fc.asyncProperty(
                fc.array(fc.integer({ min: 0, max: same.length + changed.length - 1 }), {
                    minLength: wanted.length,
                    maxLength: wanted.length,
                }),
                fc.boolean(),
                async (picks, reverse) => {
                    const live = wanted.map((s, i) =>
                        (picks[i] < same.length ? same[picks[i]] : changed[picks[i] - same.length])(s),
                    );
                    if (reverse) live.reverse();
                    expect(await providerSeesChange(live)).to.equal(verifySeesDrift(live));
                },
            ),
            { numRuns: 200 },
        );
    });

    it("the statements checked name an account root, so the account-id rewrite has something to rewrite", () => {
        expect(JSON.stringify(wanted)).to.include(`"arn:aws:iam::${A.params.hostingAccountId}:root"`);
    });
});
