#!/usr/bin/env bash
# Runs every test of WebConsole: unit and integration tests (tests/), then the browser
# end-to-end tests (e2e/, Playwright driving Debian's Chromium). Installs what the tests need and the machine lacks.
set -euo pipefail
cd "$(dirname "$0")"

need=()
command -v gcc >/dev/null 2>&1 || need+=(gcc libc6-dev)
command -v make >/dev/null 2>&1 || need+=(make) # examples/c-producer's Makefile
# JPEG through libjpeg-turbo's TurboJPEG API; Chromium for the end-to-end tests.
ldconfig -p 2>/dev/null | grep -q 'libturbojpeg\.so\.0' || need+=(libturbojpeg0)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v npm >/dev/null 2>&1 || need+=(npm)
# xwd consoles: a real Xvfb with X clients (xsetroot, xrandr, xlogo, xwd, xwininfo, xterm) and XTEST input through libX11/libXtst.
command -v Xvfb >/dev/null 2>&1 || need+=(xvfb)
[ -d /usr/share/fonts/X11/misc ] || need+=(xfonts-base)  # xterm and xlogo need the core "fixed" font
command -v xwd >/dev/null 2>&1 && command -v xlogo >/dev/null 2>&1 || need+=(x11-apps)
command -v xsetroot >/dev/null 2>&1 || need+=(x11-xserver-utils)
command -v xwininfo >/dev/null 2>&1 || need+=(x11-utils)
command -v xterm >/dev/null 2>&1 || need+=(xterm)
# The clipboard's other X client: copies into and pastes from the X selections (tests/Sources/X11ClipboardTests, e2e/XvfbClipboardTests).
command -v xclip >/dev/null 2>&1 || need+=(xclip)
ldconfig -p 2>/dev/null | grep -q 'libXtst\.so\.6' || need+=(libxtst6)
ldconfig -p 2>/dev/null | grep -q 'libX11\.so\.6' || need+=(libx11-6)
# x11 consoles (and X damage for xwd ones): XCB with DAMAGE, XFixes and MIT-SHM; TigerVNC's Xvnc as a second X server kind.
for lib in damage:libxcb-damage0 xfixes:libxcb-xfixes0 shm:libxcb-shm0; do
  ldconfig -p 2>/dev/null | grep -q "libxcb-${lib%%:*}\.so\.0" || need+=("${lib#*:}")
done
command -v Xvnc >/dev/null 2>&1 || need+=(tigervnc-standalone-server)
# qemu consoles: a real guest (testing/qemu/build-guest.sh: Debian's kernel and a busybox initramfs) under the system QEMU 7.2.
command -v qemu-system-x86_64 >/dev/null 2>&1 || need+=(qemu-system-x86)
file -b /bin/busybox 2>/dev/null | grep -q 'statically linked' || need+=(busybox-static)
ls /boot/vmlinuz-* >/dev/null 2>&1 && ls -d /lib/modules/*/kernel >/dev/null 2>&1 || need+=(linux-image-amd64)
command -v cpio >/dev/null 2>&1 || need+=(cpio)
command -v modinfo >/dev/null 2>&1 && command -v depmod >/dev/null 2>&1 || need+=(kmod)
command -v file >/dev/null 2>&1 || need+=(file)
# docker-compose.yml is checked against the Compose schema (no Docker engine needed).
command -v docker-compose >/dev/null 2>&1 || need+=(docker-compose)
# The Debian package (tests/Packaging): lintian on it, systemd-analyze on its unit, adduser for its postinst.
command -v lintian >/dev/null 2>&1 || need+=(lintian)
command -v systemd-analyze >/dev/null 2>&1 || need+=(systemd)
command -v adduser >/dev/null 2>&1 || need+=(adduser)
command -v strip >/dev/null 2>&1 || need+=(binutils)
# TLS and proxy tests (e2e/TlsTests, e2e/ProxyTests): openssl makes the certificate, Debian's nginx proxies.
command -v openssl >/dev/null 2>&1 || need+=(openssl)
[ -x /usr/sbin/nginx ] || need+=(nginx-light)
# qemu source tests (tests/Sources/Qemu): a private bus for the dbus= route.
command -v dbus-daemon >/dev/null 2>&1 || need+=(dbus-daemon)
# libvirt consoles (tests/Consoles/Libvirt, e2e/LibvirtConsoleTests): libvirtd with its QEMU driver,
# virsh, and libvirt0 (libvirt.so.0, the server's P/Invoke surface); testing/LibvirtHost.cs starts
# virtlogd and libvirtd (no systemd here) and cleans up the wctest-* domains it defines.
[ -x /usr/sbin/libvirtd ] || need+=(libvirt-daemon-system)
ls /usr/lib/*/libvirt/connection-driver/libvirt_driver_qemu.so >/dev/null 2>&1 || need+=(libvirt-daemon-driver-qemu)
command -v virsh >/dev/null 2>&1 || need+=(libvirt-clients)
if ((${#need[@]})); then
  echo "test.sh: installing ${need[*]}" >&2
  if [ "$(id -u)" -eq 0 ]; then SUDO=(); else SUDO=(sudo); fi
  "${SUDO[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -q --no-install-recommends "${need[@]}"
fi

# Playwright drives Debian's Chromium; it must never try to download a browser.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
# docker-compose.yml against the Compose schema, and every file the Dockerfiles copy.
docker/check.sh
# The qemu tests' guest, and QEMU 10 from backports unpacked beside the system's 7.2 (both idempotent).
testing/qemu/build-guest.sh >/dev/null
testing/qemu/install-qemu10.sh >/dev/null
dotnet build WebConsole.sln -c Release -warnaserror -nologo -v q
# One after the other: the browser tests measure timing and memory on a 2-core machine.
dotnet test tests/WebConsole.Tests.csproj -c Release --no-build -nologo --logger "console;verbosity=minimal" "$@"
dotnet test e2e/WebConsole.E2E.csproj -c Release --no-build -nologo --logger "console;verbosity=minimal" "$@"
