// Which config values are secret, and what carries one (components/config/secretConfig.ts). The engine names whole
// top-level keys; the stack file's secure: leaves narrow a key, and where the file cannot tell, every leaf is secret.

import { expect } from "chai";
import { holdsSecret, secretLeaves } from "../../components/config/secretConfig";

const SECURE = { secure: "v1:c2VjcmV0" };

describe("secret config leaves: narrowing a secret key to its secure: values", () => {
    const models = [{ name: "mistral-01", s3Prefix: "weights/", tags: { team: "hosting", env: "prod" } }];

    it("--secret --path models[0].tags.team: only that leaf", () => {
        const file = [{ name: "mistral-01", s3Prefix: "weights/", tags: { team: SECURE, env: "prod" } }];
        expect(secretLeaves(models, file)).to.deep.equal(["hosting"]);
    });

    it("a secure: object or list leaf: every value under it", () => {
        const file = [{ name: "mistral-01", s3Prefix: SECURE, tags: SECURE }];
        expect(secretLeaves(models, file)).to.deep.equal(["weights/", "hosting", "prod"]);
    });

    it("the whole key set --secret (a secure: value at the top): every leaf", () => {
        expect(secretLeaves(models, SECURE)).to.deep.equal(["mistral-01", "weights/", "hosting", "prod"]);
    });

    it("no stack file, or the key not in it: every leaf", () => {
        expect(secretLeaves(models, undefined)).to.deep.equal(["mistral-01", "weights/", "hosting", "prod"]);
    });

    it(
        "the file shows no secure: leaf under a key the engine calls secret (e.g. from an ESC environment): every " +
            "leaf",
        () => {
            expect(secretLeaves(models, models)).to.deep.equal(["mistral-01", "weights/", "hosting", "prod"]);
        },
    );

    it("a secure: path the program's value does not have (not the file the engine read): every leaf", () => {
        const file = [{ name: "mistral-01" }, { tags: { team: SECURE } }];
        expect(secretLeaves(models, file)).to.deep.equal(["mistral-01", "weights/", "hosting", "prod"]);
    });

    it("numbers and booleans are leaves too (an account id set with --path is a YAML integer)", () => {
        expect(secretLeaves({ accountId: 777788889999, kms: { enabled: true } }, SECURE)).to.deep.equal([
            777788889999,
            true,
        ]);
    });
});

describe("holdsSecret: what carries a secret value", () => {
    const secrets = { leaves: ["deployer-9q", 777788889999, true] as const };

    it("a string that contains a secret string or number", () => {
        expect(holdsSecret("arn:aws:iam::777788889999:role/x", { leaves: [777788889999] })).to.equal(true);
        expect(
            holdsSecret({ Statement: [{ Principal: { AWS: "arn:aws:iam::1:role/deployer-9q" } }] }, secrets),
        ).to.equal(true);
        expect(holdsSecret("arn:aws:iam::111122223333:role/x", secrets)).to.equal(false);
    });

    it("an object key (modelsByName is keyed by model name)", () => {
        expect(holdsSecret({ "deployer-9q": { region: "us-east-1" } }, secrets)).to.equal(true);
    });

    it("a number or boolean equal to a secret one; a secret boolean is not searched for in strings", () => {
        expect(holdsSecret(777788889999, secrets)).to.equal(true);
        expect(holdsSecret({ enabled: true }, secrets)).to.equal(true);
        expect(holdsSecret("true", { leaves: [true] })).to.equal(false);
        expect(holdsSecret(false, secrets)).to.equal(false);
    });

    it("an empty secret string carries nothing; no secrets, nothing holds one", () => {
        expect(holdsSecret("anything", { leaves: [""] })).to.equal(false);
        expect(holdsSecret("anything", { leaves: [] })).to.equal(false);
    });
});
