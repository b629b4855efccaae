// The rule that picks the credentials for a resource that already exists: the stack's current config for its account,
// else the ones stored in state.
import { expect } from "chai";
import {
    configuredAccounts,
    currentCredentials,
    type ConfiguredAccounts,
} from "../../components/config/currentAccount";
import type { AccountInputs } from "../../components/awsSdk/types";

const HOSTING = "777788889999";
const DEV = "111122223333";
const ns = (key: string) => `bedrock-cross-account-import:${key}`;

/**
 * A `dynamic.Config` as the host builds it: every stack key namespace-qualified, values as strings (objects as JSON).
 */
function hostConfig(raw: Record<string, unknown>): { get(key: string): string | undefined } {
    const values = Object.fromEntries(
        Object.entries(raw).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
    );
    return { get: (key) => values[key] };
}

interface Stored extends AccountInputs {
    modelName: string;
}
const stored = (overrides: Partial<Stored> = {}): Stored => ({
    accountId: HOSTING,
    region: "us-east-1",
    profile: "old",
    modelName: "m-1",
    ...overrides,
});

describe("configuredAccounts: the account sections of the stack config the host passes to configure", () => {
    it("reads both sections from their JSON strings, with only the account fields", () => {
        const accounts = configuredAccounts(
            hostConfig({
                [ns("modelHosting")]: {
                    accountId: HOSTING,
                    region: "us-west-2",
                    profile: "new",
                    executionRoleName: "R",
                    kms: { enabled: true },
                },
                [ns("modelDevelopment")]: {
                    accountId: DEV,
                    region: "us-east-1",
                    assumeRoleArn: `arn:aws:iam::${DEV}:role/deployer`,
                },
                [ns("models")]: [{ name: "m" }],
                "aws:region": "us-east-1",
            }),
        );
        expect(accounts).to.deep.equal({
            modelHosting: { accountId: HOSTING, region: "us-west-2", profile: "new" },
            modelDevelopment: {
                accountId: DEV,
                region: "us-east-1",
                assumeRoleArn: `arn:aws:iam::${DEV}:role/deployer`,
            },
        });
    });

    it(
        "leaves out a section that is absent, not JSON, not an object, or has no account id; another namespace does " +
            "not count",
        () => {
            expect(configuredAccounts(hostConfig({}))).to.deep.equal({});
            expect(configuredAccounts(hostConfig({ [ns("modelHosting")]: "not json {" }))).to.deep.equal({});
            expect(configuredAccounts(hostConfig({ [ns("modelHosting")]: [HOSTING] }))).to.deep.equal({});
            expect(
                configuredAccounts(hostConfig({ [ns("modelHosting")]: { region: "us-east-1", profile: "new" } })),
            ).to.deep.equal({});
            expect(
                configuredAccounts(
                    hostConfig({ "other-project:modelHosting": { accountId: HOSTING, profile: "new" } }),
                ),
            ).to.deep.equal({});
        },
    );

    it("a host that got no ConfigureRequest (its get throws) yields no accounts, so the stored credentials apply", () => {
        const broken = {
            get(): string {
                throw new TypeError("Cannot read properties of undefined");
            },
        };
        expect(configuredAccounts(broken)).to.deep.equal({});
    });
});

describe("currentCredentials: the config's credentials for the resource's account, else the stored ones", () => {
    const accounts = (
        hosting: Partial<AccountInputs> | undefined,
        development?: Partial<AccountInputs>,
    ): ConfiguredAccounts => ({
        ...(hosting ? { modelHosting: { accountId: HOSTING, region: "us-east-1", ...hosting } } : {}),
        ...(development ? { modelDevelopment: { accountId: DEV, region: "us-east-1", ...development } } : {}),
    });

    it("a renamed profile in the preferred section replaces the stored one; the rest of the state stays", () => {
        expect(currentCredentials(stored(), accounts({ profile: "new" }), "modelHosting")).to.deep.equal(
            stored({ profile: "new" }),
        );
    });

    it("the section is taken whole: a role instead of the profile, or neither (the default chain)", () => {
        const role = `arn:aws:iam::${HOSTING}:role/deployer`;
        expect(currentCredentials(stored(), accounts({ assumeRoleArn: role }), "modelHosting")).to.deep.equal({
            accountId: HOSTING,
            region: "us-east-1",
            modelName: "m-1",
            assumeRoleArn: role,
        });
        const defaultChain = currentCredentials(stored({ assumeRoleArn: role }), accounts({}), "modelHosting");
        expect(defaultChain).to.not.have.property("profile");
        expect(defaultChain).to.not.have.property("assumeRoleArn");
    });

    it("accountId and region stay the stored ones (where the resource lives), even when the config's region moved", () => {
        const picked = currentCredentials(
            stored(),
            accounts({ region: "eu-central-1", profile: "new" }),
            "modelHosting",
        );
        expect(picked.region).to.equal("us-east-1");
        expect(picked.accountId).to.equal(HOSTING);
    });

    it("the account id changed in the config: the stored credentials stay", () => {
        const moved: ConfiguredAccounts = {
            modelHosting: { accountId: "444455556666", region: "us-east-1", profile: "new" },
        };
        expect(currentCredentials(stored(), moved, "modelHosting")).to.deep.equal(stored());
    });

    it("no config reached the provider: the stored credentials stay", () => {
        expect(currentCredentials(stored(), undefined, "modelHosting")).to.deep.equal(stored());
        expect(currentCredentials(stored(), {}, "modelHosting")).to.deep.equal(stored());
    });

    it("the preferred section wins when both name the account; the other one serves when only it does", () => {
        const both: ConfiguredAccounts = {
            modelHosting: { accountId: DEV, region: "us-east-1", profile: "hosting-profile" },
            modelDevelopment: { accountId: DEV, region: "us-east-1", profile: "dev-profile" },
        };
        const bucketSide = stored({ accountId: DEV, profile: "gone" });
        expect(currentCredentials(bucketSide, both, "modelDevelopment").profile).to.equal("dev-profile");
        expect(currentCredentials(bucketSide, both, "modelHosting").profile).to.equal("hosting-profile");
        expect(
            currentCredentials(bucketSide, accounts({ profile: "x" }, { profile: "dev-profile" }), "modelHosting")
                .profile,
        ).to.equal("dev-profile");
    });
});
