using System.Buffers;
using System.Net.WebSockets;

namespace WebConsole.Streaming;

/// <summary>
/// A WebSocket that sends each message as one frame. SignalR hands its WebSocket a message as the
/// 4 KB segments of its pipe, and sends each segment as a frame of its own: a 600 KB update left as
/// about 150 frames, and Chromium handles every frame separately on its way from the network
/// process to the page. The pieces of a message are gathered here (in a reused buffer) and go out
/// together when the message ends.
/// </summary>
internal sealed class WholeMessageWebSocket(WebSocket inner) : WebSocket
{
    private byte[] _pending = [];
    private int _length;

    public override WebSocketCloseStatus? CloseStatus => inner.CloseStatus;

    public override string? CloseStatusDescription => inner.CloseStatusDescription;

    public override WebSocketState State => inner.State;

    public override string? SubProtocol => inner.SubProtocol;

    public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
        SendAsync(buffer.AsMemory(), messageType, endOfMessage, cancellationToken).AsTask();

    public override ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
    {
        if (_length == 0 && endOfMessage)
        {
            return inner.SendAsync(buffer, messageType, endOfMessage: true, cancellationToken);
        }
        Append(buffer.Span);
        if (!endOfMessage)
        {
            return ValueTask.CompletedTask;
        }
        return SendPendingAsync(messageType, cancellationToken);
    }

    public override ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, WebSocketMessageFlags messageFlags, CancellationToken cancellationToken) =>
        SendAsync(buffer, messageType, (messageFlags & WebSocketMessageFlags.EndOfMessage) != 0, cancellationToken);

    private async ValueTask SendPendingAsync(WebSocketMessageType messageType, CancellationToken cancellationToken)
    {
        try
        {
            await inner.SendAsync(_pending.AsMemory(0, _length), messageType, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _length = 0;
        }
    }

    private void Append(ReadOnlySpan<byte> data)
    {
        if (_pending.Length - _length < data.Length)
        {
            byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(_length + data.Length, 2 * _pending.Length));
            _pending.AsSpan(0, _length).CopyTo(larger);
            if (_pending.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_pending);
            }
            _pending = larger;
        }
        data.CopyTo(_pending.AsSpan(_length));
        _length += data.Length;
    }

    public override Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken) =>
        inner.ReceiveAsync(buffer, cancellationToken);

    public override ValueTask<ValueWebSocketReceiveResult> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        inner.ReceiveAsync(buffer, cancellationToken);

    public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
        inner.CloseAsync(closeStatus, statusDescription, cancellationToken);

    public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
        inner.CloseOutputAsync(closeStatus, statusDescription, cancellationToken);

    public override void Abort() => inner.Abort();

    public override void Dispose()
    {
        inner.Dispose();
        if (_pending.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_pending);
            _pending = [];
        }
    }
}
