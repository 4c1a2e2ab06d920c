namespace WebConsole.Streaming;

/// <summary>
/// A clipboard text arriving from one viewer in pieces (a hub message holds at most
/// Security:MaxMessageBytes): the first piece names the whole size, which is checked against the
/// limit before the buffer is allocated; each piece must follow the last. One per connection
/// (SignalR runs a connection's calls one at a time).
/// </summary>
internal sealed class ClipboardUpload
{
    public const string ItemKey = "webconsole.clipboard";

    private byte[] _buffer = [];
    private int _received;
    private int _total = -1;

    /// <summary>The whole text has arrived.</summary>
    public bool Complete => _total >= 0 && _received == _total;

    public ReadOnlySpan<byte> Bytes => _buffer.AsSpan(0, _received);

    /// <summary>
    /// Adds <paramref name="data"/> at <paramref name="offset"/> of a text of <paramref name="total"/>
    /// bytes; offset 0 starts a new text. False with the problem (sizes only) when the piece does not
    /// fit: the text is over <paramref name="maxBytes"/>, or the piece is out of place or too long.
    /// </summary>
    public bool TryAppend(long offset, int total, ReadOnlySpan<byte> data, int maxBytes, out string? problem, out bool tooLarge)
    {
        tooLarge = false;
        if (offset == 0)
        {
            Reset();
            if (total < 0 || total > maxBytes)
            {
                tooLarge = total > maxBytes;
                problem = total < 0 ? "clipboard text size must not be negative" : $"clipboard text of {total} bytes is over the limit of {maxBytes} bytes";
                return false;
            }
            _total = total;
            _buffer = total == 0 ? [] : new byte[total];
        }
        else if (_total < 0 || offset != _received || total != _total)
        {
            Reset();
            problem = "clipboard piece out of order: start again at offset 0";
            return false;
        }
        if (data.Length > _total - _received)
        {
            Reset();
            problem = $"clipboard piece of {data.Length} bytes overruns the announced {total} bytes";
            return false;
        }
        data.CopyTo(_buffer.AsSpan(_received));
        _received += data.Length;
        problem = null;
        return true;
    }

    public void Reset()
    {
        _buffer = [];
        _received = 0;
        _total = -1;
    }
}
