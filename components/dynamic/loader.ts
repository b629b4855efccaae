// What both dynamic resources hand the engine as their provider: a small loader, not the provider itself.
//
// Pulumi stores the serialized provider (`__provider`) with every dynamic resource, and its dynamic-provider host
// (`@pulumi/pulumi/cmd/dynamic-provider`, v3.248) loads it from the request at every check, diff, create, read,
// update and delete. Two facts of that host decide the design:
// - A create or update that fails after something billable exists throws an error with `id` and `properties`; the
//   engine then stores exactly those `properties` as the resource's outputs, and `refresh` and `destroy` load the
//   provider from them. Without `__provider` there, both fail ("code must be a string, not undefined") and the
//   imported model stays, billed.
// - That failure travels in a gRPC trailer, which Node's HTTP/2 header-block limit (64 KiB) bounds. The provider
//   serialized by value is about 120 KB: in the failure it makes the host never answer.
// A loader of under 4 KB fits everywhere. The host runs in the program's folder, so the loader finds the provider
// module by walking up from the working directory, and loads it as the program does (ts-node for a `.ts` checkout). One
// consequence, wanted: refresh and destroy run the checkout's provider code, not a copy frozen in state, so a fix
// reaches resources that already exist, and an edit to the provider's code needs no update. The `providerVersion` input
// is the version of this loader (version.ts): a stack whose state holds an older loader, or the provider serialized by
// value, is updated in place once. The host calls `configure` with the stack config once per process; the loader hands
// it to every provider it loads, which reads and deletes with the config's current credentials
// (../config/currentAccount.ts).

import type * as dynamic from "@pulumi/pulumi/dynamic";

/** The provider module the loader loads: a path from the program's root, without extension, and its factory. */
export interface ProviderModule {
    /** For example `components/dynamic/importedModel/provider`. */
    entry: string;
    /**
     * Exported function that builds the provider with real clients and time, for example `createImportedModelProvider`.
     */
    factory: string;
}

/** Over this size a `__provider` is not copied into a failure's properties (it would not fit the gRPC trailer). */
export const MAX_LOADER_BYTES = 8 * 1024;

/**
 * The provider object a dynamic resource registers. Its methods are tiny: each loads the real provider from the
 * checkout and calls it. Create and update copy `__provider` (this loader, as serialized) into an initialization
 * failure's properties, so the engine can refresh and destroy what that failure keeps in state.
 */
export function providerLoader(target: ProviderModule): dynamic.ResourceProvider {
    // Everything below runs in the host after serialization: only `target` (two strings) is captured, and Node's
    // built-in modules are required inside, as the closure serializer needs.
    // The stack config the host passes to `configure` once, before any other method; every provider loaded gets it.
    // An object, not a `let`: the serialized functions share one copy of it.
    const configured: { req?: dynamic.ConfigureRequest } = {};
    const find = (): dynamic.ResourceProvider => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const path: typeof import("path") = require("path");
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const fs: typeof import("fs") = require("fs");
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const nodeModule: typeof import("module") = require("module");
        for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
            const file = [".js", ".ts"].map((ext) => path.join(dir, target.entry + ext)).find((f) => fs.existsSync(f));
            if (file) {
                const requireHere = nodeModule.createRequire(file);
                if (file.endsWith(".ts") && !requireHere.extensions[".ts"]) {
                    // The program itself runs under ts-node (Pulumi.yaml: typescript: true); the host does not.
                    requireHere("ts-node").register({ transpileOnly: true, compilerOptions: { module: "commonjs" } });
                }
                const factory = (requireHere(file) as Record<string, unknown>)[target.factory];
                if (typeof factory !== "function") {
                    throw new Error(
                        `${file} does not export ${target.factory}: the checkout does not match the stack's state; run "npm ci" in the program's folder.`,
                    );
                }
                return factory() as dynamic.ResourceProvider;
            }
            if (path.dirname(dir) === dir) {
                throw new Error(
                    `cannot find the provider module ${target.entry}(.ts|.js) in ${process.cwd()} or any folder above it. ` +
                        `Run pulumi from this program's checkout (the folder with Pulumi.yaml), after "npm ci".`,
                );
            }
        }
    };
    const load = async (): Promise<dynamic.ResourceProvider> => {
        const provider = find();
        if (configured.req && provider.configure) await provider.configure(configured.req);
        return provider;
    };
    // A failure that keeps the resource in state must carry the loader, or refresh and destroy cannot load a provider.
    const keepLoader = (err: unknown, props: Record<string, unknown>): unknown => {
        const failure = err as { id?: unknown; properties?: Record<string, unknown> } | null;
        const loader = props["__provider"];
        if (
            failure &&
            typeof failure.id === "string" &&
            typeof loader === "string" &&
            loader.length <= MAX_LOADER_BYTES
        ) {
            failure.properties = { ...(failure.properties ?? {}), __provider: loader };
        }
        return err;
    };
    /* eslint-disable @typescript-eslint/no-explicit-any -- the host passes plain objects; the loaded provider types them */
    return {
        configure: async (req: dynamic.ConfigureRequest) => {
            configured.req = req;
        },
        check: async (olds: any, news: any) => (await load()).check!(olds, news),
        diff: async (id: string, olds: any, news: any) => (await load()).diff!(id, olds, news),
        create: async (inputs: any) => {
            try {
                return await (await load()).create(inputs);
            } catch (err) {
                throw keepLoader(err, inputs);
            }
        },
        read: async (id: string, props: any) => (await load()).read!(id, props),
        update: async (id: string, olds: any, news: any) => {
            try {
                return await (
                    await load()
                ).update!(id, olds, news);
            } catch (err) {
                throw keepLoader(err, news);
            }
        },
        delete: async (id: string, props: any) => (await load()).delete!(id, props),
    };
    /* eslint-enable @typescript-eslint/no-explicit-any */
}
