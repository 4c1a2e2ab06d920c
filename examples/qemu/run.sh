#!/usr/bin/env bash
# A real virtual machine in the browser: builds the tiny test guest (Debian's kernel and a busybox
# shell, testing/qemu/build-guest.sh), starts it in QEMU with its screen on the D-Bus display, and
# starts WebConsole with a qemu console for it. Open http://127.0.0.1:5000/console/vm and type.
#
#   examples/qemu/run.sh [--qemu10] [--vga std|virtio] [-- more WebConsole arguments]
#
#   --qemu10    QEMU 10.0 from bookworm-backports, unpacked into .build/qemu10 by
#               testing/qemu/install-qemu10.sh (the screen arrives as a shared memfd: ScanoutMap);
#               default: the system's QEMU (Debian 12: 7.2, pixels inline in each Update)
#   --vga       the guest's graphics card (default std); in the guest, `modprobe bochs` (std) or
#               `modprobe -a virtio_pci virtio_gpu` (virtio) switches from VGA text to a 1280x800 framebuffer
#
# Needs (Debian): qemu-system-x86 busybox-static linux-image-amd64 cpio kmod file, and the .NET 10 SDK.
# Ctrl+C stops WebConsole and the VM.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)

qemu=/usr/bin/qemu-system-x86_64
vga=std
while (($#)); do
  case $1 in
    --qemu10) qemu=; shift ;;
    --vga) vga=${2:?--vga needs std or virtio}; shift 2 ;;
    --) shift; break ;;
    *) echo "usage: $0 [--qemu10] [--vga std|virtio] [-- WebConsole arguments]" >&2; exit 2 ;;
  esac
done

missing=()
command -v qemu-system-x86_64 >/dev/null || missing+=(qemu-system-x86)
file -b /bin/busybox 2>/dev/null | grep -q 'statically linked' || missing+=(busybox-static)
ls /boot/vmlinuz-* >/dev/null 2>&1 || missing+=(linux-image-amd64)
command -v cpio >/dev/null || missing+=(cpio)
command -v modinfo >/dev/null || missing+=(kmod)
if ((${#missing[@]})); then
  echo "run.sh: first: sudo apt-get install --no-install-recommends ${missing[*]}" >&2
  exit 1
fi

guest=$("$repo/testing/qemu/build-guest.sh")
[ -n "$qemu" ] || qemu=$("$repo/testing/qemu/install-qemu10.sh")

# KVM where the CPU has it, else TCG (a shell in about 6-12 s).
accel=tcg
if [ -w /dev/kvm ] && grep -qwE 'vmx|svm' /proc/cpuinfo; then accel=kvm; fi

run=$(mktemp -d "${TMPDIR:-/tmp}/webconsole-qemu-example.XXXXXX")
qmp=$run/qmp.sock
"$qemu" -accel "$accel" -m 256 -nic none -vga "$vga" \
  -display dbus,p2p=yes,gl=off \
  -qmp "unix:$qmp,server=on,wait=off" -monitor none -serial null \
  -kernel "$guest/vmlinuz" -initrd "$guest/initrd.gz" -append "console=tty1 quiet" &
qemu_pid=$!
trap 'kill "$qemu_pid" 2>/dev/null; wait "$qemu_pid" 2>/dev/null; rm -rf "$run"' EXIT
echo "run.sh: $("$qemu" --version | head -1), $accel, -vga $vga; QMP at $qmp" >&2
echo "run.sh: open http://127.0.0.1:5000/console/vm" >&2

dotnet run --project "$repo/server" -c Release -- "--Consoles:vm:Source=qemu:qmp=$qmp" "$@"
