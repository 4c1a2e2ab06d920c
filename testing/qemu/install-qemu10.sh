#!/usr/bin/env bash
# Unpacks QEMU 10.0 from bookworm-backports into a folder, next to (never instead of) the system's
# QEMU 7.2: the qemu console tests and the benchmark run both, 7.2 for the inline Scanout/Update
# path and 10.0 for ScanoutMap/UpdateMap.
#
#   testing/qemu/install-qemu10.sh [OUT_DIR]     default: .build/qemu10 in the repository
#
# The backports entry is derived from the machine's own apt sources (the URIs, components and
# keyring of the entry for this release; no mirror is named here). apt works in a private folder
# (OUT_DIR/.apt: its own source list, package lists and cache), so the system's apt configuration
# and installed packages are not changed. The packages are unpacked with `dpkg -x`:
#   qemu-system-x86 (the binary), qemu-system-common (its modules), qemu-system-modules-opengl
#   (ui-dbus.so lives there in 10.0), qemu-system-modules-spice (without it QEMU 10 finds the
#   system 7.2's ui-spice-core.so, fails to load it and says so on every start), qemu-system-data
#   (option ROMs, keymaps), seabios (the BIOS it was built with). qemu-system-gui is left out: it holds only the GTK/SDL front ends and audio
#   modules whose libraries bookworm lacks, and QEMU prints an error for each one it cannot load.
# The shared libraries come from the system QEMU 7.2 (qemu-system-x86, installed by ./test.sh);
# the script checks with ldd that the binary and the modules it loads find every one.
#
# Writes OUT_DIR/qemu-system-x86_64, a wrapper that sets QEMU_MODULE_DIR and the -L firmware
# folders, and prints its path. Does nothing when that wrapper already runs QEMU 10.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$repo/.build/qemu10}
wrapper=$out/qemu-system-x86_64
packages=(qemu-system-x86 qemu-system-common qemu-system-data qemu-system-modules-opengl qemu-system-modules-spice seabios)

if [ -x "$wrapper" ] && "$wrapper" --version 2>/dev/null | grep -q '^QEMU emulator version 10\.'; then
  echo "$wrapper"
  exit 0
fi

. /etc/os-release
codename=${VERSION_CODENAME:?no VERSION_CODENAME in /etc/os-release}
suite=$codename-backports

apt_dir=$out/.apt
rm -rf "$apt_dir"
mkdir -p "$apt_dir"/{sources.list.d,preferences.d,lists/partial,cache/archives/partial,debs}

# The machine's entry for this release, with its suite replaced by the backports suite.
sources=$apt_dir/sources.list.d/webconsole-backports.sources
if [ -r /etc/apt/sources.list.d/debian.sources ]; then
  # deb822: the stanza whose Suites name this release; keep Types, URIs, Components, Signed-By.
  awk -v want="$codename" -v suite="$suite" '
    function flush() {
      if (uris != "" && hit) {
        printf "Types: %s\nURIs: %s\nSuites: %s %s\nComponents: %s\n", types, uris, want, suite, comps
        if (signed != "") printf "Signed-By: %s\n", signed
        print ""
        done = 1
      }
      types = "deb"; uris = ""; comps = "main"; signed = ""; hit = 0
    }
    BEGIN { types = "deb"; comps = "main" }
    /^[[:space:]]*$/ { if (!done) flush(); next }
    /^#/ { next }
    /^Types:/ { types = $2 }
    /^URIs:/ { uris = $2 }
    /^Components:/ { $1 = ""; sub(/^ /, ""); comps = $0 }
    /^Signed-By:/ { signed = $2 }
    /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == want) hit = 1 }
    END { if (!done) flush() }
  ' /etc/apt/sources.list.d/debian.sources >"$sources"
fi
if [ ! -s "$sources" ] && [ -r /etc/apt/sources.list ]; then
  # One-line format: "deb [options] URI release components".
  awk -v want="$codename" -v suite="$suite" '
    $1 == "deb" && !done {
      i = 2; opts = ""
      if ($2 ~ /^\[/) { while ($i !~ /\]$/) { opts = opts " " $i; i++ } opts = opts " " $i; i++ }
      if ($(i + 1) == want) {
        comps = ""; for (j = i + 2; j <= NF; j++) comps = comps " " $j
        printf "deb%s %s %s%s\ndeb%s %s %s%s\n", opts, $i, want, comps, opts, $i, suite, comps
        done = 1
      }
    }' /etc/apt/sources.list >"$apt_dir/sources.list.d/webconsole-backports.list"
  rm -f "$sources"
fi
if ! grep -qs "$suite" "$apt_dir"/sources.list.d/*; then
  echo "install-qemu10.sh: no apt entry for $codename in /etc/apt/sources.list.d/debian.sources or /etc/apt/sources.list" >&2
  exit 1
fi

apt_opts=(
  -o "Dir::Etc::SourceList=/dev/null"
  -o "Dir::Etc::SourceParts=$apt_dir/sources.list.d"
  -o "Dir::Etc::Preferences=/dev/null"
  -o "Dir::Etc::PreferencesParts=$apt_dir/preferences.d"
  -o "Dir::State::Lists=$apt_dir/lists"
  -o "Dir::Cache=$apt_dir/cache"
  -o "APT::Sandbox::User=$(id -un)"
)
apt-get "${apt_opts[@]}" update -q >"$apt_dir/update.log" 2>&1 || { cat "$apt_dir/update.log" >&2; exit 1; }
wanted=()
for p in "${packages[@]}"; do wanted+=("$p/$suite"); done
(cd "$apt_dir/debs" && apt-get "${apt_opts[@]}" download -q "${wanted[@]}") >"$apt_dir/download.log" 2>&1 \
  || { cat "$apt_dir/download.log" >&2; exit 1; }

root=$out/root
rm -rf "$root"
mkdir -p "$root"
for deb in "$apt_dir"/debs/*.deb; do
  dpkg -x "$deb" "$root"
done
moddir=$root/usr/lib/x86_64-linux-gnu/qemu
for f in "$root/usr/bin/qemu-system-x86_64" "$moddir"/ui-dbus.so "$moddir"/*spice*.so; do
  missing=$(ldd "$f" | awk '/not found/ { print $1 }')
  if [ -n "$missing" ]; then
    echo "install-qemu10.sh: $(basename "$f") needs libraries this machine lacks: $missing" >&2
    exit 1
  fi
done

cat >"$wrapper" <<WRAP
#!/bin/sh
# QEMU 10 unpacked by testing/qemu/install-qemu10.sh: its own modules and firmware.
export QEMU_MODULE_DIR='$moddir'
exec '$root/usr/bin/qemu-system-x86_64' -L '$root/usr/share/qemu' -L '$root/usr/share/seabios' "\$@"
WRAP
chmod +x "$wrapper"
version=$("$wrapper" --version | head -1)
case $version in
  "QEMU emulator version 10."*) ;;
  *) echo "install-qemu10.sh: unexpected version: $version" >&2; exit 1 ;;
esac
if ! "$wrapper" -display help 2>/dev/null | grep -qx dbus; then
  echo "install-qemu10.sh: $version does not list the dbus display" >&2
  exit 1
fi
rm -rf "$apt_dir/lists" "$apt_dir/cache"
echo "$wrapper"
