using Microsoft.AspNetCore.SignalR;
using WebConsole.Consoles;
using WebConsole.Input;
using WebConsole.Region;
using WebConsole.Security;
using WebConsole.Sources.Clipboard;
using WebConsole.Streaming;

namespace WebConsole.Hubs;

/// <summary>
/// The SignalR hub viewers connect to (MessagePack protocol): <c>Join(consoleId)</c>, then
/// <c>Update</c>/<c>Resize</c>/<c>State</c>/<c>Cursor</c>/<c>Clipboard</c>/<c>ClipboardState</c> from the
/// server and <c>Ack(frameId)</c>, <c>Input(events)</c>, <c>TypeText(text)</c>,
/// <c>SetClipboard(offset, total, data)</c> and <c>Ping()</c> from the viewer.
/// </summary>
internal sealed class ConsoleHub(ConsoleCatalog catalog, ClientRefusals refusals) : Hub
{
    private const string SessionKey = "console";

    /// <summary>Starts watching a console; a full frame follows.</summary>
    public JoinResult Join(string consoleId)
    {
        if (!catalog.TryGet(consoleId ?? "", out ConsoleSession? session))
        {
            refusals.Add(ClientRefusal.UnknownConsole);
            throw new ClientRefusedException($"unknown console '{consoleId}'");
        }
        // Joining the console it already watches starts this viewer over (a whole frame follows)
        // without leaving first: the console keeps capturing instead of stopping and starting again.
        if (Current() is { } old && !ReferenceEquals(old, session))
        {
            old.RemoveViewer(Context.ConnectionId);
        }
        Context.Items[SessionKey] = session;
        return session!.AddViewer(Context.ConnectionId, Context.Abort, Grant()?.Clipboard ?? ClipboardDirections.None);
    }

    /// <summary>The viewer has drawn update <paramref name="frameId"/>.</summary>
    public void Ack(long frameId)
    {
        Current()?.Acknowledge(Context.ConnectionId, frameId);
    }

    /// <summary>
    /// Keyboard, pointer and wheel events for the joined console, in order. Events that no keyboard
    /// or mouse could produce are dropped (counted, see <see cref="ClientRefusals"/>); more than <see cref="InputLimits.MaxEvents"/>
    /// in one call is refused whole.
    /// </summary>
    [RequiresControl]
    public void Input(InputMessage[] events)
    {
        ConsoleSession session = JoinedSession();
        if (events is null || events.Length > InputLimits.MaxEvents)
        {
            refusals.Add(ClientRefusal.TooManyEvents);
            throw new ClientRefusedException($"at most {InputLimits.MaxEvents} input events per call");
        }
        Span<InputEvent> valid = stackalloc InputEvent[events.Length];
        int count = 0;
        string? firstProblem = null;
        foreach (InputMessage message in events)
        {
            InputEvent? e = InputTranslator.Translate(message, out string? problem);
            if (e is null)
            {
                firstProblem ??= problem;
                continue;
            }
            valid[count++] = e.Value;
        }
        if (firstProblem is not null)
        {
            refusals.Add(ClientRefusal.InvalidInput);
        }
        int sent = session.SendInput(valid[..count]);
        if (sent < count)
        {
            refusals.Add(ClientRefusal.InputRingFull); // the producer is slow or gone: the rest is dropped, counted
        }
    }

