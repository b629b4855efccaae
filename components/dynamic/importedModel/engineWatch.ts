// A provider host whose engine is gone stops. Pulumi's Node dynamic-provider host (@pulumi/pulumi/cmd/dynamic-provider,
// v3.248) outlives a CLI killed with SIGKILL: the CLI starts it in a process group of its own, so a kill sent to the
// CLI's group misses it; it runs under a shell script (pulumi-resource-pulumi-nodejs), so its parent, the shell, stays
// the same; and its gRPC server keeps it alive. Without a check it polls Bedrock until the import's deadline, hours
// later, for nobody (measured with the engine suite: tests/engine/suite.engine.ts, "up killed …").
//
// The host's one argument is the engine's address, where the engine listens for as long as it runs. When a connection
// there is refused (nothing listens anymore), or this process's parent changed (it died), the engine is gone: the host
// says so and exits. The job keeps running in Bedrock; the next `up` adopts it, as after any interrupted run.

import * as net from "net";

/** How often the host asks whether the engine is still there, at most: one local connection per interval. */
const PROBE_INTERVAL_MS = 5_000;
/** A probe that neither connects nor is refused within this time counts as "engine still there". */
const PROBE_TIMEOUT_MS = 2_000;

/**
 * The engine's address when this process is Pulumi's Node dynamic-provider host (`node …/cmd/dynamic-provider
 * <address>`).
 */
export function hostEngineAddress(argv: readonly string[] = process.argv): string | undefined {
    const script = argv[1] ?? "";
    if (!/[\\/]@pulumi[\\/]pulumi[\\/]cmd[\\/]dynamic-provider([\\/]index(\.js)?)?$/.test(script)) return undefined;
    const address = argv[2];
    return address !== undefined && /^(\[[0-9a-fA-F:]+\]|[\w.-]+):\d+$/.test(address) ? address : undefined;
}

/**
 * Whether nothing listens at `address` anymore: only a refused connection says so; a timeout or a connection does not.
 */
export function nothingListens(address: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<boolean> {
    const colon = address.lastIndexOf(":");
    const host = address.slice(0, colon).replace(/^\[(.*)\]$/, "$1");
    const port = Number(address.slice(colon + 1));
    return new Promise((resolve) => {
        const socket = net.connect({ host, port });
        const done = (gone: boolean) => {
            socket.destroy();
            resolve(gone);
        };
        socket.setTimeout(timeoutMs, () => done(false));
        socket.once("connect", () => done(false));
        socket.once("error", (err: NodeJS.ErrnoException) => done(err.code === "ECONNREFUSED"));
    });
}

export interface EngineWatchOptions {
    address: string;
    /** The parent's pid now (process.ppid), and when the watch began. */
    ppid: () => number;
    now: () => number;
    /** What to do once the engine is gone (the host: say so, exit). */
    onGone: (reason: string) => void;
    probe?: (address: string) => Promise<boolean>;
    intervalMs?: number;
}

export interface EngineWatch {
    /** Asks (at most once per interval) whether the engine is still there; calls onGone once when it is not. */
    check(): Promise<void>;
}

export function engineWatch(opts: EngineWatchOptions): EngineWatch {
    const { address, ppid, now, onGone, probe = nothingListens, intervalMs = PROBE_INTERVAL_MS } = opts;
    const parent = ppid();
    let lastProbe = -Infinity;
    let gone = false;
    return {
        async check() {
            if (gone) return;
            let reason: string | undefined;
            if (ppid() !== parent) {
                reason = `its parent process ${parent} exited`;
            } else if (now() - lastProbe >= intervalMs) {
                lastProbe = now();
                if (await probe(address)) reason = `nothing listens at the engine's address ${address} anymore`;
            }
            if (reason === undefined) return;
            gone = true;
            onGone(reason);
        },
    };
}

function exitHost(reason: string): never {
    try {
        console.error(
            `bedrock-cmi: the Pulumi CLI that started this provider host is gone (${reason}): stopping. ` +
                `A running import job keeps running in Bedrock; run "pulumi cancel" if the stack is locked, then ` +
                `"pulumi up" again to adopt it.`,
        );
    } catch {
        // Nobody reads stderr anymore.
    }
    process.exit(1);
}

const address = hostEngineAddress();

/** Set only in the dynamic-provider host: every wait of the providers ends with its check (timing.ts sleepBounded). */
export const HOST_ENGINE: EngineWatch | undefined = address
    ? engineWatch({ address, ppid: () => process.ppid, now: () => Date.now(), onGone: exitHost })
    : undefined;

// Between the engine's calls the host idles with its gRPC server open, and a CLI killed then would leave it running
// for good. The same check on a timer that does not keep the process alive (unref) stops an idle host too.
if (HOST_ENGINE) setInterval(() => void HOST_ENGINE?.check(), PROBE_INTERVAL_MS).unref();
