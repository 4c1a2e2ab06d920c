using System.Buffers.Binary;
using WebConsole.Region;
using WebConsole.Sources.Qemu;

namespace WebConsole.Tests.Sources.Qemu;

/// <summary>The listener and surface fed by a test peer playing QEMU over a real socketpair.</summary>
public sealed class QemuListenerTests
{
    private const long MaxPixels = 1920L * 1080;

    [Fact]
    public void GetAll_OffersTheMapInterface_OnlyWhenEnabled()
    {
        foreach (bool offer in new[] { true, false })
        {
            using var surface = new QemuSurface(MaxPixels);
            using var peer = new QemuTestPeer(surface, offerMap: offer);
            uint serial = peer.Call("GetAll", "s", w => w.WriteString(DBusNames.ListenerInterface), noReply: false,
                @interface: DBusNames.PropertiesInterface);
            DBusMessage reply = peer.Reply(serial);
            Assert.Equal(DBusMessageType.MethodReturn, reply.Type);
            Assert.Equal("a{sv}", reply.Signature);
            var body = new DBusBodyReader(reply.Body.Span);
            int end = body.BeginArray(8);
            var names = new List<string>();
            while (body.Position < end)
            {
                body.Align(8);
                Assert.Equal("Interfaces", body.ReadString());
                Assert.True(body.ReadSignatureBytes().SequenceEqual("as"u8));
                int namesEnd = body.BeginArray(4);
                while (body.Position < namesEnd)
                {
                    names.Add(body.ReadString());
                }
            }
            Assert.Equal(offer ? [DBusNames.MapInterface] : Array.Empty<string>(), names);
        }
    }

    [Fact]
    public void InlineScanoutAndUpdate_GiveTheFrameAndOnlyTheDamage()
    {
        using var surface = new QemuSurface(MaxPixels);
        using var peer = new QemuTestPeer(surface);
        peer.Call("Scanout", "uuuuay", w => WriteScanout(w, 64, 32, 64 * 4, QemuPixelFormat.X8R8G8B8, Fill(64 * 4 * 32, 0x10)));
        peer.Sync();
        var damage = new List<PixelRect>();
        RegionChange change = surface.Poll(damage);
        Assert.True(change.HasFlag(RegionChange.Pixels) && change.HasFlag(RegionChange.Restart), change.ToString());
        Assert.Equal((64, 32), (surface.Width, surface.Height));
        Assert.Equal([new PixelRect(0, 0, 64, 32)], damage);
        Assert.Equal(0x10, surface.Frame.Span[0]);

        peer.Call("Update", "iiiiuuay", w => WriteUpdate(w, 8, 4, 2, 3, 2 * 4, QemuPixelFormat.X8R8G8B8, Fill(2 * 4 * 3, 0xAB)));
        peer.Sync();
        change = surface.Poll(damage);
        Assert.Equal(RegionChange.Pixels, change);
        Assert.Equal([new PixelRect(8, 4, 2, 3)], damage);
        Assert.Equal(0xAB, surface.Frame.Span[(4 * 64 + 8) * 4]);
        Assert.Equal(0x10, surface.Frame.Span[(4 * 64 + 10) * 4]);
        Assert.Equal("inline", surface.Transport);
        Assert.Empty(peer.Rejections);
    }

    [Fact]
    public void OtherPixmanFormats_AreConverted()
    {
        using var surface = new QemuSurface(MaxPixels);
        using var peer = new QemuTestPeer(surface);
        // r5g6b5 pure red and x8b8g8r8 pure blue: both become XRGB8888 bytes B, G, R, X.
        byte[] red = new byte[2 * 4 * 2];
        for (int i = 0; i < 8; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(red.AsSpan(i * 2), 0xF800);
        }
        peer.Call("Scanout", "uuuuay", w => WriteScanout(w, 4, 2, 8, QemuPixelFormat.R5G6B5, red));
        peer.Sync();
        var damage = new List<PixelRect>();
        surface.Poll(damage);
        Assert.Equal(new byte[] { 0, 0, 0xFF }, surface.Frame.Span[..3].ToArray());
        byte[] blue = new byte[4 * 4];
        for (int i = 0; i < 4; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(blue.AsSpan(i * 4), 0x00FF0000); // x8b8g8r8: blue in bits 16-23
        }
        peer.Call("Update", "iiiiuuay", w => WriteUpdate(w, 0, 1, 4, 1, 16, QemuPixelFormat.X8B8G8R8, blue));
        peer.Sync();
        surface.Poll(damage);
        Assert.Equal(new byte[] { 0xFF, 0, 0 }, surface.Frame.Span[(4 * 4)..(4 * 4 + 3)].ToArray());
    }

