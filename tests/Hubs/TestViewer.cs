using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using SkiaSharp;
using WebConsole.Hubs;
using WebConsole.Region;

namespace WebConsole.Tests.Hubs;

/// <summary>A viewer driven by a test: records every message and paints updates onto its own canvas.</summary>
internal sealed class TestViewer : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly Channel<UpdateMessage> _updates = Channel.CreateUnbounded<UpdateMessage>();
    private readonly Channel<ResizeMessage> _resizes = Channel.CreateUnbounded<ResizeMessage>();
    private readonly Channel<CursorMessage> _cursors = Channel.CreateUnbounded<CursorMessage>();

    private TestViewer(HubConnection connection)
    {
        Connection = connection;
        connection.On<UpdateMessage>(ConsoleClientMethods.Update, m => _updates.Writer.TryWrite(m));
        connection.On<ResizeMessage>(ConsoleClientMethods.Resize, m => _resizes.Writer.TryWrite(m));
        connection.On<CursorMessage>(ConsoleClientMethods.Cursor, m => _cursors.Writer.TryWrite(m));
    }

    public HubConnection Connection { get; }

    public uint[] Canvas { get; private set; } = [];

    public int Width { get; private set; }

    public static async Task<(TestViewer Viewer, JoinResult Joined)> JoinAsync(ServerFactory server, string consoleId)
    {
        var viewer = new TestViewer(server.Connect());
        await viewer.Connection.StartAsync().WaitAsync(Timeout);
        JoinResult joined = await viewer.Connection.InvokeAsync<JoinResult>("Join", consoleId).WaitAsync(Timeout);
        return (viewer, joined);
    }

    public async Task<ResizeMessage> NextResizeAsync()
    {
        ResizeMessage resize = await _resizes.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
        Width = resize.Width;
        Canvas = new uint[resize.Width * resize.Height];
        return resize;
    }

    /// <summary>
    /// The next live update, painted onto <see cref="Canvas"/>; not acknowledged. Lossless refreshes
    /// on the way are painted and acknowledged (counted in <see cref="Refreshes"/>), unless
    /// <paramref name="includeRefresh"/> asks for them too.
    /// </summary>
    public async Task<UpdateMessage> NextUpdateAsync(TimeSpan? timeout = null, bool includeRefresh = false)
    {
        while (true)
        {
            UpdateMessage update = await _updates.Reader.ReadAsync().AsTask().WaitAsync(timeout ?? Timeout);
            foreach (RectMessage r in update.Rects)
            {
                Paint(r);
            }
            if (!update.Refresh || includeRefresh)
            {
                return update;
            }
            Refreshes++;
            await AckAsync(update);
        }
    }

    /// <summary>Lossless refreshes <see cref="NextUpdateAsync"/> passed over.</summary>
    public int Refreshes { get; private set; }

    public Task<CursorMessage> NextCursorAsync() => _cursors.Reader.ReadAsync().AsTask().WaitAsync(Timeout);

    /// <summary>An update already received (live or refresh), not painted.</summary>
    public bool TryTakeUpdate(out UpdateMessage? update) => _updates.Reader.TryRead(out update);

    public Task AckAsync(UpdateMessage update) => Connection.InvokeAsync("Ack", update.FrameId).WaitAsync(Timeout);

    private void Paint(RectMessage r)
    {
        if (r.Kind == 0)
        {
            uint color = 0xFF000000u | (uint)(r.Data[0] << 16 | r.Data[1] << 8 | r.Data[2]);
            for (int y = r.Y; y < r.Y + r.H; y++)
            {
                Canvas.AsSpan(y * Width + r.X, r.W).Fill(color);
            }
            return;
        }
        using var bitmap = SKBitmap.Decode(r.Data.AsSpan());
        Assert.NotNull(bitmap);
        Assert.Equal((r.W, r.H), (bitmap.Width, bitmap.Height));
        for (int y = 0; y < r.H; y++)
        {
            for (int x = 0; x < r.W; x++)
            {
                SKColor c = bitmap.GetPixel(x, y);
                Canvas[(r.Y + y) * Width + r.X + x] = 0xFF000000u | (uint)(c.Red << 16 | c.Green << 8 | c.Blue);
            }
        }
    }

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}
