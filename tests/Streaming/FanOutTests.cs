using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;
using WebConsole.Hubs;
using WebConsole.Region;
using WebConsole.Tests.Hubs;
using WebConsole.Tests.Region;

namespace WebConsole.Tests.Streaming;

/// <summary>
/// Many viewers of one console: an update is encoded and serialized once for every viewer in step,
/// and the same bytes go to each (before: one serialization and one send per viewer per update).
/// </summary>
public sealed class FanOutTests : IAsyncLifetime
{
    private const int Viewers = 10;
    private readonly TempRegion _region = new("fanout");
    private readonly CountingHubProtocol _protocol = new(new MessagePackHubProtocol());
    private RegionWriter _writer = null!;
    private ServerFactory _server = null!;

    public Task InitializeAsync()
    {
        _writer = HubScene.CreateRegion(_region.Path);
        _server = new ServerFactory(new() { ["Consoles:t:Source"] = "region:" + _region.Path },
            services => services.AddSingleton<IHubProtocol>(_protocol)); // registered last: it takes the "messagepack" name
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _writer.Dispose();
        _region.Dispose();
    }

    private void Change(int step)
    {
        SpinWait spin = default;
        Span<byte> pixels;
        while (!_writer.TryBeginFrame(out pixels))
        {
            spin.SpinOnce();
        }
        var area = new PixelRect(10 + step * 70, 130, 40, 20);
        HubScene.Draw(pixels, _writer.Stride, area, (_, _) => 0xFF00FF00u | (uint)step);
        _writer.Publish([area]);
    }

    [Fact]
    public async Task InStepViewers_ShareOneSerializationPerUpdate()
    {
        var viewers = new List<TestViewer>();
        try
        {
            for (int i = 0; i < Viewers; i++)
            {
                var (viewer, _) = await TestViewer.JoinAsync(_server, "t");
                viewers.Add(viewer);
                await viewer.NextResizeAsync();
                await viewer.AckAsync(await viewer.NextUpdateAsync());
            }
            long before = _protocol.UpdateSerializations;
            Assert.True(before > 0, "the counting protocol is not the one the server uses");
            var frames = new HashSet<long>();
            for (int step = 0; step < 5; step++)
            {
                Change(step);
                foreach (TestViewer viewer in viewers)
                {
                    UpdateMessage update = await viewer.NextUpdateAsync();
                    frames.Add(update.FrameId);
                    await viewer.AckAsync(update);
                }
            }
            long serializations = _protocol.UpdateSerializations - before;
            // Every viewer saw the same update ids, each serialized once for all of them.
            Assert.Equal(5, frames.Count);
            Assert.Equal(frames.Count, serializations);
        }
        finally
        {
            foreach (TestViewer viewer in viewers)
            {
                await viewer.DisposeAsync();
            }
        }
    }
}