    [Fact]
    public void UnknownFormat_IsRejectedWithItsNumber()
    {
        using var surface = new QemuSurface(MaxPixels);
        using var peer = new QemuTestPeer(surface);
        uint serial = peer.Call("Scanout", "uuuuay", w => WriteScanout(w, 4, 4, 16, 0x12345678, new byte[64]), noReply: false);
        DBusMessage reply = peer.Reply(serial);
        Assert.Equal(DBusMessageType.Error, reply.Type);
        Assert.Contains("0x12345678", Assert.Single(peer.Rejections), StringComparison.Ordinal);
        surface.Poll([]);
        Assert.Equal(0, surface.Width);
        Assert.Contains("unknown pixel format 0x12345678", surface.SurfaceError, StringComparison.Ordinal);
    }

    [Fact]
    public void ScanoutMap_ReadsTheSealedMemfd_AndUpdateMapIsDamageOnly()
    {
        using var surface = new QemuSurface(MaxPixels);
        using var peer = new QemuTestPeer(surface);
        const int W = 32, H = 16, Stride = W * 4 + 64, Offset = 4096;
        byte[] pixels = new byte[Offset + Stride * H];
        pixels.AsSpan(Offset).Fill(0x22);
        int memfd = QemuTestPeer.CreateMemfd(pixels, seal: true);
        try
        {
            uint serial = peer.Call("ScanoutMap", "huuuuu", w => WriteScanoutMap(w, Offset, W, H, Stride, QemuPixelFormat.X8R8G8B8),
                noReply: false, @interface: DBusNames.MapInterface, passFd: memfd);
            Assert.Equal(DBusMessageType.MethodReturn, peer.Reply(serial).Type);
            var damage = new List<PixelRect>();
            surface.Poll(damage);
            Assert.Equal("map", surface.Transport);
            Assert.Equal((W, H), (surface.Width, surface.Height));
            Assert.Equal(0x22, surface.Frame.Span[0]);

            // QEMU draws into the memfd, then says where: only that rectangle is read.
            QemuTestPeer.WriteAt(memfd, Offset + 5 * Stride + 3 * 4, new byte[] { 0x99, 0x99, 0x99, 0 });
            QemuTestPeer.WriteAt(memfd, Offset + 9 * Stride + 9 * 4, new byte[] { 0x77, 0x77, 0x77, 0 }); // not announced
            peer.Call("UpdateMap", "iiii", w => WriteRect(w, 3, 5, 1, 1), @interface: DBusNames.MapInterface);
            peer.Sync();
            Assert.Equal(RegionChange.Pixels, surface.Poll(damage));
            Assert.Equal([new PixelRect(3, 5, 1, 1)], damage);
            Assert.Equal(0x99, surface.Frame.Span[(5 * W + 3) * 4]);
            Assert.Equal(0x22, surface.Frame.Span[(9 * W + 9) * 4]);
            Assert.Equal(0, surface.InlineBytes);
            Assert.Empty(peer.Rejections);
        }
        finally
        {
            QemuNative.Close(memfd);
        }
    }

