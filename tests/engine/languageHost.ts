// The engine suite's language host. The CLI's own Node.js host (pulumi-language-nodejs) cannot be built here: the Go
// module proxy refuses its module (see scripts/engine/build.sh). This runs @pulumi/pulumi's Node.js language runtime,
// the one the Automation API serves inline programs with, on 127.0.0.1, prints its port and runs the program file given
// as the argument when the engine asks. The CLI attaches with `--client=127.0.0.1:<port>`; everything else (state,
// diff, plugin hosting, the dynamic-provider host) is the real engine's.
import * as grpc from "@grpc/grpc-js";
import * as path from "node:path";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { LanguageServer } = require("@pulumi/pulumi/automation/server") as {
    LanguageServer: new (program: () => Promise<Record<string, unknown>>) => grpc.UntypedServiceImplementation;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const langrpc = require("@pulumi/pulumi/proto/language_grpc_pb") as { LanguageRuntimeService: grpc.ServiceDefinition };

const programFile = path.resolve(process.argv[2] ?? "index.ts");
// The program registers its resources when it is loaded, as under `pulumi-language-nodejs`; its exports are the stack
// outputs.
const program = async (): Promise<Record<string, unknown>> => ({
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    ...(require(programFile) as Record<string, unknown>),
});

const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
server.addService(langrpc.LanguageRuntimeService, new LanguageServer(program));
server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) => {
    if (err) {
        console.error(`language host: ${err.message}`);
        process.exit(1);
    }
    process.stdout.write(`${port}\n`);
});
