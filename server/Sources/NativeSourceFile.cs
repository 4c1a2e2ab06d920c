using System.Runtime.InteropServices;

using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace WebConsole.Sources;

/// <summary>
/// The libc calls the file-backed sources need, returning errno instead of throwing. Pixels are
/// read with pread, so a file that shrinks or vanishes gives a short read, never SIGBUS.
/// </summary>
internal static unsafe class NativeSourceFile
{
    /// <summary>Which file a path or descriptor names, and how big it is.</summary>
    public readonly record struct Identity(ulong Device, ulong Inode, long Size, bool IsCharDevice);

    /// <summary>A path as the NUL-terminated UTF-8 the calls take; encoded once per source, not per poll.</summary>
    public static byte[] PathBytes(string path) => System.Text.Encoding.UTF8.GetBytes(path + "\0");

    public static int Open(byte[] path, out int fd)
    {
        fixed (byte* p = path)
        {
            fd = open(p, O_RDONLY | O_CLOEXEC, (mode_t)0);
        }
        return fd < 0 ? errno : 0;
    }

    public static void Close(ref int fd)
    {
        if (fd >= 0)
        {
            _ = close(fd);
            fd = -1;
        }
    }

    public static int FStat(int fd, out Identity id)
    {
        stat st;
        int rc = fstat(fd, &st);
        id = rc == 0 ? From(st) : default;
        return rc == 0 ? 0 : errno;
    }

    public static int Stat(byte[] path, out Identity id)
    {
        stat st;
        int rc;
        fixed (byte* p = path)
        {
            rc = stat(p, &st);
        }
        id = rc == 0 ? From(st) : default;
        return rc == 0 ? 0 : errno;
    }

    /// <summary>Reads exactly dest.Length bytes at offset; false on error or end of file.</summary>
    public static bool PRead(int fd, Span<byte> dest, long offset)
    {
        fixed (byte* p = dest)
        {
            int done = 0;
            while (done < dest.Length)
            {
                long n = pread(fd, p + done, (size_t)(ulong)(dest.Length - done), offset + done);
                if (n < 0 && errno == EINTR)
                {
                    continue;
                }
                if (n <= 0)
                {
                    return false;
                }
                done += (int)n;
            }
        }
        return true;
    }

    /// <summary>An ioctl that fills <paramref name="buffer"/>; 0 or errno.</summary>
    public static int IoctlRead(int fd, uint request, Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            return ioctl(fd, (int)request, (void*)p) < 0 ? errno : 0;
        }
    }

    public static int MapReadOnly(int fd, long length, out byte* address)
    {
        void* p = mmap(null, (size_t)(ulong)length, PROT_READ, MAP_SHARED, fd, 0);
        if (p == MAP_FAILED)
        {
            address = null;
            return errno;
        }
        address = (byte*)p;
        return 0;
    }

    public static void Unmap(ref byte* address, long length)
    {
        if (address != null)
        {
            _ = munmap(address, (size_t)(ulong)length);
            address = null;
        }
    }

    public static string Describe(int error) => Marshal.GetPInvokeErrorMessage(error);

    private static Identity From(in stat st) => new(st.st_dev, st.st_ino, st.st_size, (st.st_mode & S_IFMT) == S_IFCHR);
}