    [Fact]
    public void UnsealedMemfd_TruncatedByQemu_GivesAnErrorNotSigbus()
    {
        using var surface = new QemuSurface(MaxPixels);
        using var peer = new QemuTestPeer(surface);
        const int W = 64, H = 64;
        int memfd = QemuTestPeer.CreateMemfd(new byte[W * 4 * H], seal: false);
        try
        {
            uint serial = peer.Call("ScanoutMap", "huuuuu", w => WriteScanoutMap(w, 0, W, H, W * 4, QemuPixelFormat.X8R8G8B8),
                noReply: false, @interface: DBusNames.MapInterface, passFd: memfd);
            Assert.Equal(DBusMessageType.MethodReturn, peer.Reply(serial).Type);
            surface.Poll([]);
            Assert.Equal(W, surface.Width);

            QemuTestPeer.Truncate(memfd, 100);
            peer.Call("UpdateMap", "iiii", w => WriteRect(w, 0, 60, W, 4), @interface: DBusNames.MapInterface);
            peer.Sync();
            surface.Poll([]);
            Assert.False(surface.HasSurface);
            Assert.Contains("shrank", surface.SurfaceError, StringComparison.Ordinal);
        }
        finally
        {
            QemuNative.Close(memfd);
        }
    }

    [Fact]
    public void MemfdSmallerThanItsGeometry_IsRefusedBeforeMapping()
    {
        using var surface = new QemuSurface(MaxPixels);
        using var peer = new QemuTestPeer(surface);
        int memfd = QemuTestPeer.CreateMemfd(new byte[1000], seal: true);
        try
        {
            uint serial = peer.Call("ScanoutMap", "huuuuu", w => WriteScanoutMap(w, 0, 64, 64, 256, QemuPixelFormat.X8R8G8B8),
                noReply: false, @interface: DBusNames.MapInterface, passFd: memfd);
            Assert.Equal(DBusMessageType.Error, peer.Reply(serial).Type);
            Assert.Contains("holds 1000 bytes", Assert.Single(peer.Rejections), StringComparison.Ordinal);
        }
        finally
        {
            QemuNative.Close(memfd);
        }
    }

    [Fact]
    public void HostileMessages_AreRejected_AndTheConnectionGoesOn()
    {
        using var surface = new QemuSurface(1024L * 768);
        using var peer = new QemuTestPeer(surface, maxBody: 64 * 1024);
        // Over the pixel budget: refused before any buffer is sized by it.
        peer.Call("Scanout", "uuuuay", w => WriteScanout(w, 16384, 16384, 65536, QemuPixelFormat.X8R8G8B8, new byte[16]));
        // Data shorter than its geometry.
        peer.Call("Scanout", "uuuuay", w => WriteScanout(w, 64, 64, 256, QemuPixelFormat.X8R8G8B8, new byte[100]));
        // The wrong signature for a known method.
        peer.Call("Scanout", "uuuu", w =>
        {
            for (int i = 0; i < 4; i++)
            {
                w.WriteUInt32(1);
            }
        });
        // An unknown method, answered with UnknownMethod.
        uint unknown = peer.Call("Explode", "", noReply: false);
        Assert.Equal(DBusNames.UnknownMethod, peer.Reply(unknown).ErrorName);
        // A handle that names no descriptor.
        peer.Call("ScanoutMap", "huuuuu", w => WriteScanoutMap(w, 0, 4, 4, 16, QemuPixelFormat.X8R8G8B8), @interface: DBusNames.MapInterface);
        // A body over the connection's limit: skipped unread.
        peer.Call("Update", "iiiiuuay", w => WriteUpdate(w, 0, 0, 1, 1, 4, QemuPixelFormat.X8R8G8B8, new byte[200_000]));
        // An update before any scanout.
        peer.Call("Update", "iiiiuuay", w => WriteUpdate(w, 0, 0, 1, 1, 4, QemuPixelFormat.X8R8G8B8, new byte[4]));
        // An array length that runs past the message.
        peer.Call("CursorDefine", "iiiiay", w =>
        {
            w.WriteInt32(2);
            w.WriteInt32(2);
            w.WriteInt32(0);
            w.WriteInt32(0);
            w.WriteUInt32(1_000_000);
        });
        peer.Sync();
        string[] rejections;
        lock (peer.Rejections)
        {
            rejections = [.. peer.Rejections];
        }
        Assert.Equal(8, rejections.Length);
        Assert.Contains(rejections, r => r.Contains("over the configured limit", StringComparison.Ordinal));
        Assert.Contains(rejections, r => r.Contains("needs 16384 bytes, 100 came", StringComparison.Ordinal));
        Assert.Contains(rejections, r => r.Contains("signature 'uuuu', expected 'uuuuay'", StringComparison.Ordinal));
        Assert.Contains(rejections, r => r.Contains("unknown method", StringComparison.Ordinal));
        Assert.Contains(rejections, r => r.Contains("without a descriptor", StringComparison.Ordinal));
        Assert.Contains(rejections, r => r.Contains("over the limit of 65536", StringComparison.Ordinal));
        Assert.Contains(rejections, r => r.Contains("before any inline scanout", StringComparison.Ordinal));
        Assert.Contains(rejections, r => r.Contains("byte array of 1000000 bytes", StringComparison.Ordinal));

        // Still serving: a valid scanout shows.
        peer.Call("Scanout", "uuuuay", w => WriteScanout(w, 8, 8, 32, QemuPixelFormat.X8R8G8B8, Fill(256, 0x44)));
        peer.Sync();
        surface.Poll([]);
        Assert.Equal(8, surface.Width);
        Assert.Null(peer.EndReason);
    }

