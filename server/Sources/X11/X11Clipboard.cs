using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using WebConsole.Sources.Clipboard;

namespace WebConsole.Sources.X11;

/// <summary>
/// An X server's CLIPBOARD selection (and PRIMARY, by option) as a guest clipboard, over a
/// connection and an unmapped window of its own, on a thread of its own. A new owner is seen
/// through XFixes SelectionNotify (no polling); its text is fetched as UTF8_STRING, else STRING,
/// large ones through INCR. Browser text is served by owning the selection and answering
/// SelectionRequest for TARGETS, UTF8_STRING, STRING and TEXT, through INCR above
/// <see cref="_chunk"/> bytes (the server's request size, at most 64 KiB). A new owner gives up a
/// fetch still under way at once (its owner has often gone: xclip exits when it loses the selection);
/// fetches take turns on <see cref="FetchProperties"/> properties, so a late answer is told apart.
/// A fetch that got no answer, a refusal or an unreadable property asks the owner of then once more
/// after <see cref="RetryFetchAfter"/> (a refusal cannot be told from a late one of a fetch given up).
/// </summary>
/// <remarks>
/// An X client is a peer like any other: whatever it claims, nothing larger than the size limit is
/// kept (a property's size is read before its bytes, an INCR transfer stops at the limit), text
/// must be valid UTF-8 (STRING is Latin-1), and a peer that stops answering is dropped after
/// <see cref="PeerTimeout"/>. A server that is not there or goes away is tried again once a
/// second; meanwhile <see cref="Directions"/> is none. Text is never logged, only sizes.
/// </remarks>
internal sealed unsafe partial class X11Clipboard : IGuestClipboard, IDisposable
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PeerTimeout = TimeSpan.FromSeconds(5);

    /// <summary>A fetch that got no answer or a refusal is tried once more after this long (a copy on a busy machine can outrun its owner).</summary>
    private static readonly TimeSpan RetryFetchAfter = TimeSpan.FromMilliseconds(250);
    private const int MaxChunk = 64 * 1024;

    /// <summary>INCR transfers served at once; a client asking for more (one per requestor and property) is refused.</summary>
    private const int MaxTransfers = 32;

    /// <summary>
    /// Properties our fetches take turns on, so that a fetch given up (a newer owner came) can be left
    /// at once: its late answer or INCR piece lands on a property no fetch waits on, and is ignored.
    /// </summary>
    private const int FetchProperties = 8;

    private readonly string _display;
    private readonly ClipboardSelections _selections;
    private readonly int _maxBytes;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly PeerDeadline _deadline;
    private readonly WakeFd _wake = new();
    private readonly ConcurrentQueue<(string Text, TaskCompletionSource<bool> Done)> _sets = new();
    private readonly Lock _gate = new();
    private readonly List<Action<string>> _subscribers = [];
    private readonly Dictionary<uint, Fetch> _fetches = [];
    private readonly Dictionary<uint, long> _retries = []; // selection -> when its fetch was given up
    private readonly List<Transfer> _transfers = [];
    private readonly Dictionary<uint, Owned> _owned = [];
    private Thread? _thread;
    private volatile bool _stopping;
    private ClipboardDirections _directions;
    private string? _reason;
    private X11Connection? _x;
    private uint _window;
    private int _chunk = MaxChunk;
    private int _nextProperty;
    private Atoms _atoms;
    private string? _lastProblem;

    public X11Clipboard(string display, ClipboardSelections selections, int maxBytes, TimeProvider time, ILogger logger)
    {
        _display = display;
        _selections = selections;
        _maxBytes = maxBytes;
        _time = time;
        _logger = logger;
        _deadline = new PeerDeadline(time);
        _reason = $"waiting for X server {display}";
    }

    /// <summary>Texts fetched through INCR so far (for tests).</summary>
    internal int IncrFetched => Volatile.Read(ref _incrFetched);

    /// <summary>Texts served through INCR so far (for tests).</summary>
    internal int IncrServed => Volatile.Read(ref _incrServed);

    private int _incrFetched, _incrServed;

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

    public ValueTask<bool> SetTextAsync(string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (_stopping || (Directions & ClipboardDirections.ToGuest) == 0 || !ClipboardText.Fits(text, _maxBytes, out _))
        {
            return ValueTask.FromResult(false);
        }
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        _sets.Enqueue((text, done));
        _wake.Set();
        return new ValueTask<bool>(done.Task.WaitAsync(cancellationToken));
    }

    public IDisposable Subscribe(Action<string> onGuestText)
    {
        ArgumentNullException.ThrowIfNull(onGuestText);
        lock (_gate)
        {
            _subscribers.Add(onGuestText);
        }
        EnsureStarted();
        return new Subscription(this, onGuestText);
    }

    /// <summary>Starts the clipboard's thread (the first subscriber does).</summary>
    public void EnsureStarted()
    {
        lock (_gate)
        {
            if (_thread is not null || _stopping)
            {
                return;
            }
            _thread = new Thread(Run) { IsBackground = true, Name = $"x11 clipboard {_display}" };
            _thread.Start();
        }
    }

    private void Run()
    {
        while (!_stopping)
        {
            try
            {
                if (_x is null && !Connect())
                {
                    FailPendingSets();
                    WaitForWake(RetryAfter);
                    continue;
                }
                Serve();
            }
            catch (Exception e) when (e is IndexOutOfRangeException or ArgumentOutOfRangeException or OverflowException)
            {
                LogMalformed(_display, e.Message); // a reply its own sizes do not allow: drop the server, try again
                Drop();
            }
        }
        Drop();
        FailPendingSets();
    }

    private void WaitForWake(TimeSpan timeout)
    {
        Span<Tmds.Linux.pollfd> p = stackalloc Tmds.Linux.pollfd[1];
        p[0] = new Tmds.Linux.pollfd { fd = _wake.Descriptor, events = Tmds.Linux.LibC.POLLIN };
        fixed (Tmds.Linux.pollfd* pp = p)
        {
            if (Tmds.Linux.LibC.poll(pp, 1, (int)timeout.TotalMilliseconds) > 0)
            {
                _wake.Take();
            }
        }
    }

    private bool Connect()
    {
        X11Connection? x = X11Connection.TryOpen(_display, _deadline, PeerTimeout, out string? reason);
        if (x is null)
        {
            SetState(ClipboardDirections.None, $"waiting for X server: {reason}");
            Once(reason!);
            return false;
        }
        _deadline.Arm("the clipboard setup", PeerTimeout);
        try
        {
            _atoms = Atoms.Intern(x);
            _window = x.NewId();
            uint mask = XcbNative.EventMaskPropertyChange;
            if (!x.Check(XcbNative.xcb_create_window_checked(x.Handle, 0, _window, x.Root, -10, -10, 1, 1, 0,
                XcbNative.WindowClassInputOnly, 0, XcbNative.CwEventMask, &mask)))
            {
                x.Dispose();
                SetState(ClipboardDirections.None, $"the X server {_display} refused the clipboard's window");
                return false;
            }
            bool watched = x.XfixesEvent >= 0;
            foreach (uint selection in Selections())
            {
                watched &= x.Check(XcbNative.xcb_xfixes_select_selection_input_checked(x.Handle, _window, selection,
                    XcbNative.XfixesSetSelectionOwnerNotifyMask | XcbNative.XfixesSelectionWindowDestroyNotifyMask | XcbNative.XfixesSelectionClientCloseNotifyMask));
            }
            uint maxUnits = XcbNative.xcb_get_maximum_request_length(x.Handle);
            _chunk = (int)Math.Clamp((long)maxUnits * 4 - 64, 1024, MaxChunk);
            _x = x;
            _lastProblem = null;
            LogConnected(_display, watched, _chunk);
            SetState(watched ? ClipboardDirections.Both : ClipboardDirections.ToGuest,
                watched ? null : $"the X server {_display} has no XFixes selection events: text copied in the guest cannot be seen");
            if (watched)
            {
                foreach (uint selection in Selections())
                {
                    FetchCurrent(x, selection); // what the guest holds already, for viewers who join
                }
            }
            x.Flush();
            return true;
        }
        finally
        {
            _deadline.Disarm();
        }
    }

    private void FetchCurrent(X11Connection x, uint selection, bool retry = false)
    {
        byte* reply = XcbNative.xcb_get_selection_owner_reply(x.Handle, XcbNative.xcb_get_selection_owner(x.Handle, selection), 0);
        if (reply == null)
        {
            return;
        }
        uint owner = BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(reply + 8, 4));
        NativeMemory.Free(reply);
        if (owner != 0 && owner != _window)
        {
            StartFetch(x, selection, 0, retry);
        }
    }

    /// <summary>One turn of the loop: texts to own, events, timeouts; then a wait on the connection and the wake.</summary>
    private void Serve()
    {
        X11Connection x = _x!;
        while (_sets.TryDequeue(out var set))
        {
            Own(x, set.Text, set.Done);
        }
        _deadline.Arm("a clipboard request", PeerTimeout);
        try
        {
            while (true)
            {
                byte* e = x.NextEvent();
                if (e == null)
                {
                    break;
                }
                try
                {
                    Handle(x, e);
                }
                finally
                {
                    NativeMemory.Free(e);
                }
            }
            ExpireStale(x);
            x.Flush();
        }
        finally
        {
            _deadline.Disarm();
        }
        if (x.HasFailed)
        {
            LogDisconnected(_display);
            Drop();
            SetState(ClipboardDirections.None, $"waiting for X server: {_display} closed the connection");
            return;
        }
        x.Wait(_retries.Count > 0 ? RetryFetchAfter : TimeSpan.FromSeconds(1), _wake);
    }

    private void Own(X11Connection x, string text, TaskCompletionSource<bool> done)
    {
        byte[] utf8 = ClipboardText.Encode(text);
        bool all = true;
        _deadline.Arm("SetSelectionOwner", PeerTimeout);
        try
        {
            foreach (uint selection in Selections())
            {
                _ = XcbNative.xcb_set_selection_owner(x.Handle, _window, selection, 0);
                byte* reply = XcbNative.xcb_get_selection_owner_reply(x.Handle, XcbNative.xcb_get_selection_owner(x.Handle, selection), 0);
                uint owner = 0;
                if (reply != null)
                {
                    owner = BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(reply + 8, 4));
                    NativeMemory.Free(reply);
                }
                if (owner == _window)
                {
                    _owned[selection] = new Owned(utf8);
                    _fetches.Remove(selection); // our own text now: what another owner was sending is stale
                    _retries.Remove(selection);
                }
                else
                {
                    all = false;
                }
            }
        }
        finally
        {
            _deadline.Disarm();
        }
        LogOwned(_display, utf8.Length, all);
        done.TrySetResult(all);
    }

    private void Handle(X11Connection x, byte* e)
    {
        var ev = new ReadOnlySpan<byte>(e, 32);
        int type = ev[0] & 0x7F;
        if (type == 0)
        {
            return; // an error for an unchecked request (a requestor window that went away): nothing to do
        }
        if (x.XfixesEvent >= 0 && type == x.XfixesEvent)
        {
            uint owner = U32(ev, 8), selection = U32(ev, 12);
            if (owner != _window && owner != 0 && IsWatched(selection))
            {
                _owned.Remove(selection);
                // A fetch from the owner before is given up (that owner is often gone: xclip exits
                // when it loses the selection) and this one's text asked for on another property.
                StartFetch(x, selection, 0); // CurrentTime, as xclip asks: an owner compares it with its own ownership time
            }
            return;
        }
        switch (type)
        {
            case XcbNative.SelectionNotify:
                OnSelectionNotify(x, U32(ev, 8), U32(ev, 12), U32(ev, 16), U32(ev, 20));
                break;
            case XcbNative.SelectionRequest:
                OnSelectionRequest(x, U32(ev, 4), U32(ev, 12), U32(ev, 16), U32(ev, 20), U32(ev, 24));
                break;
            case XcbNative.SelectionClear:
                _owned.Remove(U32(ev, 12));
                break;
            case XcbNative.PropertyNotify:
                OnPropertyNotify(x, U32(ev, 4), U32(ev, 8), ev[16]);
                break;
        }
    }

    /// <summary>
    /// The fetch for <paramref name="selection"/> got no answer, a refusal or an unreadable property:
    /// it is over, and unless it was the retry itself, the owner of then is asked once more shortly.
    /// </summary>
    private void GiveUp(uint selection)
    {
        if (_fetches.Remove(selection, out Fetch? fetch) && !fetch.Retry && !_owned.ContainsKey(selection))
        {
            _retries[selection] = _time.GetTimestamp();
        }
    }

    /// <summary>The fetch for <paramref name="selection"/> is over: its text (null: none) goes to subscribers.</summary>
    private void Finish(uint selection, byte[]? bytes, uint type)
    {
        if (_fetches.Remove(selection) && bytes is not null)
        {
            Deliver(bytes, type);
        }
    }

    private void StartFetch(X11Connection x, uint selection, uint timestamp, bool retry = false)
    {
        _retries.Remove(selection);
        uint property = _atoms.Properties[_nextProperty];
        _nextProperty = (_nextProperty + 1) % FetchProperties;
        _ = XcbNative.xcb_delete_property(x.Handle, _window, property);
        _ = XcbNative.xcb_convert_selection(x.Handle, _window, selection, _atoms.Utf8String, property, timestamp);
        _fetches[selection] = new Fetch(selection, property, _atoms.Utf8String, timestamp, _time.GetTimestamp()) { Retry = retry };
    }

    private void OnSelectionNotify(X11Connection x, uint requestor, uint selection, uint target, uint property)
    {
        if (requestor != _window || !_fetches.TryGetValue(selection, out Fetch? fetch) || fetch.Incr)
        {
            return;
        }
        if (property != 0 && property != fetch.Property)
        {
            return; // the late answer of a fetch given up
        }
        if (property == 0)
        {
            if (target != fetch.Target)
            {
                return;
            }
            if (target == _atoms.Utf8String)
            {
                // The owner has no UTF8_STRING: ask for STRING (Latin-1) instead.
                _ = XcbNative.xcb_convert_selection(x.Handle, _window, selection, XcbNative.AtomString, fetch.Property, fetch.Timestamp);
                _fetches[selection] = fetch with { Target = XcbNative.AtomString, Started = _time.GetTimestamp() };
            }
            else
            {
                GiveUp(selection); // no text in a form we take (or a late refusal: asked once more)
            }
            return;
        }
        if (!PropertySize(x, _window, fetch.Property, out uint type, out int size))
        {
            GiveUp(selection);
            return;
        }
        if (type == _atoms.Incr)
        {
            // Deleting the INCR property asks for the first piece; each piece comes as a new value.
            _ = XcbNative.xcb_delete_property(x.Handle, _window, fetch.Property);
            _fetches[selection] = fetch with { Incr = true, Buffer = [], Started = _time.GetTimestamp() };
            return;
        }
        if (size > _maxBytes)
        {
            _ = XcbNative.xcb_delete_property(x.Handle, _window, fetch.Property);
            LogGuestTooLarge(_display, size, _maxBytes);
            Finish(selection, null, 0);
            return;
        }
        Finish(selection, ReadProperty(x, _window, fetch.Property, size), type);
    }

    private void OnPropertyNotify(X11Connection x, uint window, uint atom, byte state)
    {
        if (window == _window && state == 0)
        {
            foreach (Fetch fetch in _fetches.Values)
            {
                if (fetch.Incr && fetch.Property == atom)
                {
                    IncrPiece(x, fetch);
                    return;
                }
            }
            return;
        }
        if (state != 1)
        {
            return;
        }
        for (int i = 0; i < _transfers.Count; i++)
        {
            Transfer t = _transfers[i];
            if (t.Requestor == window && t.Property == atom)
            {
                if (SendPiece(x, t))
                {
                    _transfers.RemoveAt(i);
                    StopWatching(x, t.Requestor);
                }
                return;
            }
        }
    }

    private void IncrPiece(X11Connection x, Fetch fetch)
    {
        if (!PropertySize(x, _window, fetch.Property, out uint type, out int size))
        {
            Finish(fetch.Selection, null, 0);
            return;
        }
        if (size == 0)
        {
            // The last, empty piece: the transfer is complete.
            _ = XcbNative.xcb_delete_property(x.Handle, _window, fetch.Property);
            if (fetch.Buffer is null)
            {
                Finish(fetch.Selection, null, 0); // drained: it was over the limit
                return;
            }
            Interlocked.Increment(ref _incrFetched);
            Finish(fetch.Selection, [.. fetch.Buffer], fetch.Type == 0 ? type : fetch.Type);
            return;
        }
        if (fetch.Buffer is null || fetch.Buffer.Count + (long)size > _maxBytes)
        {
            // Over the limit: the rest is taken and thrown away piece by piece (the owner finishes,
            // and no later fetch on this property sees its pieces); nothing is kept.
            if (fetch.Buffer is not null)
            {
                LogGuestTooLarge(_display, fetch.Buffer.Count + (long)size, _maxBytes);
            }
            _ = XcbNative.xcb_delete_property(x.Handle, _window, fetch.Property);
            _fetches[fetch.Selection] = fetch with { Buffer = null, Started = _time.GetTimestamp() };
            return;
        }
        byte[]? bytes = ReadProperty(x, _window, fetch.Property, size); // deletes it: asks for the next piece
        if (bytes is null)
        {
            Finish(fetch.Selection, null, 0);
            return;
        }
        fetch.Buffer.AddRange(bytes);
        _fetches[fetch.Selection] = fetch with { Type = fetch.Type == 0 ? type : fetch.Type, Started = _time.GetTimestamp() };
    }

    /// <summary>A property's type and size in bytes (format 8 only), read without its bytes.</summary>
    private static bool PropertySize(X11Connection x, uint window, uint property, out uint type, out int size)
    {
        type = 0;
        size = 0;
        byte* reply = XcbNative.xcb_get_property_reply(x.Handle, XcbNative.xcb_get_property(x.Handle, 0, window, property, 0, 0, 0), 0);
        if (reply == null)
        {
            return false;
        }
        try
        {
            var r = new ReadOnlySpan<byte>(reply, 32);
            type = U32(r, 8);
            uint after = U32(r, 12);
            if (type == 0 || after > int.MaxValue)
            {
                return false; // no such property, or a size no text has
            }
            size = (int)after;
            return true;
        }
        finally
        {
            NativeMemory.Free(reply);
        }
    }

    /// <summary>A property's <paramref name="size"/> bytes (deleting it), or null when it is not what its size said.</summary>
    private static byte[]? ReadProperty(X11Connection x, uint window, uint property, int size)
    {
        uint units = (uint)((size + 3) / 4);
        byte* reply = XcbNative.xcb_get_property_reply(x.Handle, XcbNative.xcb_get_property(x.Handle, 1, window, property, 0, 0, units), 0);
        if (reply == null)
        {
            return null;
        }
        try
        {
            int format = reply[1];
            int length = XcbNative.xcb_get_property_value_length(reply);
            if (format != 8 || length < 0 || length > size)
            {
                return null;
            }
            return new ReadOnlySpan<byte>(XcbNative.xcb_get_property_value(reply), length).ToArray();
        }
        finally
        {
            NativeMemory.Free(reply);
        }
    }

    private void Deliver(byte[] bytes, uint type)
    {
        string? text;
        if (type == XcbNative.AtomString)
        {
            text = Latin1(bytes);
            if (!ClipboardText.Fits(text, _maxBytes, out _))
            {
                LogGuestTooLarge(_display, bytes.Length * 2, _maxBytes);
                return;
            }
        }
        else
        {
            text = ClipboardText.TryDecode(bytes, _maxBytes, out string? problem);
            if (text is null)
            {
                LogGuestRefused(_display, problem!);
                return;
            }
        }
        LogGuestText(_display, bytes.Length);
        Action<string>[] subscribers;
        lock (_gate)
        {
            subscribers = [.. _subscribers];
        }
        foreach (Action<string> subscriber in subscribers)
        {
            subscriber(text);
        }
    }

    private void OnSelectionRequest(X11Connection x, uint time, uint requestor, uint selection, uint target, uint property)
    {
        if (property == 0)
        {
            property = target; // an obsolete client: the target names the property
        }
        bool answered = _owned.TryGetValue(selection, out Owned? owned) && Answer(x, requestor, target, property, owned!);
        byte* notify = stackalloc byte[32];
        new Span<byte>(notify, 32).Clear();
        notify[0] = XcbNative.SelectionNotify;
        var n = new Span<byte>(notify, 32);
        BinaryPrimitives.WriteUInt32LittleEndian(n[4..], time);
        BinaryPrimitives.WriteUInt32LittleEndian(n[8..], requestor);
        BinaryPrimitives.WriteUInt32LittleEndian(n[12..], selection);
        BinaryPrimitives.WriteUInt32LittleEndian(n[16..], target);
        BinaryPrimitives.WriteUInt32LittleEndian(n[20..], answered ? property : 0);
        _ = XcbNative.xcb_send_event(x.Handle, 0, requestor, 0, notify);
    }

    private bool Answer(X11Connection x, uint requestor, uint target, uint property, Owned owned)
    {
        if (target == _atoms.Targets)
        {
            uint* targets = stackalloc uint[] { _atoms.Targets, _atoms.Utf8String, XcbNative.AtomString, _atoms.Text };
            _ = XcbNative.xcb_change_property(x.Handle, XcbNative.PropModeReplace, requestor, property, XcbNative.AtomAtom, 32, 4, targets);
            return true;
        }
        byte[] data;
        uint type;
        if (target == _atoms.Utf8String || target == _atoms.Text)
        {
            data = owned.Utf8;
            type = _atoms.Utf8String;
        }
        else if (target == XcbNative.AtomString)
        {
            data = owned.Latin1 ??= ToLatin1(owned.Utf8);
            type = XcbNative.AtomString;
        }
        else
        {
            return false;
        }
        if (data.Length <= _chunk)
        {
            fixed (byte* p = data)
            {
                _ = XcbNative.xcb_change_property(x.Handle, XcbNative.PropModeReplace, requestor, property, type, 8, (uint)data.Length, p);
            }
            return true;
        }
        _transfers.RemoveAll(t => t.Requestor == requestor && t.Property == property);
        if (_transfers.Count >= MaxTransfers)
        {
            return false; // a client opening transfers without reading them: refused, the others go on
        }
        // INCR: the requestor deletes the property to ask for each piece, which needs its PropertyNotify.
        uint mask = XcbNative.EventMaskPropertyChange;
        _ = XcbNative.xcb_change_window_attributes(x.Handle, requestor, XcbNative.CwEventMask, &mask);
        uint size = (uint)data.Length;
        _ = XcbNative.xcb_change_property(x.Handle, XcbNative.PropModeReplace, requestor, property, _atoms.Incr, 32, 1, &size);
        _transfers.Add(new Transfer(requestor, property, type, data) { Touched = _time.GetTimestamp() });
        return true;
    }

    /// <summary>The next piece of an INCR transfer, or its empty end; true when the transfer is over.</summary>
    private bool SendPiece(X11Connection x, Transfer t)
    {
        t.Touched = _time.GetTimestamp();
        if (t.Finished)
        {
            Interlocked.Increment(ref _incrServed);
            return true;
        }
        int length = Math.Min(_chunk, t.Data.Length - t.Offset);
        fixed (byte* p = t.Data)
        {
            _ = XcbNative.xcb_change_property(x.Handle, XcbNative.PropModeReplace, t.Requestor, t.Property, t.Type, 8, (uint)length, p + t.Offset);
        }
        t.Offset += length;
        t.Finished = length == 0;
        return false;
    }

    private void StopWatching(X11Connection x, uint requestor)
    {
        foreach (Transfer other in _transfers)
        {
            if (other.Requestor == requestor)
            {
                return;
            }
        }
        uint none = 0;
        _ = XcbNative.xcb_change_window_attributes(x.Handle, requestor, XcbNative.CwEventMask, &none);
    }

    /// <summary>Peers that stopped in the middle (a fetch without answer, an INCR that stalled) are given up.</summary>
    private void ExpireStale(X11Connection x)
    {
        long now = _time.GetTimestamp();
        List<uint>? stale = null;
        foreach (Fetch fetch in _fetches.Values)
        {
            if (_time.GetElapsedTime(fetch.Started, now) > PeerTimeout)
            {
                (stale ??= []).Add(fetch.Selection);
            }
        }
        foreach (uint selection in stale ?? [])
        {
            LogStalled(_display, "a selection owner");
            GiveUp(selection);
        }
        List<uint>? due = null;
        foreach ((uint selection, long givenUp) in _retries)
        {
            if (_time.GetElapsedTime(givenUp, now) >= RetryFetchAfter)
            {
                (due ??= []).Add(selection);
            }
        }
        foreach (uint selection in due ?? [])
        {
            _retries.Remove(selection);
            if (!_fetches.ContainsKey(selection) && !_owned.ContainsKey(selection))
            {
                FetchCurrent(x, selection, retry: true);
            }
        }
        for (int i = _transfers.Count - 1; i >= 0; i--)
        {
            if (_time.GetElapsedTime(_transfers[i].Touched, now) > PeerTimeout)
            {
                Transfer t = _transfers[i];
                _transfers.RemoveAt(i);
                StopWatching(x, t.Requestor);
                LogStalled(_display, "a requestor");
            }
        }
    }

    private IEnumerable<uint> Selections()
    {
        if ((_selections & ClipboardSelections.Clipboard) != 0)
        {
            yield return _atoms.Clipboard;
        }
        if ((_selections & ClipboardSelections.Primary) != 0)
        {
            yield return _atoms.Primary;
        }
    }

    private bool IsWatched(uint selection) =>
        (selection == _atoms.Clipboard && (_selections & ClipboardSelections.Clipboard) != 0)
        || (selection == _atoms.Primary && (_selections & ClipboardSelections.Primary) != 0);

    private static string Latin1(byte[] bytes) => System.Text.Encoding.Latin1.GetString(bytes);

    /// <summary>STRING is ISO 8859-1: characters it lacks become '?'.</summary>
    private static byte[] ToLatin1(byte[] utf8)
    {
        string text = System.Text.Encoding.UTF8.GetString(utf8);
        var bytes = new byte[text.Length];
        int n = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++; // one character outside Latin-1
                bytes[n++] = (byte)'?';
                continue;
            }
            bytes[n++] = c <= 0xFF ? (byte)c : (byte)'?';
        }
        return bytes.AsSpan(0, n).ToArray();
    }

    private static uint U32(ReadOnlySpan<byte> span, int at) => BinaryPrimitives.ReadUInt32LittleEndian(span[at..]);

    private void SetState(ClipboardDirections directions, string? reason)
    {
        bool changed;
        lock (_gate)
        {
            changed = _directions != directions || _reason != reason;
            _directions = directions;
            _reason = reason;
        }
        if (changed)
        {
            Changed?.Invoke();
        }
    }

    private void FailPendingSets()
    {
        while (_sets.TryDequeue(out var set))
        {
            set.Done.TrySetResult(false);
        }
    }

    private void Once(string problem)
    {
        if (_lastProblem != problem)
        {
            _lastProblem = problem;
            LogWaiting(_display, problem);
        }
    }

    private void Drop()
    {
        _fetches.Clear();
        _retries.Clear();
        _transfers.Clear();
        _owned.Clear();
        _x?.Dispose();
        _x = null;
    }

    private void Unsubscribe(Action<string> subscriber)
    {
        lock (_gate)
        {
            _subscribers.Remove(subscriber);
        }
    }

    public void Dispose()
    {
        Thread? thread;
        lock (_gate)
        {
            _stopping = true;
            thread = _thread;
        }
        _deadline.Interrupt();
        _wake.Set();
        thread?.Join(TimeSpan.FromSeconds(5));
        if (thread is null || !thread.IsAlive)
        {
            _deadline.Dispose();
            _wake.Dispose();
        }
        FailPendingSets();
    }

    private sealed class Subscription(X11Clipboard owner, Action<string> subscriber) : IDisposable
    {
        public void Dispose() => owner.Unsubscribe(subscriber);
    }

    /// <summary>A text being fetched from a selection's owner (INCR: <see cref="Buffer"/> holds the pieces so far).</summary>
    private sealed record Fetch(uint Selection, uint Property, uint Target, uint Timestamp, long Started)
    {
        /// <summary>The second ask after a fetch got nothing: not retried again.</summary>
        public bool Retry { get; init; }

        public bool Incr { get; init; }

        public List<byte>? Buffer { get; init; }

        public uint Type { get; init; }
    }

    /// <summary>Our text as a selection owner: UTF-8, and its Latin-1 form once a client asked for STRING.</summary>
    private sealed class Owned(byte[] utf8)
    {
        public byte[] Utf8 { get; } = utf8;

        public byte[]? Latin1 { get; set; }
    }

    /// <summary>An INCR transfer to a requestor, one piece per deletion of its property.</summary>
    private sealed class Transfer(uint requestor, uint property, uint type, byte[] data)
    {
        public uint Requestor { get; } = requestor;

        public uint Property { get; } = property;

        public uint Type { get; } = type;

        public byte[] Data { get; } = data;

        public int Offset { get; set; }

        public bool Finished { get; set; }

        public long Touched { get; set; }
    }

    /// <summary>The atoms the clipboard speaks in, interned once per connection.</summary>
    private struct Atoms
    {
        public uint Clipboard, Primary, Targets, Utf8String, Text, Incr;

        /// <summary>The <see cref="FetchProperties"/> properties fetches take turns on.</summary>
        public uint[] Properties;

        public static Atoms Intern(X11Connection x)
        {
            string[] names = ["CLIPBOARD", "PRIMARY", "TARGETS", "UTF8_STRING", "TEXT", "INCR", .. Enumerable.Range(0, FetchProperties).Select(i => $"WEBCONSOLE_SELECTION_{i}")];
            Span<uint> cookies = stackalloc uint[names.Length];
            for (int i = 0; i < names.Length; i++)
            {
                byte[] name = System.Text.Encoding.ASCII.GetBytes(names[i]);
                fixed (byte* p = name)
                {
                    cookies[i] = XcbNative.xcb_intern_atom(x.Handle, 0, (ushort)name.Length, p);
                }
            }
            Span<uint> atoms = stackalloc uint[names.Length];
            for (int i = 0; i < names.Length; i++)
            {
                byte* reply = XcbNative.xcb_intern_atom_reply(x.Handle, cookies[i], 0);
                if (reply != null)
                {
                    atoms[i] = BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(reply + 8, 4));
                    NativeMemory.Free(reply);
                }
            }
            // PRIMARY is predefined (1); the server answers the same.
            return new Atoms
            {
                Clipboard = atoms[0], Primary = atoms[1] != 0 ? atoms[1] : 1, Targets = atoms[2], Utf8String = atoms[3], Text = atoms[4],
                Incr = atoms[5], Properties = atoms[6..].ToArray(),
            };
        }
    }
}
