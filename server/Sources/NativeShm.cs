using System.Runtime.InteropServices;

namespace WebConsole.Sources;

/// <summary>
/// The System V shared memory calls the X sources need (libc shmget, shmat, shmdt, shmctl;
/// Tmds.LibC has none of them), returning errno instead of throwing: <c>xwd-shm:</c> reads Xvfb's
/// segment, <c>x11:</c> makes its own for MIT-SHM.
/// </summary>
internal static unsafe partial class NativeShm
{
    private const string LibC = "libc";
    private const int IpcRmid = 0;
    private const int IpcStat = 2;
    private const int IpcPrivate = 0;
    private const int IpcCreatOwnerOnly = 0x200 | 0x180; // IPC_CREAT | 0600
    private const int ShmReadOnly = 0x1000; // SHM_RDONLY, 010000
    private const int ShmDest = 0x200;      // SHM_DEST, 01000: removed, freed at the last detach

    // struct shmid_ds as glibc lays it out on 64-bit Linux (x86_64 and the generic layout of
    // aarch64 alike): shm_perm.mode at 20, shm_segsz at 48, shm_cpid at 80, shm_nattch at 88.
    private const int ShmidDsSize = 112;
    private const int ModeOffset = 20;
    private const int SegmentSizeOffset = 48;
    private const int CreatorPidOffset = 80;

    /// <summary>What IPC_STAT says about a segment.</summary>
    public readonly record struct SegmentInfo(long Size, int CreatorPid, bool Removed);

    [LibraryImport(LibC, EntryPoint = "shmget", SetLastError = true)]
    private static partial int ShmGet(int key, nuint size, int flags);

    [LibraryImport(LibC, EntryPoint = "shmat", SetLastError = true)]
    private static partial nint ShmAt(int shmid, nint address, int flags);

    [LibraryImport(LibC, EntryPoint = "shmdt", SetLastError = true)]
    private static partial int ShmDt(nint address);

    [LibraryImport(LibC, EntryPoint = "shmctl", SetLastError = true)]
    private static partial int ShmCtl(int shmid, int command, byte* buffer);

    /// <summary>IPC_STAT; 0 or errno (EINVAL: no such segment, EACCES: not readable).</summary>
    public static int Stat(int shmid, out SegmentInfo info)
    {
        byte* ds = stackalloc byte[ShmidDsSize + 16];
        if (ShmCtl(shmid, IpcStat, ds) != 0)
        {
            info = default;
            return Marshal.GetLastPInvokeError();
        }
        var bytes = new ReadOnlySpan<byte>(ds, ShmidDsSize);
        info = new SegmentInfo(
            (long)MemoryMarshal.Read<ulong>(bytes[SegmentSizeOffset..]),
            MemoryMarshal.Read<int>(bytes[CreatorPidOffset..]),
            (MemoryMarshal.Read<uint>(bytes[ModeOffset..]) & ShmDest) != 0);
        return 0;
    }

    /// <summary>Attaches the segment read-only; 0 or errno.</summary>
    public static int AttachReadOnly(int shmid, out byte* address)
    {
        nint p = ShmAt(shmid, 0, ShmReadOnly);
        if (p == -1)
        {
            address = null;
            return Marshal.GetLastPInvokeError();
        }
        address = (byte*)p;
        return 0;
    }

    /// <summary>
    /// A new private segment of <paramref name="size"/> bytes, readable and writable by this user
    /// only, attached here; 0 or errno. <see cref="Remove"/> it once the peer has attached too.
    /// </summary>
    public static int CreateAttached(long size, out int shmid, out byte* address)
    {
        address = null;
        shmid = ShmGet(IpcPrivate, (nuint)size, IpcCreatOwnerOnly);
        if (shmid < 0)
        {
            return Marshal.GetLastPInvokeError();
        }
        nint p = ShmAt(shmid, 0, 0);
        if (p == -1)
        {
            int error = Marshal.GetLastPInvokeError();
            Remove(shmid);
            return error;
        }
        address = (byte*)p;
        return 0;
    }

    /// <summary>Marks the segment for removal: it is freed when the last process detaches (or exits).</summary>
    public static void Remove(int shmid) => _ = ShmCtl(shmid, IpcRmid, null);

    public static void Detach(ref byte* address)
    {
        if (address != null)
        {
            _ = ShmDt((nint)address);
            address = null;
        }
    }
}
