using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace WebConsole.Sources;

/// <summary>
/// An eventfd a thread polls beside its peer's socket, so another thread can end that poll at once
/// (a join or an ack while the capture loop sleeps on a still screen). Level-triggered: a wake
/// that comes before the poll is not lost.
/// </summary>
internal sealed unsafe class WakeFd : IDisposable
{
    private const int EfdNonblock = 0x800; // EFD_NONBLOCK (O_NONBLOCK)
    private const int EfdCloexec = 0x80000; // EFD_CLOEXEC (O_CLOEXEC)
    private readonly Lock _gate = new(); // a Set racing Dispose must not write to a reused number
    private int _fd;

    public WakeFd()
    {
        _fd = eventfd(0, EfdNonblock | EfdCloexec);
    }

    /// <summary>The descriptor to poll for POLLIN; -1 when the kernel gave none (then nothing wakes early).</summary>
    public int Descriptor => Volatile.Read(ref _fd);

    public void Set()
    {
        lock (_gate)
        {
            if (_fd >= 0)
            {
                ulong one = 1;
                _ = write(_fd, &one, sizeof(ulong));
            }
        }
    }

    /// <summary>Takes a pending wake; true when there was one.</summary>
    public bool Take()
    {
        int fd = Descriptor;
        ulong count = 0;
        return fd >= 0 && read(fd, &count, sizeof(ulong)) == sizeof(ulong) && count > 0;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            WebConsole.Region.NativeFile.Close(_fd);
            _fd = -1;
        }
    }
}