    [Fact]
    public void UpdateFlood_CoalescesIntoBoundedDamage()
    {
        using var surface = new QemuSurface(MaxPixels);
        using var peer = new QemuTestPeer(surface);
        peer.Call("Scanout", "uuuuay", w => WriteScanout(w, 256, 256, 1024, QemuPixelFormat.X8R8G8B8, new byte[1024 * 256]));
        peer.Sync();
        var damage = new List<PixelRect>();
        surface.Poll(damage);
        byte[] pixel = [1, 2, 3, 0];
        for (int i = 0; i < 10_000; i++)
        {
            int x = i % 250, y = i / 250 % 250;
            peer.Call("Update", "iiiiuuay", w => WriteUpdate(w, x, y, 1, 1, 4, QemuPixelFormat.X8R8G8B8, pixel));
        }
        peer.Sync();
        Assert.Equal(RegionChange.Pixels, surface.Poll(damage));
        Assert.InRange(damage.Count, 1, QemuSurface.MaxDamageRects);
        PixelRect box = default;
        foreach (PixelRect r in damage)
        {
            box = box.Union(r);
        }
        Assert.Equal(new PixelRect(0, 0, 250, 40), box);
        Assert.Equal(10_000, surface.InlineUpdates);
        Assert.Equal(1, surface.Frame.Span[((39 * 256) + 249) * 4]);
    }

    [Fact]
    public void StaleScanout_UpdatesAreClipped_AndTheSourceIsTold()
    {
        using var surface = new QemuSurface(MaxPixels);
        int stale = 0;
        surface.StaleSuspected += () => Interlocked.Increment(ref stale);
        using var peer = new QemuTestPeer(surface);
        peer.Call("Scanout", "uuuuay", w => WriteScanout(w, 640, 480, 2560, QemuPixelFormat.X8R8G8B8, new byte[2560 * 480]));
        // QEMU 7.2: updates of a 720-wide text screen after a 640x480 scanout.
        peer.Call("Update", "iiiiuuay", w => WriteUpdate(w, 0, 16, 720, 16, 2880, QemuPixelFormat.X8R8G8B8, Fill(2880 * 16, 0x55)));
        peer.Call("Update", "iiiiuuay", w => WriteUpdate(w, 0, 32, 720, 16, 2880, QemuPixelFormat.X8R8G8B8, Fill(2880 * 16, 0x55)));
        peer.Sync();
        var damage = new List<PixelRect>();
        surface.Poll(damage);
        Assert.Equal(1, stale);
        Assert.Equal(0x55, surface.Frame.Span[(16 * 640 + 639) * 4]);
        Assert.Empty(peer.Rejections);
    }

