#!/usr/bin/env bash
# Supply-chain gate (SECURITY.md, "Supply chain"): fails on a NuGet package with a known vulnerability anywhere in
# the dependency graph (transitive included) and on a secret committed to the repository.
#
#  - Vulnerable packages: NuGet's own audit (NU1901–NU1904) over every project of Bastion.sln, asking two audit
#    sources: nuget.org's live vulnerability feed, and the reviewed advisory snapshot in
#    scripts/supply-chain/nuget-advisories.json, served on loopback in NuGet's VulnerabilityInfo format. The snapshot
#    exists because the package registry this project is built against may publish no vulnerability data; when the
#    live feed answers, both count.
#  - Secrets: secretlint (recommended rule preset) over every tracked file; reviewed false positives are listed value
#    by value in scripts/supply-chain/secretlintrc.json, never by path.
#
# Before trusting a clean result, each check is shown to fail on a planted finding (a package with a known advisory,
# a file holding a private key), so a gate that silently stopped looking would fail the run.
#
# Usage: scripts/supply-chain.sh        Port: BASTION_SUPPLY_CHAIN_PORT (default 31730, below the ephemeral range).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
here="$root/scripts/supply-chain"
port=${BASTION_SUPPLY_CHAIN_PORT:-31730}
work=$(mktemp -d)
server_pid=
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

# --- The audit source: NuGet's service index → VulnerabilityInfo/6.7.0 → one page of advisories. -----------------
source_dir="$work/audit-source"
mkdir -p "$source_dir/vulnerability"
base="http://127.0.0.1:$port"
printf '{"version":"3.0.0","resources":[{"@id":"%s/vulnerability/index.json","@type":"VulnerabilityInfo/6.7.0"}]}\n' \
  "$base" > "$source_dir/index.json"
printf '[{"@name":"base","@id":"%s/vulnerability/base.json","@updated":"%s"}]\n' \
  "$base" "$(git log -1 --format=%cI -- "$here/nuget-advisories.json" 2>/dev/null || date -u +%FT%TZ)" \
  > "$source_dir/vulnerability/index.json"
cp "$here/nuget-advisories.json" "$source_dir/vulnerability/base.json"
node -e '
  const http = require("http"), fs = require("fs"), path = require("path");
  const [dir, port] = process.argv.slice(1);
  http.createServer((req, res) => {
    const file = path.join(dir, path.normalize(decodeURIComponent(req.url.split("?")[0])).replace(/^(\.\.[\/\\])+/, ""));
    fs.readFile(file, (err, body) => {
      if (err) { res.writeHead(404); res.end(); return; }
      res.writeHead(200, { "Content-Type": "application/json" }); res.end(body);
    });
  }).listen(Number(port), "127.0.0.1");
' "$source_dir" "$port" &
server_pid=$!
for _ in $(seq 50); do curl -fsS "$base/index.json" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fsS "$base/index.json" >/dev/null || { echo "The advisory source did not start on port $port." >&2; exit 2; }

# Package sources stay those of the machine (the user's NuGet.Config); only the audit sources are added.
config="$work/NuGet.Config"
user_config="${NUGET_CONFIG_FILE:-$HOME/.nuget/NuGet/NuGet.Config}"
{
  echo '<?xml version="1.0" encoding="utf-8"?>'
  echo '<configuration>'
  if [ -f "$user_config" ]; then
    sed -n '/<packageSources>/,/<\/packageSources>/p' "$user_config"
  else
    echo '  <packageSources><add key="nuget.org" value="https://api.nuget.org/v3/index.json" /></packageSources>'
  fi
  echo '  <auditSources>'
  echo '    <clear />'
  echo '    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />'
  echo "    <add key=\"bastion-reviewed-advisories\" value=\"$base/index.json\" allowInsecureConnections=\"true\" />"
  echo '  </auditSources>'
  echo '</configuration>'
} > "$config"

# Restores with NuGet audit over the whole graph; prints the findings and returns 1 when there is any.
audit() {
  local target=$1 log="$work/restore.log"
  dotnet restore "$target" --configfile "$config" --force -p:NuGetAudit=true -p:NuGetAuditMode=all \
    -p:NuGetAuditLevel=low -p:TreatWarningsAsErrors=false -p:WarningsAsErrors= >"$log" 2>&1 || {
    cat "$log" >&2; echo "Restore failed." >&2; return 2; }
  grep -q "NU1905: Audit source 'nuget.org'" "$log" \
    && echo "   (nuget.org's live vulnerability feed is not served here; the reviewed snapshot is the source.)"
  if grep -q "NU1905: Audit source 'bastion-reviewed-advisories'\|NU1900" "$log"; then
    grep "NU1900\|NU1905" "$log" | sort -u >&2; echo "The advisory source could not be read." >&2; return 2
  fi
  if grep -q "NU190[1-4]" "$log"; then grep "NU190[1-4]" "$log" | sed 's/^ *//' | sort -u; return 1; fi
  return 0
}

echo "-- NuGet audit, planted finding (must be found)"
fixture="$work/fixture"
mkdir -p "$fixture"
cat > "$fixture/Fixture.csproj" <<'EOF'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageReference Include="Newtonsoft.Json" Version="12.0.1" /></ItemGroup>
</Project>
EOF
set +e; audit "$fixture/Fixture.csproj" >/dev/null; status=$?; set -e
[ "$status" -eq 1 ] || { echo "The NuGet audit did not report Newtonsoft.Json 12.0.1 (GHSA-5crp-9r3c-p9vr)." >&2; exit 1; }
echo "   found."

echo "-- NuGet audit of Bastion.sln (all projects, transitive packages included)"
set +e; audit Bastion.sln; status=$?; set -e
[ "$status" -eq 0 ] || { echo "Known-vulnerable packages (above): update them, or review and suppress with NuGetAuditSuppress." >&2; exit 1; }
echo "   no known-vulnerable package."

# --- Secrets ------------------------------------------------------------------------------------------------------
lint_dir="$root/tests/fixtures/secretlint"
[ "$lint_dir/node_modules/.package-lock.json" -nt "$lint_dir/package-lock.json" ] \
  || npm ci --prefix "$lint_dir" --no-audit --no-fund >/dev/null 2>&1
secretlint() { "$lint_dir/node_modules/.bin/secretlint" --secretlintrc "$here/secretlintrc.json" --maskSecrets "$@"; }

echo "-- secretlint, planted finding (must be found)"
# Assembled at run time so that the repository itself never holds the planted key.
planted="$work/planted.pem"
{ printf -- '-----BEGIN %s PRIVATE KEY-----\n' RSA; head -c 600 /dev/urandom | base64; printf -- '-----END %s PRIVATE KEY-----\n' RSA; } > "$planted"
if secretlint "$planted" >/dev/null 2>&1; then echo "secretlint did not report a planted private key." >&2; exit 1; fi
echo "   found."

echo "-- secretlint over every tracked file"
git ls-files -z | xargs -0 "$lint_dir/node_modules/.bin/secretlint" --secretlintrc "$here/secretlintrc.json" --maskSecrets \
  || { echo "A secret is committed (above): remove it from history and rotate it; a reviewed false positive goes into scripts/supply-chain/secretlintrc.json." >&2; exit 1; }
echo "   no committed secret."
