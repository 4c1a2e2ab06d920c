using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using WebConsole.Hubs;

namespace WebConsole.Tests.Streaming;

/// <summary>The server's MessagePack protocol, counting how often a live <c>Update</c> invocation (not a lossless refresh) is serialized.</summary>
internal sealed class CountingHubProtocol(IHubProtocol inner) : IHubProtocol
{
    private long _updates;

    public long UpdateSerializations => Interlocked.Read(ref _updates);

    public string Name => inner.Name;

    public int Version => inner.Version;

    public TransferFormat TransferFormat => inner.TransferFormat;

    public bool IsVersionSupported(int version) => inner.IsVersionSupported(version);

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message) =>
        inner.TryParseMessage(ref input, binder, out message);

    public void WriteMessage(HubMessage message, IBufferWriter<byte> output)
    {
        Count(message);
        inner.WriteMessage(message, output);
    }

    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message)
    {
        Count(message);
        return inner.GetMessageBytes(message);
    }

    private void Count(HubMessage message)
    {
        if (message is InvocationMessage { Target: ConsoleClientMethods.Update } invocation &&
            invocation.Arguments is [UpdateMessage { Refresh: false }])
        {
            Interlocked.Increment(ref _updates);
        }
    }
}
