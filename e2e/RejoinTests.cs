using Xunit.Abstractions;

namespace WebConsole.E2E;

/// <summary>
/// The page's rejoins (after a decode error) against a fake SignalR: however many errors come, Join
/// goes out at most once per REJOIN_INTERVAL_MS, under the server's per-connection Join cap (2/s).
/// </summary>
[Collection(SharedBrowser.Name)]
public sealed class RejoinTests(BrowserFixture browser, ITestOutputHelper output)
{
    [Fact]
    public async Task Rejoin_AfterDecodeErrorsInARow_JoinsAtMostOncePerInterval()
    {
        await using var page = await ClientPage.OpenAsync(browser.Browser, output);
        int[] result = await page.RunAsync<int[]>(
            """
            async () => {
                const { default: Connection, REJOIN_INTERVAL_MS } = await import('/core/connection.js');
                const joins = [];
                const hub = {
                    on() {}, onclose() {}, async start() {}, async stop() {}, send: async () => {},
                    async invoke(name) { if (name === 'Join') { joins.push(performance.now()); } return { width: 8, height: 8, state: 'ready', reason: null }; },
                };
                const builder = { withUrl() { return builder; }, withHubProtocol() { return builder; }, configureLogging() { return builder; }, build: () => hub };
                const signalR = {
                    HubConnectionBuilder: function () { return builder; },
                    LogLevel: { Warning: 3 },
                    protocols: { msgpack: { MessagePackHubProtocol: class {} } },
                    NullLogger: { instance: {} },
                };
                const connection = new Connection('c', { signalR });
                connection.start();
                const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
                while (connection.state !== 'connected') { await sleep(5); }
                // A decode error on every update at 60 updates/s for 2.5 s (a full frame that fails again).
                const start = performance.now();
                while (performance.now() - start < 2500) {
                    connection.rejoin();
                    await sleep(16);
                }
                await sleep(REJOIN_INTERVAL_MS + 100);
                let closest = Infinity;
                for (let i = 2; i < joins.length; i++) { closest = Math.min(closest, joins[i] - joins[i - 1]); }
                await connection.stop();
                return [joins.length, Math.round(closest), REJOIN_INTERVAL_MS];
            }
            """);
        output.WriteLine($"joins {result[0]} (first one included), closest rejoins {result[1]} ms apart");
        // The first Join, then one rejoin at once and one per interval while errors keep coming, and a last one.
        Assert.InRange(result[0], 3, 1 + 5);
        Assert.True(result[1] >= result[2] - 20, $"rejoins {result[1]} ms apart");
    }
}
