using System.Net.WebSockets;
using WebConsole.Streaming;

namespace WebConsole.Tests.Streaming;

public sealed class WholeMessageWebSocketTests
{
    /// <summary>Records what reaches the real WebSocket: one entry per frame.</summary>
    private sealed class RecordingWebSocket : WebSocket
    {
        public List<(byte[] Data, WebSocketMessageType Type, bool End)> Sent { get; } = [];

        public override WebSocketCloseStatus? CloseStatus => null;

        public override string? CloseStatusDescription => null;

        public override WebSocketState State => WebSocketState.Open;

        public override string? SubProtocol => null;

        public override ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
        {
            Sent.Add((buffer.ToArray(), messageType, endOfMessage));
            return ValueTask.CompletedTask;
        }

        public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
            SendAsync(buffer.AsMemory(), messageType, endOfMessage, cancellationToken).AsTask();

        public override Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken) => throw new NotSupportedException();

        public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => Task.CompletedTask;

        public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => Task.CompletedTask;

        public override void Abort()
        {
        }

        public override void Dispose()
        {
        }
    }

    private static byte[] Bytes(int length, byte seed) => [.. Enumerable.Range(0, length).Select(i => (byte)(seed + i))];

    [Fact]
    public async Task AMessageSentInPieces_LeavesAsOneFrame_WithEveryByteInOrder()
    {
        var inner = new RecordingWebSocket();
        using var socket = new WholeMessageWebSocket(inner);
        byte[] a = Bytes(4096, 1), b = Bytes(4096, 50), c = Bytes(1000, 200);

        await socket.SendAsync(a, WebSocketMessageType.Binary, endOfMessage: false, default);
        await socket.SendAsync(b, WebSocketMessageType.Binary, endOfMessage: false, default);
        Assert.Empty(inner.Sent);
        await socket.SendAsync(c, WebSocketMessageType.Binary, endOfMessage: true, default);

        (byte[] data, WebSocketMessageType type, bool end) = Assert.Single(inner.Sent);
        Assert.Equal([.. a, .. b, .. c], data);
        Assert.Equal(WebSocketMessageType.Binary, type);
        Assert.True(end);
    }

    [Fact]
    public async Task AWholeMessage_PassesStraightThrough_AndTheNextMessageStartsEmpty()
    {
        var inner = new RecordingWebSocket();
        using var socket = new WholeMessageWebSocket(inner);

        await socket.SendAsync(Bytes(3, 7), WebSocketMessageType.Binary, WebSocketMessageFlags.EndOfMessage, default);
        await socket.SendAsync(Bytes(5000, 9), WebSocketMessageType.Binary, endOfMessage: false, default);
        await socket.SendAsync(Bytes(10, 11), WebSocketMessageType.Binary, endOfMessage: true, default);
        await socket.SendAsync(Bytes(2, 13), WebSocketMessageType.Binary, endOfMessage: false, default);
        await socket.SendAsync(Bytes(2, 15), WebSocketMessageType.Binary, endOfMessage: true, default);

        Assert.Equal([3, 5010, 4], inner.Sent.Select(s => s.Data.Length));
        Assert.All(inner.Sent, s => Assert.True(s.End));
        Assert.Equal([13, 14, 15, 16], inner.Sent[2].Data);
    }
}
