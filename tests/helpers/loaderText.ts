// What a dynamic resource hands the engine as its provider must be the loader alone (components/dynamic/loader.ts):
// it names the provider's module and holds no SDK client, no provider code and no Pulumi runtime module.
import { expect } from "chai";
import { MAX_LOADER_BYTES } from "../../components/dynamic/loader";

/**
 * `text`: the serialized provider; `entry`: the provider module it must name; `providerCall`: an AWS call only the
 * provider's own code makes; `loaded`: the provider the text yields when loaded.
 */
export function expectLoaderOnly(text: string, entry: string, providerCall: string, loaded: object): void {
    // The provider is not in state: the loader names its module and requires it from the checkout.
    expect(text).to.contain(JSON.stringify(entry));
    expect(text).to.not.contain("@aws-sdk/");
    expect(text).to.not.contain(providerCall);
    expect(text.length).to.be.at.most(MAX_LOADER_BYTES);
    expect(text).to.not.match(/require\("@pulumi\/pulumi/);
    expect(text).to.not.contain("Set.prototype");
    expect(Object.keys(loaded).sort()).to.deep.equal([
        "check",
        "configure",
        "create",
        "delete",
        "diff",
        "read",
        "update",
    ]);
}
