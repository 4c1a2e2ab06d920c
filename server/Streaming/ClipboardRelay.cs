using WebConsole.Hubs;
using WebConsole.Sources.Clipboard;
using WebConsole.Telemetry;

namespace WebConsole.Streaming;

/// <summary>
/// One console's clipboard between its source and its viewers: what each viewer may do (the
/// source's <see cref="IGuestClipboard.Directions"/> ∩ the console's option ∩ the viewer's access),
/// text from viewers into the guest, and each text the guest copies to every viewer allowed to read
/// it (one serialized message; at most one every <see cref="GuestInterval"/>, the latest winning, so
/// a guest that copies in a loop does not flood its viewers). Clipboard text is never logged, only sizes.
/// </summary>
internal sealed partial class ClipboardRelay : IDisposable
{
    /// <summary>The shortest time between two guest texts sent to viewers.</summary>
    internal static readonly TimeSpan GuestInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>The panel's text for a console whose source has no clipboard.</summary>
    public const string NoClipboard = "this console has no guest clipboard; use Type text";

    private readonly string _consoleId;
    private readonly IGuestClipboard? _guest;
    private readonly ClipboardDirections _option;
    private readonly int _maxBytes;
    private readonly ViewerSet _viewers;
    private readonly ConsoleMeter _meter;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly IDisposable? _subscription;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private string? _last;
    private string? _pending;
    private long _lastSent = long.MinValue;
    private bool _disposed;

    public ClipboardRelay(string consoleId, IGuestClipboard? guest, ClipboardDirections option, int maxBytes, ViewerSet viewers,
        ConsoleMeter meter, ILogger logger, TimeProvider time)
    {
        _consoleId = consoleId;
        _guest = guest;
        _option = option;
        _maxBytes = maxBytes;
        _viewers = viewers;
        _meter = meter;
        _logger = logger;
        _time = time;
        _timer = time.CreateTimer(static state => ((ClipboardRelay)state!).SendPending(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        if (guest is not null)
        {
            guest.Changed += OnChanged;
            _subscription = guest.Subscribe(OnGuestText);
        }
    }

    /// <summary>Whether the source has a clipboard at all.</summary>
    public bool Present => _guest is not null;

    public int MaxBytes => _maxBytes;

    /// <summary>What a viewer whose access allows <paramref name="access"/> may do now.</summary>
    public ClipboardDirections For(ClipboardDirections access) => (_guest?.Directions ?? ClipboardDirections.None) & _option & access;

    /// <summary>The state message for a viewer whose access allows <paramref name="access"/>.</summary>
    public ClipboardStateMessage StateFor(ClipboardDirections access)
    {
        ClipboardDirections now = For(access);
        return new ClipboardStateMessage((now & ClipboardDirections.ToGuest) != 0, (now & ClipboardDirections.FromGuest) != 0,
            now == ClipboardDirections.Both ? null : WhyNot(access), _maxBytes);
    }

    /// <summary>Why a viewer with <paramref name="access"/> lacks a direction, in words for the panel and the refusal.</summary>
    public string WhyNot(ClipboardDirections access)
    {
        if (_guest is null)
        {
            return NoClipboard;
        }
        ClipboardDirections source = _guest.Directions;
        if (source != ClipboardDirections.Both)
        {
            return _guest.Reason ?? $"the guest's clipboard carries {ClipboardText.Format(source)} only";
        }
        if (_option != ClipboardDirections.Both)
        {
            return $"the server allows this console's clipboard {ClipboardText.Format(_option)} only";
        }
        return access == ClipboardDirections.None
            ? "this access has no clipboard (view only, or the ticket allows none)"
            : $"this access allows the clipboard {ClipboardText.Format(access)} only";
    }

    /// <summary>Tells a viewer (just joined or moved here) what its clipboard can do, and the guest's text it may read.</summary>
    public void Introduce(Viewer viewer)
    {
        _viewers.SendTo(viewer.ConnectionId, ConsoleClientMethods.ClipboardState, StateFor(viewer.Clipboard));
        string? last;
        lock (_gate)
        {
            last = _last;
        }
        if (last is not null && (For(viewer.Clipboard) & ClipboardDirections.FromGuest) != 0)
        {
            _viewers.SendTo(viewer.ConnectionId, ConsoleClientMethods.Clipboard, new ClipboardMessage(last, Initial: true));
        }
    }

    /// <summary>
    /// Sets the guest's clipboard (the caller has checked the viewer may, and the text). True once
    /// the guest side has it; false when the source cannot take it now.
    /// </summary>
    public async ValueTask<bool> SetTextAsync(string text, int bytes, string connectionId, CancellationToken cancellationToken)
    {
        if (_guest is null)
        {
            return false;
        }
        bool set = await _guest.SetTextAsync(text, cancellationToken).ConfigureAwait(false);
        if (set)
        {
            _meter.ClipboardSet(bytes);
            LogSet(_consoleId, bytes, connectionId);
        }
        return set;
    }

    private void OnChanged()
    {
        foreach (Viewer viewer in _viewers.All)
        {
            _viewers.SendTo(viewer.ConnectionId, ConsoleClientMethods.ClipboardState, StateFor(viewer.Clipboard));
        }
    }

    /// <summary>The source's thread: a text the guest copied (already bounded and checked by the source; checked again).</summary>
    private void OnGuestText(string text)
    {
        if (text is null || !ClipboardText.Fits(text, _maxBytes, out _))
        {
            LogGuestTextDropped(_consoleId, text?.Length ?? 0);
            return;
        }
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _last = text;
            long now = _time.GetTimestamp();
            TimeSpan since = _lastSent == long.MinValue ? TimeSpan.MaxValue : _time.GetElapsedTime(_lastSent, now);
            if (_pending is not null || since < GuestInterval)
            {
                bool armed = _pending is not null;
                _pending = text;
                if (!armed)
                {
                    _timer.Change(GuestInterval - since, Timeout.InfiniteTimeSpan);
                }
                return;
            }
            _lastSent = now;
        }
        FanOut(text);
    }

    private void SendPending()
    {
        string? text;
        lock (_gate)
        {
            text = _pending;
            _pending = null;
            _lastSent = _time.GetTimestamp();
        }
        if (text is not null)
        {
            FanOut(text);
        }
    }

    private void FanOut(string text)
    {
        var readers = new List<string>();
        foreach (Viewer viewer in _viewers.All)
        {
            if ((For(viewer.Clipboard) & ClipboardDirections.FromGuest) != 0)
            {
                readers.Add(viewer.ConnectionId);
            }
        }
        int bytes = System.Text.Encoding.UTF8.GetByteCount(text);
        LogGuestText(_consoleId, bytes, readers.Count);
        if (readers.Count == 0)
        {
            return;
        }
        _meter.ClipboardRelayed((long)bytes * readers.Count);
        _viewers.SendToMany(readers, ConsoleClientMethods.Clipboard, new ClipboardMessage(text));
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _pending = null;
            _last = null;
        }
        if (_guest is not null)
        {
            _guest.Changed -= OnChanged;
        }
        _subscription?.Dispose();
        _timer.Dispose();
    }
}
