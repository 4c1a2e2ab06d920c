namespace WebConsole.Sources.Qemu;

/// <summary>A <see cref="QemuListener"/> serving on its own thread; <see cref="Ended"/> is set when its connection ends.</summary>
internal sealed class QemuListenerRun : IDisposable
{
    private readonly QemuListener _listener;
    private readonly Thread _thread;
    private readonly ManualResetEvent _ended = new(false);

    public QemuListenerRun(QemuListener listener, TimeSpan authTimeout, string name)
    {
        _listener = listener;
        _thread = new Thread(() =>
        {
            EndReason = _listener.Run(authTimeout);
            _ended.Set();
        })
        { IsBackground = true, Name = $"qemu listener {name}" };
        _thread.Start();
    }

    public WaitHandle Ended => _ended;

    /// <summary>Why the listener connection ended, once <see cref="Ended"/> is set.</summary>
    public string? EndReason { get; private set; }

    public void Dispose()
    {
        _listener.Stop();
        _thread.Join(TimeSpan.FromSeconds(5));
        _listener.Dispose();
        _ended.Dispose();
    }
}