    /// <summary>
    /// Types <paramref name="text"/> as key presses on a US layout (see <see cref="TextKeys"/>), waiting
    /// for the producer to drain its input ring as needed. Refused whole when a character has no key.
    /// </summary>
    [RequiresControl]
    public async Task TypeText(string text)
    {
        ConsoleSession session = JoinedSession();
        if (text is null || text.Length > InputLimits.MaxTextLength)
        {
            refusals.Add(ClientRefusal.TextTooLong);
            throw new ClientRefusedException($"text must be at most {InputLimits.MaxTextLength} characters");
        }
        var keys = new List<InputEvent>(text.Length * 4);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\r')
            {
                if (i + 1 < text.Length && text[i + 1] == '\n')
                {
                    continue; // CR LF is one Enter
                }
                c = '\n';
            }
            if (!TextKeys.TryGetKey(c, out ushort code, out bool shift))
            {
                refusals.Add(ClientRefusal.Untypable);
                throw new ClientRefusedException($"cannot type U+{(int)c:X4} at position {i}: only printable ASCII, tab and newline");
            }
            if (shift)
            {
                keys.Add(InputEvent.Key(TextKeys.LeftShift, true));
            }
            keys.Add(InputEvent.Key(code, true));
            keys.Add(InputEvent.Key(code, false));
            if (shift)
            {
                keys.Add(InputEvent.Key(TextKeys.LeftShift, false));
            }
        }
        InputEvent[] all = keys.ToArray();
        int done = 0;
        DateTime stalledSince = DateTime.UtcNow;
        while (done < all.Length)
        {
            int sent = session.SendInput(all.AsSpan(done));
            done += sent;
            if (done == all.Length)
            {
                break;
            }
            if (sent > 0)
            {
                stalledSince = DateTime.UtcNow;
            }
            else if (DateTime.UtcNow - stalledSince > InputLimits.RingStall)
            {
                refusals.Add(ClientRefusal.InputRingFull);
                throw new ClientRefusedException($"the console's input ring stayed full for {InputLimits.RingStall.TotalSeconds:F0} s; {done} of {all.Length} key events were typed, the rest was not");
            }
            await Task.Delay(5, Context.ConnectionAborted);
        }
    }

    /// <summary>How long setting the guest's clipboard may take before the call gives up.</summary>
    private static readonly TimeSpan ClipboardWait = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Browser to guest: the guest's clipboard becomes a text of <paramref name="total"/> UTF-8 bytes
    /// sent in pieces (<paramref name="data"/> at <paramref name="offset"/>; offset 0 starts a text).
    /// Returns false while pieces are missing and true once the guest has the whole text, so a paste
    /// key sent afterwards pastes it. Refused (with the reason, counted, never logged with the text)
    /// without the ToGuest direction (view access never has it), over Clipboard:MaxBytes, not UTF-8,
    /// or over the viewer's rate (Clipboard:BytesPerSecond, Clipboard:TextsPerSecond).
    /// </summary>
    public async Task<bool> SetClipboard(long offset, int total, byte[] data)
    {
        ConsoleSession session = JoinedSession();
        ConnectionGrant? grant = Grant();
        ClipboardRelay clipboard = session.Clipboard;
        ClipboardDirections access = grant?.Clipboard ?? ClipboardDirections.None;
        if ((clipboard.For(access) & ClipboardDirections.ToGuest) == 0)
        {
            refusals.Add(ClientRefusal.ClipboardDenied);
            throw new ClientRefusedException($"clipboard refused: {clipboard.WhyNot(access)}");
        }
        data ??= [];
        if (grant?.ClipboardBytes is not { } bytes || grant.ClipboardTexts is not { } texts
            || !bytes.TryTake(data.Length + 1024) || (offset == 0 && !texts.TryTake(1)))
        {
            Upload().Reset();
            refusals.Add(ClientRefusal.ClipboardRate);
            throw new ClientRefusedException("clipboard refused: too many clipboard texts or bytes in a short time; try again in a second");
        }
        ClipboardUpload upload = Upload();
        if (!upload.TryAppend(offset, total, data, clipboard.MaxBytes, out string? problem, out bool tooLarge))
        {
            refusals.Add(tooLarge ? ClientRefusal.ClipboardTooLarge : ClientRefusal.ClipboardInvalid);
            throw new ClientRefusedException($"clipboard refused: {problem}");
        }
        if (!upload.Complete)
        {
            return false;
        }
        string? text = ClipboardText.TryDecode(upload.Bytes, clipboard.MaxBytes, out problem);
        int size = upload.Bytes.Length;
        upload.Reset();
        if (text is null)
        {
            refusals.Add(ClientRefusal.ClipboardInvalid);
            throw new ClientRefusedException($"clipboard refused: {problem}");
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Context.ConnectionAborted);
        timeout.CancelAfter(ClipboardWait);
        bool set;
        try
        {
            set = await clipboard.SetTextAsync(text, size, Context.ConnectionId, timeout.Token);
        }
        catch (OperationCanceledException) when (!Context.ConnectionAborted.IsCancellationRequested)
        {
            set = false;
        }
        if (!set)
        {
            throw new ClientRefusedException("clipboard not set: the guest's clipboard did not take the text in time");
        }
        return true;
    }

    /// <summary>Answers at once (with the connection id); viewers time it for the round trip in their statistics.</summary>
    public string Ping() => Context.ConnectionId;

    private ConnectionGrant? Grant() =>
        Context.Items.TryGetValue(ConnectionGrant.ItemKey, out object? value) ? value as ConnectionGrant : null;

    private ClipboardUpload Upload()
    {
        if (Context.Items.TryGetValue(ClipboardUpload.ItemKey, out object? value) && value is ClipboardUpload upload)
        {
            return upload;
        }
        upload = new ClipboardUpload();
        Context.Items[ClipboardUpload.ItemKey] = upload;
        return upload;
    }

    private ConsoleSession JoinedSession()
    {
        if (Current() is { } session)
        {
            return session;
        }
        refusals.Add(ClientRefusal.NotJoined);
        throw new ClientRefusedException("join a console first");
    }

    /// <summary>The session serving the joined console now: a console whose source changed is served by the session its viewers moved to.</summary>
    private ConsoleSession? Current()
    {
        if (!Context.Items.TryGetValue(SessionKey, out object? value) || value is not ConsoleSession session)
        {
            return null;
        }
        if (session.Successor is not null)
        {
            while (session.Successor is { } next)
            {
                session = next;
            }
            Context.Items[SessionKey] = session;
        }
        return session;
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        Current()?.RemoveViewer(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }
}
