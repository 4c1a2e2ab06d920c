using WebConsole.Region;
using static Tmds.Linux.LibC;

namespace WebConsole.Sources.Xwd;

/// <summary>
/// Xvfb's <c>-fbdir</c> file, read with pread and never mapped: Xvfb exiting (the file is
/// removed) or a file that shrinks gives a status, not SIGBUS. A restarted Xvfb writes a new file
/// (another inode), which counts as the old one lost.
/// </summary>
internal sealed class XwdFileStore(string path) : IXwdStore
{
    private readonly byte[] _pathBytes = NativeFile.PathBytes(path);
    private int _fd = -1;
    private NativeFile.FileIdentity _file;

    public string Name => path;

    public long Size => _file.Size;

    public bool Refresh(out bool lost, out string? waitingReason)
    {
        lost = false;
        waitingReason = null;
        if (_fd >= 0)
        {
            // Xvfb removes its file when it exits and a new one writes a new file: another inode.
            // (ctime is no help: every write through Xvfb's mapping touches it.)
            int pathError = NativeFile.Stat(_pathBytes, out var onDisk);
            if (pathError != 0 || onDisk.Inode != _file.Inode || onDisk.Device != _file.Device)
            {
                Close();
                lost = true;
            }
        }
        if (_fd < 0)
        {
            int error = NativeFile.Open(_pathBytes, write: false, out _fd);
            if (error != 0)
            {
                waitingReason = error == ENOENT
                    ? $"waiting for producer: {path} does not exist (is Xvfb running with -fbdir?)"
                    : $"waiting for producer: cannot open {path}: {NativeFile.Describe(error)}";
                return false;
            }
        }
        if (NativeFile.FStat(_fd, out _file) != 0)
        {
            Close();
            waitingReason = $"waiting for producer: cannot stat {path}";
            return false;
        }
        return true;
    }

    public bool ReadAt(long offset, Span<byte> dest) => NativeFile.PRead(_fd, dest, offset);

    public void Dispose() => Close();

    private void Close()
    {
        if (_fd >= 0)
        {
            NativeFile.Close(_fd);
            _fd = -1;
        }
    }
}
