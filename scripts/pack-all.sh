#!/usr/bin/env bash
# Packs every package of the suite (plugins/*) with `yarn pack`, as publishing
# would, into a temporary directory, and checks each archive: it holds dist/,
# and its package.json (rewritten by `backstage-cli package prepack`) points
# main, module, types and exports at files under dist/ that are in the archive.
# Also checks the publishing metadata (`backstage-cli repo fix --publish
# --check`) and that packing left every package.json as it was.
#
# Needs the built packages: run `yarn tsc && yarn build:all` first (CI does).
# Usage: scripts/pack-all.sh [output-dir]   (default: a temp dir, removed after)
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)

if [ $# -ge 1 ]; then
  OUT=$(mkdir -p "$1" && cd "$1" && pwd)
else
  OUT=$(mktemp -d "${TMPDIR:-/tmp}/freeboard-pack.XXXXXX")
  trap 'rm -rf "$OUT"' EXIT
  KEPT=" (a temp dir, removed on exit; pass a directory to keep the archives)"
fi

FAILED=()
fail() {
  echo "pack-all: FAIL: $*" >&2
  FAILED+=("$*")
}

echo "pack-all: checking publishing metadata (backstage-cli repo fix --publish --check)"
if ! yarn backstage-cli repo fix --publish --check; then
  fail "publishing metadata is out of sync; run 'yarn fix --publish'"
fi

count=0
for pkgjson in "$ROOT"/plugins/*/package.json; do
  dir=$(dirname "$pkgjson")
  rel=${dir#"$ROOT"/}
  name=$(node -p 'const p = require(process.argv[1]); p.private ? "" : p.name' "$pkgjson")
  if [ -z "$name" ]; then
    echo "pack-all: skipping private package in $rel"
    continue
  fi
  count=$((count + 1))
  echo
  echo "pack-all: ${name} (${rel})"
  if [ ! -d "$dir/dist" ]; then
    fail "${name}: ${rel}/dist is missing; run 'yarn tsc && yarn build:all' first"
    continue
  fi

  before=$(sha256sum "$pkgjson" | cut -d' ' -f1)
  tarball="$OUT/$(echo "$name" | sed -e 's/^@//' -e 's#/#-#').tgz"
  log="$OUT/$(basename "$tarball" .tgz).log"
  if ! (cd "$dir" && yarn pack --out "$tarball") > "$log" 2>&1; then
    cat "$log" >&2
    # Yarn keeps the lifecycle script's output in a file it names in its log.
    for f in $(grep -oE '/[^ ]+/(prepack|postpack)\.log' "$log" || true); do
      [ -f "$f" ] && cat "$f" >&2
    done
    fail "${name}: yarn pack failed"
    continue
  fi
  if [ "$(sha256sum "$pkgjson" | cut -d' ' -f1)" != "$before" ]; then
    fail "${name}: packing changed ${rel}/package.json (postpack did not restore it)"
  fi
  if [ -e "$dir/package.json-prepack" ]; then
    fail "${name}: ${rel}/package.json-prepack was left behind"
  fi
  if [ ! -s "$tarball" ]; then
    fail "${name}: no archive at $tarball"
    continue
  fi

  # Lists the archive and checks its package.json; prints one line per problem.
  report=$(tar -tzf "$tarball" | node -e '
    const { execFileSync } = require("node:child_process");
    const tarball = process.argv[1];
    const files = new Set(require("node:fs").readFileSync(0, "utf8").split("\n")
      .filter(Boolean).map(f => f.replace(/^package\//, "")));
    const problems = [];
    if (![...files].some(f => f.startsWith("dist/"))) problems.push("no dist/ in the archive");
    if (!files.has("package.json")) problems.push("no package.json in the archive");
    let pkg = {};
    try {
      pkg = JSON.parse(execFileSync("tar", ["-xOzf", tarball, "package/package.json"], { encoding: "utf8" }));
    } catch (e) {
      problems.push(`unreadable package.json: ${e.message}`);
    }
    const norm = p => p.replace(/^\.\//, "");
    const check = (field, target) => {
      if (typeof target !== "string") return;
      const t = norm(target);
      if (!t.startsWith("dist/") && t !== "package.json") problems.push(`${field} is ${target}, not under dist/`);
      else if (!files.has(t)) problems.push(`${field} is ${target}, which is not in the archive`);
    };
    if (typeof pkg.main !== "string") problems.push("package.json has no main");
    check("main", pkg.main);
    check("module", pkg.module);
    check("types", pkg.types);
    const walk = (field, v) => {
      if (typeof v === "string") check(field, v);
      else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) {
        // "backstage" holds the feature type (e.g. @backstage/BackendFeature), not a path.
        if (k !== "backstage") walk(`${field}[${k}]`, x);
      }
    };
    walk("exports", pkg.exports);
    for (const p of problems) console.log(`PROBLEM ${p}`);
    console.log(`INFO main=${pkg.main} types=${pkg.types}, ${files.size} files`);
  ' "$tarball")
  info=$(sed -n 's/^INFO //p' <<< "$report")
  problems=$(sed -n 's/^PROBLEM //p' <<< "$report")
  if [ -n "$problems" ]; then
    while IFS= read -r p; do fail "${name}: $p"; done <<< "$problems"
  else
    echo "  ok: $(basename "$tarball") ($(du -k "$tarball" | cut -f1) KiB): ${info}"
  fi
done

echo
if [ "$count" -eq 0 ]; then
  fail "no packages found under plugins/"
fi
if [ ${#FAILED[@]} -gt 0 ]; then
  echo "pack-all: ${#FAILED[@]} problem(s):" >&2
  printf '  %s\n' "${FAILED[@]}" >&2
  exit 1
fi
echo "pack-all: packed and checked ${count} packages in ${OUT}${KEPT:-}"
