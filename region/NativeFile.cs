using System.Runtime.InteropServices;
using System.Text;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace WebConsole.Region;

/// <summary>
/// Thin errno-returning wrappers over the libc calls the region and the server's file-backed
/// sources need. Pixels are read with pread, so a file that shrinks or vanishes gives a short
/// read, never SIGBUS.
/// </summary>
internal static unsafe class NativeFile
{
    public readonly record struct FileIdentity(ulong Device, ulong Inode, long Size, ulong Links);

    /// <summary>A path as the NUL-terminated UTF-8 the calls take; a poller encodes it once, not per poll.</summary>
    public static byte[] PathBytes(string path) => Encoding.UTF8.GetBytes(path + "\0");

    public static int Open(string path, bool write, out int fd) => Open(PathBytes(path), write, out fd);

    public static int Open(byte[] path, bool write, out int fd)
    {
        fixed (byte* p = path)
        {
            fd = open(p, (write ? O_RDWR : O_RDONLY) | O_CLOEXEC, (mode_t)0);
        }
        return fd < 0 ? errno : 0;
    }

    public static int Create(string path, out int fd)
    {
        byte[] bytes = PathBytes(path);
        fixed (byte* p = bytes)
        {
            fd = open(p, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, (mode_t)0x1B0); // 0660
        }
        return fd < 0 ? errno : 0;
    }

    public static void Close(int fd)
    {
        if (fd >= 0)
        {
            _ = close(fd);
        }
    }

    public static int FStat(int fd, out FileIdentity id)
    {
        stat st;
        int rc = fstat(fd, &st);
        id = rc == 0 ? new FileIdentity(st.st_dev, st.st_ino, st.st_size, st.st_nlink) : default;
        return rc == 0 ? 0 : errno;
    }

    public static int Stat(string path, out FileIdentity id) => Stat(PathBytes(path), out id);

    public static int Stat(byte[] path, out FileIdentity id)
    {
        stat st;
        int rc;
        fixed (byte* p = path)
        {
            rc = stat(p, &st);
        }
        id = rc == 0 ? new FileIdentity(st.st_dev, st.st_ino, st.st_size, st.st_nlink) : default;
        return rc == 0 ? 0 : errno;
    }

    public static int Truncate(int fd, long size) => ftruncate(fd, size) == 0 ? 0 : errno;

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

    public static bool PWrite(int fd, ReadOnlySpan<byte> src, long offset)
    {
        fixed (byte* p = src)
        {
            int done = 0;
            while (done < src.Length)
            {
                long n = pwrite(fd, p + done, (size_t)(ulong)(src.Length - done), offset + done);
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

    public static bool PReadU32(int fd, long offset, out uint value)
    {
        uint v = 0;
        bool ok = PRead(fd, new Span<byte>(&v, 4), offset);
        value = v;
        return ok;
    }

    public static bool PWriteU32(int fd, long offset, uint value) => PWrite(fd, new ReadOnlySpan<byte>(&value, 4), offset);

    /// <summary>An ioctl that fills <paramref name="buffer"/>; 0 or errno.</summary>
    public static int IoctlRead(int fd, uint request, Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            return ioctl(fd, (int)request, (void*)p) < 0 ? errno : 0;
        }
    }

    public static int Map(int fd, long offset, long length, bool write, out byte* address)
    {
        void* p = mmap(null, (size_t)(ulong)length, PROT_READ | (write ? PROT_WRITE : 0), MAP_SHARED, fd, offset);
        if (p == MAP_FAILED)
        {
            address = null;
            return errno;
        }
        address = (byte*)p;
        return 0;
    }

    public static void Unmap(byte* address, long length)
    {
        if (address != null)
        {
            _ = munmap(address, (size_t)(ulong)length);
        }
    }

    public static string Describe(int error) => Marshal.GetPInvokeErrorMessage(error);
}
