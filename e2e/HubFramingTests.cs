using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Xunit.Abstractions;

namespace WebConsole.E2E;

/// <summary>
/// What the hub puts on the wire, read with a raw WebSocket client: each SignalR message is one
/// WebSocket frame. SignalR alone sent a large update as one frame per 4 KB pipe segment, and
/// Chromium's cost per frame made full-screen updates slow to reach the page.
/// </summary>
public sealed class HubFramingTests(ITestOutputHelper output)
{
    [Fact]
    public async Task AFullFrameUpdate_TravelsAsOneWebSocketFrame()
    {
        using var region = new TempRegion("framing");
        using var producer = new TestProducer(region.Path, Scenes.Width, Scenes.Height);
        producer.Publish(Scenes.Pattern());
        await using var server = await WebConsoleServer.StartAsync([ServerConsole.Region("framing", region.Path)], output);

        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port);
        NetworkStream stream = tcp.GetStream();
        stream.ReadTimeout = 20_000;
        string key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"GET /hubs/console HTTP/1.1\r\nHost: {server.BaseAddress.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"));
        Assert.StartsWith("HTTP/1.1 101", ReadHeaders(stream));

        SendFrame(stream, 0x1, Encoding.UTF8.GetBytes("{\"protocol\":\"messagepack\",\"version\":1}\u001e"));
        // MessagePack invocation [1, {}, "1", "Join", ["framing"], []] with its VarInt length prefix.
        byte[] join = [0x96, 0x01, 0x80, 0xA1, (byte)'1', 0xA4, .. "Join"u8, 0x91, 0xA7, .. "framing"u8, 0x90];
        SendFrame(stream, 0x2, [(byte)join.Length, .. join]);

        // Messages until the full frame (about 12 KB of PNG and JPEG): the first one larger than two
        // of SignalR's 4 KB pipe segments, which SignalR alone would send as three frames or more.
        for (int i = 0; i < 10; i++)
        {
            (int frames, long bytes) = ReadMessage(stream);
            output.WriteLine($"message: {frames} frame(s), {bytes} bytes");
            if (bytes > 8 * 1024)
            {
                Assert.Equal(1, frames);
                return;
            }
        }
        Assert.Fail("no full-frame update arrived");
    }

    private static string ReadHeaders(Stream stream)
    {
        var text = new StringBuilder();
        while (!text.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            int b = stream.ReadByte();
            Assert.NotEqual(-1, b);
            text.Append((char)b);
        }
        return text.ToString();
    }

    private static void SendFrame(Stream stream, byte opcode, byte[] payload)
    {
        Assert.True(payload.Length < 126);
        byte[] mask = RandomNumberGenerator.GetBytes(4);
        byte[] frame = [(byte)(0x80 | opcode), (byte)(0x80 | payload.Length), .. mask, .. payload.Select((b, i) => (byte)(b ^ mask[i % 4]))];
        stream.Write(frame);
    }

    /// <summary>Reads frames up to the end of one message: how many frames it took, and its payload bytes.</summary>
    private static (int Frames, long Bytes) ReadMessage(Stream stream)
    {
        int frames = 0;
        long bytes = 0;
        while (true)
        {
            byte[] head = ReadExactly(stream, 2);
            long length = head[1] & 0x7F;
            if (length == 126)
            {
                length = BinaryPrimitives.ReadUInt16BigEndian(ReadExactly(stream, 2));
            }
            else if (length == 127)
            {
                length = (long)BinaryPrimitives.ReadUInt64BigEndian(ReadExactly(stream, 8));
            }
            ReadExactly(stream, checked((int)length));
            frames++;
            bytes += length;
            if ((head[0] & 0x80) != 0)
            {
                return (frames, bytes);
            }
        }
    }

    private static byte[] ReadExactly(Stream stream, int count)
    {
        byte[] buffer = new byte[count];
        stream.ReadExactly(buffer);
        return buffer;
    }
}
