using WebConsole.Sources.Qemu;

namespace WebConsole.Tests.Sources.Qemu;

/// <summary>The libc wrappers the qemu source passes descriptors with.</summary>
public sealed class QemuNativeTests
{
    [Fact]
    public void Send_WithADescriptor_PassesExactlyThatOne()
    {
        Assert.Equal(0, QemuNative.SocketPair(out int sender, out int receiver));
        Assert.Equal(0, QemuNative.SocketPair(out int passed, out int other));
        var fds = new Queue<int>();
        try
        {
            Assert.Equal(0, QemuNative.Send(sender, "x"u8, passed));
            Span<byte> buffer = stackalloc byte[16];
            Assert.True(QemuNative.WaitReadable(receiver, 5000));
            Assert.Equal(0, QemuNative.Receive(receiver, buffer, fds, out int received, out int dropped));
            Assert.Equal(1, received);
            Assert.Equal(0, dropped);
            // One descriptor, and it is the socket sent (a second one was descriptor 0, our stdin).
            Assert.Single(fds);
            Assert.Equal(0, QemuNative.Send(fds.Peek(), "y"u8));
            Assert.True(QemuNative.WaitReadable(other, 5000));
            Assert.Equal(0, QemuNative.Receive(other, buffer, fds, out received, out _));
            Assert.Equal(1, received);
            Assert.Equal((byte)'y', buffer[0]);
        }
        finally
        {
            while (fds.Count > 0)
            {
                QemuNative.Close(fds.Dequeue());
            }
            QemuNative.Close(sender);
            QemuNative.Close(receiver);
            QemuNative.Close(passed);
            QemuNative.Close(other);
        }
    }
}
