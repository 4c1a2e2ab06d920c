#!/usr/bin/env bash
# Builds the tiny guest the qemu console tests, the example and the benchmark boot: Debian's
# kernel (linux-image-amd64) and a busybox (busybox-static) initramfs whose /init runs a shell on
# tty1 (and one on ttyS0). The initramfs carries the graphics drivers bochs and virtio_gpu with
# their dependencies, not loaded at boot: the guest starts in VGA text mode (720x400) and switches
# to a framebuffer when a command in it runs `modprobe bochs` (-vga std) or
# `modprobe -a virtio_pci virtio_gpu` (-vga virtio). virtio_pci is not loaded at boot: binding it
# resets virtio-vga, and QEMU's "Display output is not active" placeholder would stay in the text
# screen's unchanged cells.
#
#   testing/qemu/build-guest.sh [OUT_DIR]     default: .build/qemu-guest in the repository
#
# With `wc.agent=1` on the kernel command line the guest also loads virtio_pci and virtio_console
# and runs wc-vdagent (testing/qemu/vdagent/wc-vdagent.c, built here with gcc -static): a small
# clipboard agent on the virtio serial port com.redhat.spice.0 that QEMU's
# `-chardev qemu-vdagent,clipboard=on` talks to, driven by the tests through a second port, wc.test.
#
# Writes OUT_DIR/vmlinuz and OUT_DIR/initrd.gz and prints OUT_DIR. Does nothing when both are newer
# than this script, the agent's source, the kernel and busybox. Needs: qemu-system-x86 (to run it),
# busybox-static, linux-image-amd64, cpio, kmod (modinfo, depmod), gcc and libc6-dev (a static
# libc); ./test.sh installs them.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$repo/.build/qemu-guest}
busybox=/bin/busybox

# The newest installed kernel that has both its image and its modules.
kver=
for dir in $(ls -1d /lib/modules/*/ 2>/dev/null | sort -V); do
  v=$(basename "$dir")
  [ -r "/boot/vmlinuz-$v" ] && kver=$v
done
if [ -z "$kver" ]; then
  echo "build-guest.sh: no kernel with modules in /boot and /lib/modules (apt-get install linux-image-amd64)" >&2
  exit 1
fi
if ! file -b "$busybox" 2>/dev/null | grep -q 'statically linked'; then
  echo "build-guest.sh: $busybox is not a static busybox (apt-get install busybox-static)" >&2
  exit 1
fi
for tool in cpio gzip modinfo depmod gcc; do
  command -v "$tool" >/dev/null || { echo "build-guest.sh: $tool is missing (cpio, kmod, gcc)" >&2; exit 1; }
done
agent_src=$repo/testing/qemu/vdagent/wc-vdagent.c

kernel=/boot/vmlinuz-$kver
if [ -s "$out/vmlinuz" ] && [ -s "$out/initrd.gz" ] && [ "$(cat "$out/kernel-version" 2>/dev/null)" = "$kver" ] \
  && [ "$out/initrd.gz" -nt "$0" ] && [ "$out/initrd.gz" -nt "$busybox" ] && [ "$out/initrd.gz" -nt "$agent_src" ] && [ "$out/vmlinuz" -nt "$kernel" ]; then
  echo "$out"
  exit 0
fi

mkdir -p "$out"
stage=$(mktemp -d "$out/.stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT

mkdir -p "$stage"/{bin,sbin,dev,proc,sys,tmp,root,etc,usr/bin,usr/sbin}
cp "$busybox" "$stage/bin/busybox"
# Every applet as a link, as Debian's busybox --install would make them.
for applet in $("$busybox" --list-full); do
  [ -e "$stage/$applet" ] || ln -s /bin/busybox "$stage/$applet"
done

# The clipboard agent, static: the initramfs has no libc.
gcc -static -O2 -Wall -Wextra -Werror -o "$stage/bin/wc-vdagent" "$agent_src" || {
  echo "build-guest.sh: cannot build wc-vdagent statically (apt-get install gcc libc6-dev)" >&2
  exit 1
}
strip "$stage/bin/wc-vdagent" 2>/dev/null || true

# The graphics drivers, the virtio serial ports the agent uses, and everything they depend on
# (modinfo's "depends", followed to the end).
modules=(bochs virtio_gpu virtio_pci virtio_console)
declare -A seen=()
queue=("${modules[@]}")
while ((${#queue[@]})); do
  m=${queue[0]}
  queue=("${queue[@]:1}")
  [ -n "${seen[$m]:-}" ] && continue
  seen[$m]=1
  path=$(modinfo -k "$kver" -n "$m")
  [ "$path" = "(builtin)" ] && continue
  rel=${path#/lib/modules/$kver/}
  mkdir -p "$stage/lib/modules/$kver/$(dirname "$rel")"
  cp "$path" "$stage/lib/modules/$kver/$rel"
  deps=$(modinfo -k "$kver" -F depends "$m")
  IFS=, read -r -a more <<<"$deps"
  for d in "${more[@]}"; do [ -n "$d" ] && queue+=("$d"); done
done
for f in modules.order modules.builtin modules.builtin.modinfo; do
  [ -r "/lib/modules/$kver/$f" ] && cp "/lib/modules/$kver/$f" "$stage/lib/modules/$kver/"
done
depmod -b "$stage" "$kver"

cat >"$stage/init" <<'INIT'
#!/bin/sh
# PID 1 of the test guest: the kernel file systems, then busybox init (etc/inittab).
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts && mount -t devpts devpts /dev/pts
hostname guest
# Kernel messages stay off the screen the tests read.
echo 1 >/proc/sys/kernel/printk
# The clipboard tests' guest: virtio serial ports and the agent (respawned by init if it dies).
if grep -q 'wc.agent=1' /proc/cmdline; then
  modprobe -a virtio_pci virtio_console
  echo '::respawn:/bin/wc-vdagent' >>/etc/inittab
fi
exec /sbin/init
INIT
chmod +x "$stage/init"

cat >"$stage/etc/inittab" <<'TAB'
# A shell on the VGA console and one on the serial port; both come back when they exit.
tty1::respawn:/bin/cttyhack /bin/sh -l
ttyS0::respawn:/bin/cttyhack /bin/sh -l
::ctrlaltdel:/sbin/reboot
TAB
cat >"$stage/etc/profile" <<'PROFILE'
export PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/root
export PS1='guest# '
cd /root
PROFILE

(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) | gzip -6 >"$out/initrd.gz.new"
cp "$kernel" "$out/vmlinuz.new"
mv "$out/initrd.gz.new" "$out/initrd.gz"
mv "$out/vmlinuz.new" "$out/vmlinuz"
echo "$kver" >"$out/kernel-version"
echo "$out"
