using System.Text;
using WebConsole.Sources.Clipboard;

namespace WebConsole.Sources.Qemu;

/// <summary>
/// A QEMU console's guest clipboard through org.qemu.Display1.Clipboard, text only. Our side
/// registers with QEMU's <c>/org/qemu/Display1/Clipboard</c> on the display connection and serves
/// the same interface there for QEMU to call: <c>Register</c> (serials start again),
/// <c>Grab(selection, serial, mimes)</c> (the guest copied: we ask for the text with
/// <c>Request</c>), <c>Release</c>, and <c>Request(selection, mimes)</c> (the guest pastes what the
/// browser set: we answer with it). QEMU's qemu-vdagent chardev (<c>clipboard=on</c>) carries it
/// to the guest's spice-vdagent. Outlives connections: each new display connection is attached.
/// </summary>
/// <remarks>
/// Serials follow QEMU's rule (ui/clipboard.c): each grab carries one, counted per selection from 0
/// when QEMU resets them; a client grab wins when its serial is at least the last one QEMU saw, so
/// ours is the last seen (from either side) plus one, and a guest grab below the last seen lost a
/// race with ours and is ignored. Everything QEMU sends is checked here: selection, serial, the
/// MIME list (count and lengths), the size of the text (the configured limit) and its UTF-8;
/// grabs and requests are rate limited. A refusal is counted and reported with sizes only, never the text.
/// </remarks>
internal sealed class QemuClipboard : IGuestClipboard
{
    /// <summary>CLIPBOARD, PRIMARY, SECONDARY (QemuClipboardSelection).</summary>
    public const int Selections = 3;

    /// <summary>MIME types accepted in one Grab or Request from QEMU (QEMU itself sends one).</summary>
    public const int MaxMimes = 32;

    /// <summary>Longest MIME type accepted, in bytes.</summary>
    public const int MaxMimeLength = 255;

    /// <summary>Grabs and Requests from QEMU (one budget) accepted in a burst, then <see cref="GrabsPerSecond"/>.</summary>
    public const int GrabBurst = 20;

    public const int GrabsPerSecond = 10;

    /// <summary>How long QEMU may take to answer a Request (it waits up to 5 s for the guest agent itself).</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(8);

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly byte[] s_textMime = System.Text.Encoding.ASCII.GetBytes(DBusNames.TextMime);

    private readonly int _maxBytes;
    private readonly TimeProvider _time;
    private readonly Action<string> _reject;
    private readonly TimeSpan _timeout;
    private readonly Lock _gate = new();
    private readonly Lock _setGate = new();
    private readonly uint[] _serial = new uint[Selections];
    private Action<string>[] _subscribers = [];
    private QemuDisplayConnection? _display;
    private bool _registered, _agentSeen;
    private bool? _hasVdagent;
    private byte[]? _offer;
    private uint _wanted, _fetched;
    private bool _fetching;
    private double _tokens = GrabBurst;
    private long _tokensAt;
    private ClipboardDirections _directions;
    private string? _reason = "not connected to QEMU";
    private long _bytesToGuest, _bytesFromGuest, _textsFromGuest, _rejections;

    /// <param name="maxBytes">Largest text, in UTF-8 bytes, either way (<c>Clipboard:MaxBytes</c>).</param>
    /// <param name="reject">Reports a refused message (rate-limited logging is the caller's); never given text.</param>
    public QemuClipboard(int maxBytes, TimeProvider time, Action<string> reject, TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        _maxBytes = maxBytes;
        _time = time;
        _reject = reject;
        _timeout = timeout;
        _tokensAt = time.GetTimestamp();
    }

    public ClipboardDirections Directions
    {
        get
        {
            lock (_gate)
            {
                return _directions;
            }
        }
    }

    public string? Reason
    {
        get
        {
            lock (_gate)
            {
                return _reason;
            }
        }
    }

    public event Action? Changed;

    /// <summary>The size limit, in UTF-8 bytes.</summary>
    public int MaxBytes => _maxBytes;

    /// <summary>The largest D-Bus message body the display connection must take for a Request's answer.</summary>
    public long MaxReplyBody => _maxBytes + 4096L;

    public long BytesToGuest => Interlocked.Read(ref _bytesToGuest);

    public long BytesFromGuest => Interlocked.Read(ref _bytesFromGuest);

    /// <summary>Texts from the guest delivered to subscribers.</summary>
    public long TextsFromGuest => Interlocked.Read(ref _textsFromGuest);

    /// <summary>Clipboard messages from QEMU refused (sizes, UTF-8, MIME lists, floods, bad arguments).</summary>
    public long Rejections => Interlocked.Read(ref _rejections);

