#!/usr/bin/env bash
# Builds webconsole_<version>_amd64.deb from a self-contained publish of the server: the host
# needs no .NET. Layout by Debian convention (docs/deployment.md):
#   /usr/lib/webconsole/            the published server (runtime included)
#   /usr/bin/webconsole             the command (reads /etc/webconsole)
#   /etc/webconsole/appsettings.json   a conffile, kept on upgrade
#   /lib/systemd/system/webconsole.service   the sandboxed service
# Usage: packaging/build-deb.sh [--version V] [--output DIR] [--no-ready-to-run]
#          [--publish-only DIR]   publish into DIR and stop (the start-up benchmark compares two)
#          [--from DIR]           package an earlier --publish-only folder instead of publishing
#          [--compression xz|zstd|gzip]   xz (Debian's default) unless told; zstd packs in 1 s, not 50
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

version=$(sed -n 's|.*<Version>\(.*\)</Version>.*|\1|p' Directory.Build.props | head -n 1)
output=$root/artifacts/deb
r2r=true
compression=xz
publish_only=
from=
while (($#)); do
  case $1 in
    --version) version=$2; shift 2 ;;
    --output) output=$2; shift 2 ;;
    --no-ready-to-run) r2r=false; shift ;;
    --compression) compression=$2; shift 2 ;;
    --publish-only) publish_only=$2; shift 2 ;;
    --from) from=$2; shift 2 ;;
    *) echo "build-deb.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ $version =~ ^[0-9][A-Za-z0-9.+~]*$ ]] || { echo "build-deb.sh: '$version' is not a Debian version" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
publish=${publish_only:-${from:-$work/publish}}

# A self-contained publish into a folder of its own; its intermediate files stay apart from the
# solution's (obj/ and bin/ of a normal build are not touched). ReadyToRun: docs/PERFORMANCE.md
# ("Start-up of the installed server") says what it saves.
[ -n "$from" ] || dotnet publish server/WebConsole.Server.csproj -c Release -r linux-x64 --self-contained \
  -p:PublishReadyToRun=$r2r -p:DebugType=none -p:GenerateDocumentationFile=false \
  --artifacts-path "$work/artifacts" -o "$publish" -nologo -v q >&2
# The LTTng trace provider links liblttng-ust, which Debian hosts rarely have; the runtime runs without it.
[ -x "$publish/WebConsole.Server" ] || { echo "build-deb.sh: no server in $publish" >&2; exit 1; }
rm -f "$publish/libcoreclrtraceptprovider.so" "$publish/appsettings.Development.json"
[ -z "$publish_only" ] || exit 0

stage=$work/stage
install -d -m 0755 "$stage/DEBIAN" "$stage/usr/lib" "$stage/usr/bin" "$stage/etc/webconsole" \
  "$stage/lib/systemd/system" "$stage/usr/share/doc/webconsole" "$stage/usr/share/man/man1"
cp -r "$publish" "$stage/usr/lib/webconsole"
# Files 0644, folders 0755, programs 0755: the server's apphost and the runtime's createdump.
find "$stage/usr/lib/webconsole" -type d -exec chmod 0755 {} +
find "$stage/usr/lib/webconsole" -type f -exec chmod 0644 {} +
chmod 0755 "$stage/usr/lib/webconsole/WebConsole.Server" "$stage/usr/lib/webconsole/createdump"
# The runtime's native libraries come unstripped; their symbols are of no use on a host.
find "$stage/usr/lib/webconsole" -name '*.so' -exec strip --strip-unneeded {} +
strip --strip-unneeded "$stage/usr/lib/webconsole/WebConsole.Server" "$stage/usr/lib/webconsole/createdump"

install -m 0755 packaging/webconsole "$stage/usr/bin/webconsole"
install -m 0644 packaging/appsettings.json "$stage/etc/webconsole/appsettings.json"
install -m 0644 packaging/webconsole.service "$stage/lib/systemd/system/webconsole.service"
install -m 0644 packaging/debian/copyright "$stage/usr/share/doc/webconsole/copyright"
install -m 0644 README.md "$stage/usr/share/doc/webconsole/README.md"
install -m 0644 docs/deployment.md "$stage/usr/share/doc/webconsole/deployment.md"
install -d -m 0755 "$stage/usr/share/doc/webconsole/examples"
install -m 0644 packaging/nginx/webconsole.conf "$stage/usr/share/doc/webconsole/examples/nginx-site.conf"
install -m 0644 packaging/nginx/webconsole-hosts.conf "$stage/usr/share/doc/webconsole/examples/nginx-many-hosts.conf"
# A native package (no Debian revision): its changelog is changelog.gz.
sed "s/@VERSION@/$version/" packaging/debian/changelog | gzip -9n > "$stage/usr/share/doc/webconsole/changelog.gz"
install -d "$stage/usr/share/lintian/overrides"
install -m 0644 packaging/debian/lintian-overrides "$stage/usr/share/lintian/overrides/webconsole"
gzip -9n < packaging/webconsole.1 > "$stage/usr/share/man/man1/webconsole.1.gz"
for script in postinst prerm postrm; do
  install -m 0755 "packaging/debian/$script" "$stage/DEBIAN/$script"
done
install -m 0644 packaging/debian/conffiles "$stage/DEBIAN/conffiles"
chmod 0644 "$stage/usr/share/doc/webconsole/changelog.gz" "$stage/usr/share/man/man1/webconsole.1.gz"

size=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@SIZE@/$size/" packaging/debian/control > "$stage/DEBIAN/control"

mkdir -p "$output"
deb=$output/webconsole_${version}_amd64.deb
dpkg-deb --root-owner-group -Z"$compression" --build "$stage" "$deb" >&2
echo "$deb"
