using System.Runtime.InteropServices;

namespace WebConsole.Testing;

/// <summary>
/// A System V shared memory segment (IPC_PRIVATE) the test process creates and writes, as a
/// hostile or broken producer would; removed on dispose. Also removes segments a killed Xvfb left.
/// </summary>
internal sealed unsafe partial class SysVSegment : IDisposable
{
    private const int IpcCreat = 0x200;
    private const int IpcRmid = 0;

    private readonly nint _address;

    public SysVSegment(int size)
    {
        Id = ShmGet(0, (nuint)size, IpcCreat | 0x180); // 0600
        Assert.True(Id >= 0, $"shmget failed: {Marshal.GetLastPInvokeError()}");
        _address = ShmAt(Id, 0, 0);
        Assert.NotEqual(-1, _address);
        Size = size;
    }

    public int Id { get; }

    public int Size { get; }

    public Span<byte> Bytes => new((void*)_address, Size);

    /// <summary>Marks a segment for removal (freed at its last detach); errors are ignored.</summary>
    public static void Remove(int id) => _ = ShmCtl(id, IpcRmid, 0);

    public void Dispose()
    {
        _ = ShmDt(_address);
        Remove(Id);
    }

    [LibraryImport("libc", EntryPoint = "shmget", SetLastError = true)]
    private static partial int ShmGet(int key, nuint size, int flags);

    [LibraryImport("libc", EntryPoint = "shmat", SetLastError = true)]
    private static partial nint ShmAt(int shmid, nint address, int flags);

    [LibraryImport("libc", EntryPoint = "shmdt")]
    private static partial int ShmDt(nint address);

    [LibraryImport("libc", EntryPoint = "shmctl")]
    private static partial int ShmCtl(int shmid, int command, nint buffer);
}