    [Fact]
    public void Cursor_DefineAndMouseSet_BecomeTheCursorPlane()
    {
        using var surface = new QemuSurface(MaxPixels);
        using var peer = new QemuTestPeer(surface);
        byte[] image = Fill(80 * 70 * 4, 0xCC); // larger than the plane: cropped to 64x64
        peer.Call("CursorDefine", "iiiiay", w =>
        {
            w.WriteInt32(80);
            w.WriteInt32(70);
            w.WriteInt32(3);
            w.WriteInt32(4);
            w.WriteBytes(image);
        });
        peer.Call("MouseSet", "iii", w =>
        {
            w.WriteInt32(100);
            w.WriteInt32(50);
            w.WriteInt32(1);
        });
        peer.Sync();
        RegionChange change = surface.Poll([]);
        Assert.True(change.HasFlag(RegionChange.CursorImage) && change.HasFlag(RegionChange.Cursor), change.ToString());
        CursorState cursor = surface.Cursor;
        Assert.Equal(new CursorState(100, 50, 3, 4, RegionFormat.CursorMax, RegionFormat.CursorMax, true, 1), cursor);
        Assert.Equal(0xCC, surface.CursorImage[(63 * RegionFormat.CursorMax + 63) * 4]);

        // A cursor whose data does not match its size: refused, the plane unchanged.
        peer.Call("CursorDefine", "iiiiay", w =>
        {
            w.WriteInt32(8);
            w.WriteInt32(8);
            w.WriteInt32(0);
            w.WriteInt32(0);
            w.WriteBytes(new byte[10]);
        });
        peer.Sync();
        Assert.Equal(RegionChange.None, surface.Poll([]));
        Assert.Contains("cursor of 8x8 with 10 bytes", Assert.Single(peer.Rejections), StringComparison.Ordinal);
    }

    [Fact]
    public void ReleaseFront_NextPollReadsTheWholeSurfaceAsARestart()
    {
        using var surface = new QemuSurface(MaxPixels);
        using var peer = new QemuTestPeer(surface);
        peer.Call("Scanout", "uuuuay", w => WriteScanout(w, 16, 16, 64, QemuPixelFormat.X8R8G8B8, Fill(1024, 0x31)));
        peer.Sync();
        surface.Poll([]);
        surface.ReleaseFront();
        Assert.Equal(0, surface.Width);
        var damage = new List<PixelRect>();
        RegionChange change = surface.Poll(damage);
        Assert.True(change.HasFlag(RegionChange.Restart), change.ToString());
        Assert.Equal([new PixelRect(0, 0, 16, 16)], damage);
        Assert.Equal(0x31, surface.Frame.Span[1023]);
    }

    internal static byte[] Fill(int length, byte value)
    {
        byte[] bytes = new byte[length];
        bytes.AsSpan().Fill(value);
        return bytes;
    }

    internal static void WriteScanout(DBusMessageWriter w, uint width, uint height, uint stride, uint format, byte[] data)
    {
        w.WriteUInt32(width);
        w.WriteUInt32(height);
        w.WriteUInt32(stride);
        w.WriteUInt32(format);
        w.WriteBytes(data);
    }

    internal static void WriteUpdate(DBusMessageWriter w, int x, int y, int width, int height, uint stride, uint format, byte[] data)
    {
        WriteRect(w, x, y, width, height);
        w.WriteUInt32(stride);
        w.WriteUInt32(format);
        w.WriteBytes(data);
    }

    internal static void WriteRect(DBusMessageWriter w, int x, int y, int width, int height)
    {
        w.WriteInt32(x);
        w.WriteInt32(y);
        w.WriteInt32(width);
        w.WriteInt32(height);
    }

    internal static void WriteScanoutMap(DBusMessageWriter w, uint offset, uint width, uint height, uint stride, uint format)
    {
        w.WriteUInt32(0); // handle 0: the descriptor sent with the message
        w.WriteUInt32(offset);
        w.WriteUInt32(width);
        w.WriteUInt32(height);
        w.WriteUInt32(stride);
        w.WriteUInt32(format);
    }
}
