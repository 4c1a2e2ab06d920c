namespace WebConsole.Sources.Qemu;

/// <summary>
/// The sockets a source's connection thread may be blocked on (QMP, the display connection, a
/// listener): <see cref="Abort"/> shuts every one down, so a read, a poll or a call waiting for its
/// reply returns at once, whatever the peer does. A socket watched after the abort is shut down
/// straight away. Sockets are forgotten before they are closed, under the same lock, so a shutdown
/// never reaches a descriptor number that was closed and reused.
/// </summary>
internal sealed class QemuPeerAbort
{
    private readonly Lock _gate = new();
    private readonly List<int> _fds = [];
    private bool _aborted;

    public bool IsAborted
    {
        get
        {
            lock (_gate)
            {
                return _aborted;
            }
        }
    }

    public void Watch(int fd)
    {
        lock (_gate)
        {
            if (_aborted)
            {
                QemuNative.Shutdown(fd);
            }
            else
            {
                _fds.Add(fd);
            }
        }
    }

    /// <summary>Stops watching <paramref name="fd"/>; call before closing it.</summary>
    public void Forget(int fd)
    {
        lock (_gate)
        {
            _fds.Remove(fd);
        }
    }

    public void Abort()
    {
        lock (_gate)
        {
            _aborted = true;
            foreach (int fd in _fds)
            {
                QemuNative.Shutdown(fd);
            }
        }
    }
}
