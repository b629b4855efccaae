// The failure checklists and verify-access's fix texts are generated from the grants (components/policies/grants.ts,
// checklist.ts). Every grant a checklist names appears in it; and, taken from the documents rather than from the
// grants' own tags, every statement an import job or a CreateModelImportJob call depends on is in the checklist the
// user gets, by Sid and with each of its actions.
import { expect } from "chai";
import {
    createImportJobChecklist,
    grantsOf,
    grantSidsText,
    importJobChecklist,
    type ImportFacts,
} from "../../components/policies/checklist";
import { GRANTS, grantById } from "../../components/policies/grants";
import {
    bucketPolicy,
    developmentKeyPolicy,
    executionPolicy,
    hostingKeyPolicy,
    importerIdentityPolicy,
    SIDS,
    trustPolicy,
    type AccessParams,
} from "../../components/policies/statements";
import type { OwnStatement } from "../../components/policies/document";

const HOST = "777788889999";
const HOST_KEY = `arn:aws:kms:us-east-1:${HOST}:key/2222bbbb-2222-bbbb-2222-bbbbbbbbbbbb`;
const ROLE_NAME = "BedrockCMIExecutionRole-prod";
const FACTS: ImportFacts = {
    partition: "aws",
    roleArn: `arn:aws:iam::${HOST}:role/${ROLE_NAME}`,
    hostingAccountId: HOST,
    region: "us-east-1",
    bucket: "model-artifacts-prod-111122223333",
    prefix: "mistral-model-weights/",
    hostingKeyArn: HOST_KEY,
};

/** The same import as the program's parameters, with both keys and the importer known or not. */
function params(importer: "known" | "unknown"): AccessParams {
    return {
        partition: "aws",
        developmentAccountId: "111122223333",
        hostingAccountId: HOST,
        hostingRegion: "us-east-1",
        bucketName: FACTS.bucket,
        modelPrefixes: [FACTS.prefix],
        executionRoleName: ROLE_NAME,
        developmentKeyArn: "arn:aws:kms:us-east-1:111122223333:key/1111aaaa-1111-aaaa-1111-aaaaaaaaaaaa",
        hostingKeyArn: HOST_KEY,
        ...(importer === "known" ? { importerArn: `arn:aws:iam::${HOST}:role/bedrock-cmi-deployer` } : {}),
        allowAssumeFrom: [],
        invokers: [],
    };
}

function actions(s: OwnStatement): string[] {
    return s.Action === undefined ? [] : Array.isArray(s.Action) ? s.Action : [s.Action];
}

function expectListed(text: string, statements: readonly OwnStatement[]): void {
    expect(statements.length).to.be.greaterThan(0);
    for (const s of statements) {
        expect(text, `statement ${s.Sid}`).to.contain(`statement ${s.Sid}:`);
        for (const action of actions(s)) expect(text, `${action} of ${s.Sid}`).to.contain(action);
    }
}

describe("failure checklists generated from the grants", () => {
    it("every grant of a checklist appears in it, under its grantee and access", () => {
        const texts = {
            importJob: importJobChecklist(FACTS).join("\n"),
            createImportJob: createImportJobChecklist(FACTS).join("\n"),
        };
        for (const checklist of ["importJob", "createImportJob"] as const) {
            expect(grantsOf(checklist).length).to.be.greaterThan(0);
            for (const grant of grantsOf(checklist))
                expect(texts[checklist], grant.id).to.contain(`  - ${grant.grantee} ${grant.access}:`);
        }
        // Every grant is declared with its checklists (none is a valid answer), and the ids are unique.
        expect(new Set(GRANTS.map((g) => g.id)).size).to.equal(GRANTS.length);
    });

    it("a failed import job lists every statement the execution role, Bedrock and the importer's key use depend on", () => {
        const text = importJobChecklist(FACTS).join("\n");
        const p = params("known");
        const root = new Set<string>([
            SIDS.developmentKeyPolicy.rootAdministration,
            SIDS.hostingKeyPolicy.rootAdministration,
        ]);
        expectListed(text, [
            ...bucketPolicy(p).Statement.filter((s) => s.Effect === "Allow"),
            ...trustPolicy(p).Statement,
            ...executionPolicy(p).Statement,
            ...developmentKeyPolicy(p).Statement.filter((s) => !root.has(s.Sid)),
            ...hostingKeyPolicy(p).Statement.filter((s) => !root.has(s.Sid)),
        ]);
        // The research team's key is granted, not written: the grant's operations are named too.
        expect(text).to.contain("KMS grant to").and.to.contain("Decrypt, DescribeKey");
    });

    it("without a hosting key the import-job checklist names no key policy of it", () => {
        const { hostingKeyArn: _none, ...noKey } = FACTS;
        const text = importJobChecklist(noKey).join("\n");
        expect(text)
            .not.to.contain(SIDS.hostingKeyPolicy.executionRoleUse)
            .and.not.to.contain(SIDS.executionPolicy.useHostingKey);
        expect(text).to.contain(SIDS.bucketPolicy.list);
    });

    it(
        "a refused CreateModelImportJob lists every statement of the importer's policy that the call is authorized " +
            "with",
        () => {
            // CreateModelImportJob is authorized on bedrock:CreateModelImportJob, iam:PassRole for the execution role
            // (https://docs.aws.amazon.com/bedrock/latest/userguide/security-iam-sr.html) and the hosting key's KMS
            // actions.
            const authorizes = (a: string) =>
                a === "bedrock:CreateModelImportJob" || a === "iam:PassRole" || a.startsWith("kms:");
            const needed = importerIdentityPolicy(params("unknown")).Statement.filter((s) =>
                actions(s).some(authorizes),
            );
            expectListed(createImportJobChecklist(FACTS).join("\n"), needed);
        },
    );

    it("the probe's fix texts name each statement of the grant they point at, in each document", () => {
        const p = params("known");
        const labels = { bucketPolicy: "bucket policy", executionPolicy: "execution policy" };
        const list = grantSidsText(grantById("executionRoleListsBucket"), p, labels);
        expect(list).to.equal(
            `the bucket policy statement ${SIDS.bucketPolicy.list} and the execution policy statement ` +
                `${SIDS.executionPolicy.listBucket}`,
        );
        const read = grantSidsText(grantById("executionRoleReadsModels"), p, labels);
        for (const s of [...bucketPolicy(p).Statement, ...executionPolicy(p).Statement].filter((s) =>
            actions(s).includes("s3:GetObject"),
        ))
            expect(read).to.contain(s.Sid);
    });
});
