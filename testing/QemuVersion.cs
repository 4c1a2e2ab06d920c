namespace WebConsole.Testing;

/// <summary>Which QEMU a test guest runs on.</summary>
internal enum QemuVersion
{
    /// <summary>The system's QEMU (Debian 12: 7.2): the D-Bus display sends pixels inline (Scanout/Update).</summary>
    System,

    /// <summary>QEMU 10.0 from bookworm-backports, unpacked by testing/qemu/install-qemu10.sh: ScanoutMap/UpdateMap.</summary>
    Backports10,
}
