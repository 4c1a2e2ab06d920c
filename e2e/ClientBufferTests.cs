using Xunit.Abstractions;

namespace WebConsole.E2E;

/// <summary>
/// The page's buffer habits that keep a full-screen update from touching fresh memory: SignalR
/// messages read in place (core/hub-protocol.js) and pooled RGBA buffers (core/decoders/pixel-pool.js).
/// </summary>
[Collection(SharedBrowser.Name)]
public sealed class ClientBufferTests(BrowserFixture browser, ITestOutputHelper output)
{
    [Fact]
    public async Task HubProtocol_ParsesMessagesAsViewsOfTheReceivedBuffer_SameAsSignalRs()
    {
        await using var server = await WebConsoleServer.StartAsync([ServerConsole.Demo()], output);
        await using var page = await ConsolePage.OpenAsync(browser.Browser, server.Url("/console/demo"), output, 800, 600);

        string result = await page.Page.EvaluateAsync<string>(
            """
            async () => {
                const { createHubProtocol } = await import('/core/hub-protocol.js');
                const ours = createHubProtocol(window.signalR);
                const stock = new window.signalR.protocols.msgpack.MessagePackHubProtocol();
                const invocation = (n, bytes) => ({ type: window.signalR.MessageType.Invocation, target: 'Update', arguments: [{ frameId: n, data: bytes }], headers: {} });
                // Two messages in one WebSocket frame, as SignalR sends them.
                const a = new Uint8Array(stock.writeMessage(invocation(1, new Uint8Array([1, 2, 3]))));
                const b = new Uint8Array(stock.writeMessage(invocation(2, new Uint8Array(300).fill(7))));
                const joined = new Uint8Array(a.length + b.length);
                joined.set(a);
                joined.set(b, a.length);
                const mine = ours.parseMessages(joined.buffer, null);
                const theirs = stock.parseMessages(joined.buffer, null);
                const view = mine[1].arguments[0].data;
                let incomplete = 'no error';
                try { ours.parseMessages(joined.buffer.slice(0, joined.length - 1), null); } catch (e) { incomplete = e.message; }
                return JSON.stringify({
                    same: JSON.stringify(mine.map((m) => [m.target, m.arguments[0].frameId, Array.from(m.arguments[0].data)])) ===
                          JSON.stringify(theirs.map((m) => [m.target, m.arguments[0].frameId, Array.from(m.arguments[0].data)])),
                    count: mine.length,
                    inPlace: view.buffer === joined.buffer,
                    stockCopies: theirs[1].arguments[0].data.buffer !== joined.buffer,
                    incomplete,
                });
            }
            """);

        Assert.Equal("""{"same":true,"count":2,"inPlace":true,"stockCopies":true,"incomplete":"Incomplete message."}""", result);
    }

    [Fact]
    public async Task PixelPool_HandsBackTheSameBufferOnceReleased_WithExactLengths()
    {
        await using var page = await ClientPage.OpenAsync(browser.Browser, output);
        string result = await page.RunAsync<string>(
            """
            async () => {
                const { default: PixelPool } = await import('/core/decoders/pixel-pool.js');
                const pool = new PixelPool();
                const first = pool.acquire(512 * 360 * 4);
                const whileHeld = pool.acquire(512 * 360 * 4);
                pool.release(first);
                const again = pool.acquire(500 * 300 * 4); // same size class
                const huge = pool.acquire(2048 * 2048 * 4); // beyond the largest class: not pooled
                pool.release(huge);
                return JSON.stringify({
                    length: first.length, againLength: again.length,
                    reused: again.buffer === first.buffer, distinctWhileHeld: whileHeld.buffer !== first.buffer,
                    hugeLength: huge.length, hugeUnpooled: pool.acquire(2048 * 2048 * 4).buffer !== huge.buffer,
                });
            }
            """);

        Assert.Equal("""{"length":737280,"againLength":600000,"reused":true,"distinctWhileHeld":true,"hugeLength":16777216,"hugeUnpooled":true}""", result);
    }
}
