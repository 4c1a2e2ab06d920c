using WebConsole.Sources.Qemu;

namespace WebConsole.Tests.Sources.Qemu;

/// <summary>What a peer's sizes can make a <see cref="DBusConnection"/> buffer.</summary>
public sealed class DBusConnectionLimitTests
{
    [Fact]
    public void MessageOverTheLimit_IsSkippedUnbuffered_AndTheNextOneIsRead()
    {
        const int Limit = 64 * 1024;
        const int Claimed = 64 * 1024 * 1024;
        Assert.Equal(0, QemuNative.SocketPair(out int ours, out int theirs));
        using var connection = new DBusConnection(ours, Limit);
        var message = new DBusMessage();
        var writer = new DBusMessageWriter();
        var sender = new Thread(() =>
        {
            // A header that claims 64 MiB, the 64 MiB, then a small valid call.
            writer.BeginMethodCall(1, null, DBusNames.ListenerPath, DBusNames.ListenerInterface, "Update", "ay", noReply: true);
            writer.WriteUInt32(Claimed - 4);
            ReadOnlySpan<byte> header = writer.Finish();
            byte[] first = header.ToArray();
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(first.AsSpan(4), Claimed);
            QemuNative.Send(theirs, first);
            byte[] chunk = new byte[1 << 20];
            int left = Claimed - 4;
            while (left > 0)
            {
                int n = Math.Min(left, chunk.Length);
                QemuNative.Send(theirs, chunk.AsSpan(0, n));
                left -= n;
            }
            writer.BeginMethodCall(2, null, DBusNames.ListenerPath, DBusNames.PeerInterface, "Ping", "", noReply: true);
            QemuNative.Send(theirs, writer.Finish());
        })
        { IsBackground = true };
        sender.Start();
        try
        {
            Assert.True(connection.TryReceive(message, 10_000, out string? rejection));
            Assert.Equal($"message body of {Claimed} bytes is over the limit of {Limit}", rejection);
            Assert.True(connection.TryReceive(message, 10_000, out rejection), rejection);
            Assert.Null(rejection);
            Assert.Equal("Ping", message.Member);
            // Read through and forgotten: the buffer never held more than its first 64 KiB.
            Assert.Equal(64 * 1024, connection.BufferCapacity);
            Assert.True(connection.BytesReceived > Claimed);
        }
        finally
        {
            Assert.True(sender.Join(10_000));
            message.Reset();
            QemuNative.Close(theirs);
        }
    }
}