    public IDisposable Subscribe(Action<string> onGuestText)
    {
        ArgumentNullException.ThrowIfNull(onGuestText);
        lock (_gate)
        {
            _subscribers = [.. _subscribers, onGuestText];
        }
        return new Subscription(this, onGuestText);
    }

    public async ValueTask<bool> SetTextAsync(string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        byte[] bytes;
        try
        {
            bytes = s_strictUtf8.GetBytes(text);
        }
        catch (EncoderFallbackException)
        {
            return false; // a lone surrogate: not text QEMU can carry
        }
        if (bytes.Length > _maxBytes || (Directions & ClipboardDirections.ToGuest) == 0)
        {
            return false;
        }
        // The call waits for QEMU's answer: on a pool thread, never the caller's; one at a time.
        return await Task.Run(() =>
        {
            lock (_setGate)
            {
                return Grab(bytes);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A new display connection (on the source's connection thread): serves QEMU's clipboard calls
    /// on it and registers. A QEMU whose clipboard is held by an earlier connection of ours (peer to
    /// peer, QEMU does not notice that one went away) is asked to forget it first.
    /// </summary>
    public void Attach(QemuDisplayConnection display)
    {
        lock (_gate)
        {
            _display = display;
            _registered = false;
            _agentSeen = false;
            _hasVdagent = display.HasVdagentChardev;
            Array.Clear(_serial);
            _wanted = _fetched = 0;
        }
        display.ClipboardCalls = HandleCall;
        try
        {
            Register(display);
        }
        catch (IOException e) when (e.Message.Contains("already registered", StringComparison.Ordinal))
        {
            try
            {
                display.CallClipboard("Unregister", "", null, _timeout);
                Register(display);
            }
            catch (IOException again)
            {
                SetState(display, $"QEMU's clipboard is held by another D-Bus client ({again.Message})");
                return;
            }
        }
        catch (IOException e)
        {
            SetState(display, $"QEMU's clipboard did not register: {e.Message}");
            return;
        }
        UpdateState();
    }

    /// <summary>The display connection ended: nothing crosses until the next one registers.</summary>
    public void Detach(QemuDisplayConnection display)
    {
        lock (_gate)
        {
            if (_display != display)
            {
                return;
            }
            _display = null;
            _registered = false;
            _agentSeen = false;
        }
        display.ClipboardCalls = null;
        SetState(null, "not connected to QEMU");
    }

    /// <summary>
    /// One call from QEMU on our <c>/org/qemu/Display1/Clipboard</c>, on the display's receiving
    /// thread: checked, acted on and answered at once. Internal for the hostile-input tests.
    /// </summary>
    internal void HandleCall(QemuDisplayConnection display, DBusMessage m)
    {
        string? error;
        try
        {
            error = Dispatch(display, m);
        }
        catch (DBusFormatException e)
        {
            error = $"{m.Member}: {e.Message}";
        }
        if (error is not null)
        {
            Interlocked.Increment(ref _rejections);
            _reject($"clipboard: {error}");
            display.ReplyError(m, DBusNames.InvalidArgs, error);
        }
    }

    private string? Dispatch(QemuDisplayConnection display, DBusMessage m)
    {
        if (m.Interface == DBusNames.PropertiesInterface)
        {
            // QEMU's proxy for our object reads its properties once: there are none.
            if (m.Member == "GetAll")
            {
                display.Reply(m, "a{sv}", w => w.EndArray(w.BeginArray(8)));
                return null;
            }
            return $"unknown property call {m.Member}";
        }
        if (m.Interface is not (null or DBusNames.ClipboardInterface))
        {
            return $"unknown interface {m.Interface}";
        }
        var body = new DBusBodyReader(m.Body.Span);
        switch (m.Member)
        {
            case "Register":
                Expect(m, "");
                OnReset(display);
                display.Reply(m, "", null);
                return null;
            case "Unregister":
                Expect(m, "");
                display.Reply(m, "", null);
                return null;
            case "Grab":
            {
                Expect(m, "uuas");
                uint selection = body.ReadUInt32(), serial = body.ReadUInt32();
                bool text = ReadMimes(ref body);
                CheckSelection(selection);
                if (!TakeGrabToken())
                {
                    return $"Grab: more than {GrabsPerSecond} a second from QEMU";
                }
                display.Reply(m, "", null);
                OnGrab(display, selection, serial, text);
                return null;
            }
            case "Release":
            {
                Expect(m, "u");
                CheckSelection(body.ReadUInt32());
                display.Reply(m, "", null);
                return null;
            }
            case "Request":
            {
                Expect(m, "uas");
                uint selection = body.ReadUInt32();
                bool text = ReadMimes(ref body);
                CheckSelection(selection);
                if (!TakeGrabToken())
                {
                    // Each answer may be the whole text: a flood of Requests is refused like one of Grabs.
                    return $"Request: more than {GrabsPerSecond} a second from QEMU";
                }
                byte[]? offer;
                lock (_gate)
                {
                    offer = selection == 0 ? _offer : null;
                }
                if (offer is null || !text)
                {
                    // Not an error of QEMU's: nothing of ours to give (QEMU tells the guest so).
                    display.ReplyError(m, DBusNames.Failed, offer is null ? "empty clipboard" : "only text/plain;charset=utf-8");
                    return null;
                }
                display.Reply(m, "say", w =>
                {
                    w.WriteString(DBusNames.TextMime);
                    w.WriteBytes(offer);
                });
                Interlocked.Add(ref _bytesToGuest, offer.Length);
                return null;
            }
            default:
                return $"unknown method {m.Member}";
        }
    }

    private void Register(QemuDisplayConnection display)
    {
        display.CallClipboard("Register", "", null, _timeout);
        lock (_gate)
        {
            if (_display == display)
            {
                _registered = true;
            }
        }
    }

    /// <summary>
    /// QEMU starts the serials again: after our own Register (its answer has not come yet) and
    /// whenever a guest agent with the clipboard connects. The latter is how a vdagent shows
    /// itself on D-Bus, so once registered a reset means the guest's clipboard is there.
    /// </summary>
    private void OnReset(QemuDisplayConnection display)
    {
        bool changed;
        lock (_gate)
        {
            if (_display != display)
            {
                return;
            }
            Array.Clear(_serial);
            _wanted = _fetched = 0;
            changed = _registered && !_agentSeen;
            if (_registered)
            {
                _agentSeen = true;
            }
        }
        if (changed)
        {
            UpdateState();
        }
    }

    private void OnGrab(QemuDisplayConnection display, uint selection, uint serial, bool text)
    {
        bool fetch = false, changed;
        lock (_gate)
        {
            if (_display != display)
            {
                return;
            }
            changed = !_agentSeen;
            _agentSeen = true;
            if (serial < _serial[selection])
            {
                // Lost a race with a grab of ours (QEMU takes ours too): the browser's text stands.
                return;
            }
            _serial[selection] = serial;
            if (selection == 0)
            {
                _offer = null; // the guest owns the clipboard now
                if (text)
                {
                    _wanted++; // a generation: the fetch loop runs until it has caught up
                    if (!_fetching)
                    {
                        _fetching = fetch = true;
                    }
                }
            }
        }
        if (changed)
        {
            UpdateState();
        }
        if (fetch)
        {
            // Requested from a pool thread: the answer comes on the receiving thread this runs on.
            ThreadPool.UnsafeQueueUserWorkItem(static state => state.fetchFrom.Fetch(state.display), (fetchFrom: this, display), preferLocal: false);
        }
    }

    /// <summary>Asks QEMU for the guest's text until the newest grab's text has been fetched.</summary>
    private void Fetch(QemuDisplayConnection display)
    {
        while (true)
        {
            uint wanted;
            lock (_gate)
            {
                if (_display != display || _wanted == _fetched)
                {
                    _fetching = false;
                    return;
                }
                wanted = _fetched = _wanted;
            }
            string? text = null;
            string? refused = null;
            try
            {
                display.CallClipboard("Request", "uas", w =>
                {
                    w.WriteUInt32(0);
                    int mimes = w.BeginArray(4);
                    w.WriteString(DBusNames.TextMime);
                    w.EndArray(mimes);
                }, RequestTimeout, reply: m => refused = ReadText(m, out text));
            }
            catch (IOException e)
            {
                refused = $"Request: {e.Message}";
            }
            if (refused is not null)
            {
                Interlocked.Increment(ref _rejections);
                _reject($"clipboard: {refused}");
                continue;
            }
            bool current;
            lock (_gate)
            {
                current = _display == display && _wanted == wanted;
            }
            if (current && text is not null)
            {
                Interlocked.Increment(ref _textsFromGuest);
                Deliver(text);
            }
        }
    }

    /// <summary>QEMU's answer to Request, <c>(s mime, ay data)</c>: null and the text, or why it is refused (sizes only).</summary>
    private string? ReadText(DBusMessage m, out string? text)
    {
        text = null;
        if (m.Signature != "say")
        {
            return $"Request answered with signature '{m.Signature}', expected 'say'";
        }
        var body = new DBusBodyReader(m.Body.Span);
        ReadOnlySpan<byte> mime = body.ReadStringBytes();
        if (!mime.SequenceEqual(s_textMime))
        {
            return $"Request answered with a MIME type of {mime.Length} bytes that is not {DBusNames.TextMime}";
        }
        ReadOnlySpan<byte> data = body.ReadByteArray(_maxBytes);
        try
        {
            text = s_strictUtf8.GetString(data);
        }
        catch (DecoderFallbackException)
        {
            return $"the guest's text of {data.Length} bytes is not valid UTF-8";
        }
        Interlocked.Add(ref _bytesFromGuest, data.Length);
        return null;
    }

    private bool Grab(byte[] bytes)
    {
        QemuDisplayConnection? display;
        uint serial;
        lock (_gate)
        {
            display = _display;
            if (display is null || (_directions & ClipboardDirections.ToGuest) == 0)
            {
                return false;
            }
            _offer = bytes;
            serial = ++_serial[0];
        }
        try
        {
            display.CallClipboard("Grab", "uuas", w =>
            {
                w.WriteUInt32(0);
                w.WriteUInt32(serial);
                int mimes = w.BeginArray(4);
                w.WriteString(DBusNames.TextMime);
                w.EndArray(mimes);
            }, _timeout);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static bool ReadMimes(ref DBusBodyReader body)
    {
        bool text = false;
        int end = body.BeginArray(4);
        int count = 0;
        while (body.Position < end)
        {
            if (++count > MaxMimes)
            {
                DBusFormatException.Throw($"more than {MaxMimes} MIME types");
            }
            ReadOnlySpan<byte> mime = body.ReadStringBytes();
            if (mime.Length > MaxMimeLength)
            {
                DBusFormatException.Throw($"a MIME type of {mime.Length} bytes (limit {MaxMimeLength})");
            }
            text |= mime.SequenceEqual(s_textMime);
        }
        return text;
    }

    private static void CheckSelection(uint selection)
    {
        if (selection >= Selections)
        {
            DBusFormatException.Throw($"selection {selection}");
        }
    }

    private static void Expect(DBusMessage m, string signature)
    {
        if (m.Signature != signature)
        {
            DBusFormatException.Throw($"signature '{m.Signature}', expected '{signature}'");
        }
    }

    /// <summary>A token bucket: <see cref="GrabBurst"/> at once, then <see cref="GrabsPerSecond"/>.</summary>
    private bool TakeGrabToken()
    {
        lock (_gate)
        {
            long now = _time.GetTimestamp();
            _tokens = Math.Min(GrabBurst, _tokens + _time.GetElapsedTime(_tokensAt, now).TotalSeconds * GrabsPerSecond);
            _tokensAt = now;
            if (_tokens < 1)
            {
                return false;
            }
            _tokens--;
            return true;
        }
    }

    private void Deliver(string text)
    {
        Action<string>[] subscribers;
        lock (_gate)
        {
            subscribers = _subscribers;
        }
        foreach (Action<string> subscriber in subscribers)
        {
            try
            {
                subscriber(text);
            }
            catch (Exception e)
            {
                // A subscriber must not throw; one that does loses this text, the others do not.
                _reject($"clipboard subscriber failed: {e.GetType().Name}");
            }
        }
    }

    private void UpdateState()
    {
        QemuDisplayConnection? display;
        string? reason;
        lock (_gate)
        {
            display = _display;
            // QMP's word that a qemu-vdagent chardev exists is enough; on a bus (no QMP) the agent
            // must show itself: QEMU 10 resets the serials when it connects, 7.2 only grabs.
            reason = !_registered ? "not connected to QEMU"
                : _agentSeen || _hasVdagent == true ? null
                : _hasVdagent == false ? "this QEMU has no clipboard (no qemu-vdagent with clipboard=on)"
                : "no clipboard agent in the guest yet (QEMU needs -chardev qemu-vdagent,clipboard=on on a virtserialport com.redhat.spice.0, the guest spice-vdagent; on QEMU before 10 the guest's first copy shows it)";
        }
        SetState(display, reason);
    }

    private void SetState(QemuDisplayConnection? display, string? reason)
    {
        ClipboardDirections directions = reason is null ? ClipboardDirections.Both : ClipboardDirections.None;
        lock (_gate)
        {
            if (_display != display || (_directions == directions && _reason == reason))
            {
                return;
            }
            _directions = directions;
            _reason = reason;
        }
        Changed?.Invoke();
    }

    private void Unsubscribe(Action<string> subscriber)
    {
        lock (_gate)
        {
            int at = Array.IndexOf(_subscribers, subscriber);
            if (at >= 0)
            {
                _subscribers = [.. _subscribers[..at], .. _subscribers[(at + 1)..]];
            }
        }
    }

    private sealed class Subscription(QemuClipboard owner, Action<string> subscriber) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Unsubscribe(subscriber);
            }
        }
    }
}
