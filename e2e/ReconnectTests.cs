using System.Net;
using System.Net.Sockets;
using WebConsole.Region;
using Xunit.Abstractions;

namespace WebConsole.E2E;

[Collection(SharedBrowser.Name)]
public sealed class ReconnectTests(BrowserFixture browser, ITestOutputHelper output)
{
    [Fact]
    public async Task ServerRestart_PageSaysReconnectingThenRejoinsAndRepaints()
    {
        using var region = new TempRegion("reconnect");
        using var producer = new TestProducer(region.Path, Scenes.Width, Scenes.Height);
        TestImage image = Scenes.Pattern();
        producer.Publish(image);
        int port = FreePort();
        ServerConsole[] consoles = [ServerConsole.Region("reconnect", region.Path)];

        var server = await WebConsoleServer.StartAsync(consoles, output, port);
        try
        {
            await using var page = await ConsolePage.OpenAsync(browser.Browser, server.Url("/console/reconnect"), output);
            await page.WaitForLiveAsync();

            await server.DisposeAsync();
            await page.WaitForAsync("c => c.state === 'reconnecting' || c.state === 'connecting'");
            await page.Page.WaitForFunctionAsync(
                "() => /^reconnecting( in \\d+ s)?$/.test(document.getElementById('status').textContent)", null,
                new() { Timeout = 20_000 });

            // While the server is away the screen changes; the rejoin must bring the new picture.
            TestImage changed = Scenes.Restarted();
            producer.Publish(changed);
            server = await WebConsoleServer.StartAsync(consoles, output, port);

            await page.WaitForLiveAsync(TimeSpan.FromSeconds(30));
            await Eventually.HoldsAsync(async () =>
                PixelAssert.ExactOutside(changed, await page.ReadPixelsAsync(new PixelRect(0, 0, Scenes.Width, Scenes.Height))),
                TimeSpan.FromSeconds(10));
            Assert.Equal("connected", await page.Page.InnerTextAsync("#status"));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
