using System.Buffers.Binary;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using WebConsole.Region;
using WebConsole.Sources.X11;

namespace WebConsole.Tests.Sources;

/// <summary>
/// A hostile "X server" on a display socket answers the connection setup with sizes its own bytes
/// do not hold: the x11 source reports it and keeps waiting, it never throws or reads out of bounds.
/// </summary>
public sealed class X11SetupTests
{
    /// <summary>The 8-byte success header and <paramref name="body"/> (padded to 4), as an X server answers the setup request.</summary>
    private static byte[] SetupReply(byte[] body)
    {
        int padded = (body.Length + 3) & ~3;
        var reply = new byte[8 + padded];
        reply[0] = 1; // success
        BinaryPrimitives.WriteUInt16LittleEndian(reply.AsSpan(2), 11);
        BinaryPrimitives.WriteUInt16LittleEndian(reply.AsSpan(6), (ushort)(padded / 4));
        body.CopyTo(reply, 8);
        return reply;
    }

    /// <summary>The fixed 32 bytes after the header: no vendor, <paramref name="screens"/> roots, <paramref name="formats"/> pixmap formats.</summary>
    private static byte[] Fixed(int screens, int formats)
    {
        var body = new byte[32];
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(4), 0x00200000); // resource id base
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(8), 0x001FFFFF); // resource id mask
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(18), 65535); // maximum request length
        body[20] = (byte)screens;
        body[21] = (byte)formats;
        body[26] = 8;
        body[27] = 255; // min and max keycode
        return body;
    }

    public static TheoryData<string, byte[]> HostileSetups() => new()
    {
        // 255 pixmap formats claimed, none sent.
        { "255 formats", Fixed(screens: 1, formats: 255) },
        // One screen claimed, its 40 bytes missing.
        { "no screen bytes", Fixed(screens: 1, formats: 0) },
        // A screen with 200 depths claimed and none sent.
        { "200 depths", [.. Fixed(screens: 1, formats: 0), .. Screen(depths: 200)] },
        // No screen at all.
        { "zero screens", Fixed(screens: 0, formats: 0) },
    };

    private static byte[] Screen(int depths)
    {
        var screen = new byte[40];
        BinaryPrimitives.WriteUInt32LittleEndian(screen, 0x100); // root
        BinaryPrimitives.WriteUInt16LittleEndian(screen.AsSpan(20), 640);
        BinaryPrimitives.WriteUInt16LittleEndian(screen.AsSpan(22), 480);
        screen[38] = 24;
        screen[39] = (byte)depths;
        return screen;
    }

    [Theory]
    [MemberData(nameof(HostileSetups))]
    public async Task HostileSetup_IsReportedAndTheSourceKeepsWaiting(string what, byte[] body)
    {
        int display = 600 + Random.Shared.Next(300);
        string path = $"/tmp/.X11-unix/X{display}";
        Directory.CreateDirectory("/tmp/.X11-unix");
        File.Delete(path);
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen();
        try
        {
            Task server = Task.Run(async () =>
            {
                using Socket client = await listener.AcceptAsync();
                var request = new byte[12];
                await client.ReceiveAsync(request); // byte order, version, auth lengths (none)
                await client.SendAsync(SetupReply(body));
                await Task.Delay(300); // stay connected a moment, answer nothing more
            });
            using var source = new X11Source($":{display}.0", TimeProvider.System, NullLogger<X11Source>.Instance, NullLogger<XTestInput>.Instance);
            source.Poll();
            Assert.Equal(RegionStatus.Waiting, source.Status);
            Assert.StartsWith("waiting for X server: ", source.Reason, StringComparison.Ordinal);
            Assert.True(source.Reason!.Contains("truncated", StringComparison.Ordinal) || source.Reason.Contains("has no screen 0", StringComparison.Ordinal),
                $"{what}: {source.Reason}");
            await server.WaitAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
