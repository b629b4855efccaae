#!/usr/bin/env bash
# npm run build:engine: builds the Pulumi CLI from the Go module proxy at exactly the version of @pulumi/pulumi in
# package-lock.json, for the engine suite (npm run test:engine). Users who have the Pulumi CLI need none of this.
#
# - `go install github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@vX` refuses (pkg/go.mod has replace directives), so the
#   build goes through a wrapper module that copies pkg's one non-local replace.
# - The version is stamped the way pulumi's goreleaser config does, so `pulumi version` prints it.
# - pulumi-resource-pulumi-nodejs (the dynamic-provider host, a script shipped in @pulumi/pulumi) is linked next to the
#   binary, where the engine looks for plugins.
# - The Node.js language host (module github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3) is tried;
#   the module proxy reachable here refuses it, and then the suite attaches Pulumi's own Node.js language runtime
#   (the one the Automation API uses for inline programs) with the CLI's --client flag instead.
# Skips everything when .engine/bin already holds that version.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
version="v$(node -p 'require("./package-lock.json").packages["node_modules/@pulumi/pulumi"].version')"
bin="$root/.engine/bin"
work="$root/.engine/build"
mkdir -p "$bin" "$work"
ln -sf "$root/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs" "$bin/pulumi-resource-pulumi-nodejs"

if [ -x "$bin/pulumi" ] && [ "$("$bin/pulumi" version 2>/dev/null)" = "$version" ]; then
    echo "build:engine: $bin/pulumi is $version already; nothing to build."
    exit 0
fi

started=$(date +%s)
ldflags="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version"
cd "$work"
rm -f go.mod go.sum
go mod init local/engine >/dev/null 2>&1
go mod edit -replace=github.com/atotto/clipboard=github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e
echo "build:engine: resolving github.com/pulumi/pulumi/pkg/v3@$version from the Go module proxy"
{ go get -tool "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@$version" && go get "github.com/pulumi/pulumi/sdk/v3@$version"; } >get.log 2>&1 ||
    { cat get.log; exit 1; }
echo "build:engine: compiling pulumi $version (several minutes on 2 cores the first time)"
CGO_ENABLED=0 go build -trimpath -tags osusergo,grpcnotrace -ldflags "$ldflags" -o "$bin/pulumi.new" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
mv "$bin/pulumi.new" "$bin/pulumi"

language=github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3
if out=$(go list -m -versions "$language" 2>&1); then
    echo "build:engine: the proxy serves $language: $out"
else
    echo "build:engine: not built: pulumi-language-nodejs; the Go module proxy answers for $language:"
    echo "$out" | sed 's/^/    /'
    echo "build:engine: the engine suite attaches @pulumi/pulumi's Node.js language runtime with --client instead."
fi
echo "build:engine: $("$bin/pulumi" version) in $bin, built in $(($(date +%s) - started)) s"
