using System.Buffers.Binary;
using System.Globalization;
using WebConsole.Region;
using static Tmds.Linux.LibC;

namespace WebConsole.Sources.Xwd;

/// <summary>
/// Xvfb's <c>-shmem</c> screen: a System V segment (IPC_PRIVATE) holding the same XWD image as
/// the <c>-fbdir</c> file, attached read-only. A segment cannot shrink under an attachment, so
/// reading through the mapping is safe.
/// </summary>
/// <remarks>
/// Xvfb prints <c>screen N shmid M</c> and never removes its segments, not even on exit, so the
/// producer counts as gone when the segment's creator process has ended (or the segment was
/// removed). For a display the segment is found by scanning <c>/proc/sysvipc/shm</c> for segments
/// whose creator is a live <c>Xvfb :N</c>, picking the one whose XWD window name Xvfb sets to
/// <c>host:N.screen</c>; the scan runs at most twice a second while waiting, and again after every
/// restart (a new Xvfb gets new segments).
/// </remarks>
internal sealed unsafe class XwdShmStore(XwdShmTarget target, TimeProvider time) : IXwdStore
{
    private static readonly TimeSpan s_scanInterval = TimeSpan.FromMilliseconds(500);

    private byte* _address;
    private int _shmid = -1;
    private int _creatorPid;
    private long _size;
    private long _lastScan;
    private bool _scanned;
    private string _waiting = "";

    public string Name { get; } = "xwd-shm:" + target;

    public long Size => _address == null ? 0 : _size;

    public bool Refresh(out bool lost, out string? waitingReason)
    {
        lost = false;
        waitingReason = null;
        if (_address != null && !StillThere())
        {
            NativeShm.Detach(ref _address);
            lost = true;
            _scanned = false; // look again at once: a restarted Xvfb may already be up
        }
        if (_address == null && !TryAttach())
        {
            waitingReason = _waiting;
            return false;
        }
        return true;
    }

    public bool ReadAt(long offset, Span<byte> dest)
    {
        if (_address == null || offset < 0 || offset > _size || dest.Length > _size - offset)
        {
            return false;
        }
        new ReadOnlySpan<byte>(_address + offset, dest.Length).CopyTo(dest);
        return true;
    }

    private bool StillThere() =>
        NativeShm.Stat(_shmid, out NativeShm.SegmentInfo info) == 0 && !info.Removed &&
        info.CreatorPid == _creatorPid && !CreatorEnded(_creatorPid);

    /// <summary>
    /// Whether the process is known to have ended. A creator outside this PID namespace shows as
    /// pid 0 (a container sharing the host's IPC namespace): not known to have ended, so a segment
    /// named by shmid is read until it is removed.
    /// </summary>
    private static bool CreatorEnded(int pid) => pid > 0 && kill(pid, 0) != 0 && errno == ESRCH;

    private bool TryAttach()
    {
        long now = time.GetTimestamp();
        if (_scanned && time.GetElapsedTime(_lastScan, now) < s_scanInterval)
        {
            return false; // keep the last reason until the next scan
        }
        _scanned = true;
        _lastScan = now;
        if (target.ShmId is int fixedId)
        {
            return TryAttach(fixedId, out _waiting);
        }
        foreach (int shmid in CandidateSegments(target.Display!.Value))
        {
            if (TryAttach(shmid, out _) && IsScreen(target.Display.Value, target.Screen))
            {
                return true;
            }
            NativeShm.Detach(ref _address);
        }
        _waiting = $"waiting for producer: Xvfb :{target.Display} has no -shmem screen {target.Screen}";
        return false;
    }

    private bool TryAttach(int shmid, out string reason)
    {
        reason = "";
        int error = NativeShm.Stat(shmid, out NativeShm.SegmentInfo info);
        if (error == 0 && (info.Removed || CreatorEnded(info.CreatorPid)))
        {
            reason = $"waiting for producer: segment {shmid}'s creator (pid {info.CreatorPid}) has ended";
            return false;
        }
        if (error == 0)
        {
            error = NativeShm.AttachReadOnly(shmid, out _address);
        }
        if (error != 0)
        {
            reason = error == EINVAL || error == EIDRM
                ? $"waiting for producer: there is no shared memory segment {shmid}"
                : $"waiting for producer: cannot attach shared memory segment {shmid}: {NativeFile.Describe(error)}";
            return false;
        }
        _shmid = shmid;
        _creatorPid = info.CreatorPid;
        _size = info.Size;
        return true;
    }

    /// <summary>Whether the attached image's window name is Xvfb's <c>host:display.screen</c>.</summary>
    private bool IsScreen(int display, int screen)
    {
        if (_size < XwdHeader.FixedSize)
        {
            return false;
        }
        uint headerSize = BinaryPrimitives.ReadUInt32BigEndian(new ReadOnlySpan<byte>(_address, 4));
        if (headerSize <= XwdHeader.FixedSize || headerSize > 4096 || headerSize > _size)
        {
            return false;
        }
        var name = new ReadOnlySpan<byte>(_address + XwdHeader.FixedSize, (int)headerSize - XwdHeader.FixedSize);
        int end = name.IndexOf((byte)0);
        name = end < 0 ? name : name[..end];
        string suffix = string.Create(CultureInfo.InvariantCulture, $":{display}.{screen}");
        return System.Text.Encoding.ASCII.GetString(name).EndsWith(suffix, StringComparison.Ordinal);
    }

    /// <summary>Segments in /proc/sysvipc/shm whose creator is a running <c>Xvfb :display</c>, oldest id first.</summary>
    private static List<int> CandidateSegments(int display)
    {
        var found = new List<int>();
        string wanted = ":" + display.ToString(CultureInfo.InvariantCulture);
        string[] lines;
        try
        {
            lines = File.ReadAllLines("/proc/sysvipc/shm");
        }
        catch (IOException)
        {
            return found;
        }
        catch (UnauthorizedAccessException)
        {
            return found;
        }
        var checkedPids = new Dictionary<int, bool>();
        // key shmid perms size cpid lpid nattch ...
        for (int i = 1; i < lines.Length; i++)
        {
            string[] f = lines[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 5 || !int.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out int shmid) ||
                !int.TryParse(f[4], NumberStyles.None, CultureInfo.InvariantCulture, out int cpid))
            {
                continue;
            }
            if (!checkedPids.TryGetValue(cpid, out bool isXvfb))
            {
                isXvfb = IsXvfb(cpid, wanted);
                checkedPids[cpid] = isXvfb;
            }
            if (isXvfb)
            {
                found.Add(shmid);
            }
        }
        found.Sort();
        return found;
    }

    /// <summary>Whether /proc/pid/cmdline is an Xvfb started with the display argument.</summary>
    private static bool IsXvfb(int pid, string display)
    {
        string cmdline;
        try
        {
            cmdline = File.ReadAllText(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/cmdline"));
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
        string[] args = cmdline.Split('\0', StringSplitOptions.RemoveEmptyEntries);
        if (args.Length < 2 || !System.IO.Path.GetFileName(args[0]).StartsWith("Xvfb", StringComparison.Ordinal))
        {
            return false;
        }
        return Array.IndexOf(args, display, 1) >= 1;
    }

    public void Dispose() => NativeShm.Detach(ref _address);
}
