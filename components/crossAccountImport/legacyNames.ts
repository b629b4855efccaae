// Aliases that carry a stack deployed by an earlier release over to today's logical names in place. Resources were
// named after the component's name, which embedded the stack (`bedrock-cmi-dev-artifacts`); they are now named after
// RESOURCE_BASE (`bedrock-cmi-artifacts`), so `pulumi stack rename` replaces nothing
// (https://www.pulumi.com/docs/iac/concepts/options/aliases/).
import * as pulumi from "@pulumi/pulumi";

/** The name a resource of today had under the earlier base, or undefined for a name outside that scheme. */
export function legacyName(name: string, base: string, legacyBase: string): string | undefined {
    if (name === base) return legacyBase;
    return name.startsWith(`${base}-`) ? `${legacyBase}${name.slice(base.length)}` : undefined;
}

/** A transformation for the component: each child gets an alias naming it as the earlier release did. */
export function legacyNameAliases(base: string, legacyBase: string): pulumi.ResourceTransformation {
    return (args) => {
        const before = legacyName(args.name, base, legacyBase);
        if (before === undefined || before === args.name) return undefined;
        return { props: args.props, opts: pulumi.mergeOptions(args.opts, { aliases: [{ name: before }] }) };
    };
}
