using System.Runtime.InteropServices;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace WebConsole.Region;

/// <summary>
/// Shared (not private) futex operations on words of a file mapping. The kernel resolves the
/// word to the file page, so producer and consumer meet on it from different processes. A word
/// beyond the end of a shrunken file makes the call fail with EFAULT; it never raises SIGBUS.
/// </summary>
internal static unsafe class Futex
{
    private const int FutexWait = 0;
    private const int FutexWake = 1;

    private static readonly int SysFutex = RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 202,
        Architecture.Arm64 => 98,
        _ => throw new PlatformNotSupportedException("futex syscall number unknown for " + RuntimeInformation.ProcessArchitecture),
    };

    /// <summary>Sleeps while *word == expected, up to timeout. Returns 0, or the errno (ETIMEDOUT, EAGAIN, EINTR, EFAULT).</summary>
    public static int Wait(uint* word, uint expected, TimeSpan timeout)
    {
        long ticks = Math.Max(0, timeout.Ticks);
        timespec ts;
        ts.tv_sec = (time_t)(ticks / TimeSpan.TicksPerSecond);
        ts.tv_nsec = (long_t)(ticks % TimeSpan.TicksPerSecond * 100);
        long rc = (long)(ssize_t)syscall(SysFutex, word, FutexWait, expected, &ts, (void*)null, 0);
        return rc == 0 ? 0 : errno;
    }

    public static void Wake(uint* word) => syscall(SysFutex, word, FutexWake, int.MaxValue, (void*)null, (void*)null, 0);
}
