using System.Diagnostics;
using Microsoft.Playwright;

namespace WebConsole.Bench;

/// <summary>One measuring window of the peers benchmark: CPU of the peer's processes and of the machine, and the page's WebSocket bytes, from start to end.</summary>
internal sealed class PeerWindow
{
    private readonly Stopwatch _clock = new();
    private (TimeSpan XServer, TimeSpan Front) _cpu0, _cpu;
    private (TimeSpan Busy, TimeSpan Total) _machine0, _machine;
    private double _bytes0;

    public double Seconds => _clock.Elapsed.TotalSeconds;

    /// <summary>WebSocket payload bytes the page received in the window.</summary>
    public double Bytes { get; private set; }

    public static async Task<PeerWindow> StartAsync(IPeer peer, IPage page)
    {
        var window = new PeerWindow { _bytes0 = await page.EvaluateAsync<double>("() => window.__ws.bytes") };
        window._cpu0 = peer.CpuTime();
        window._machine0 = ProcStat.MachineCpu();
        window._clock.Start();
        return window;
    }

    public async Task EndAsync(IPeer peer, IPage page)
    {
        _clock.Stop();
        _cpu = peer.CpuTime();
        _machine = ProcStat.MachineCpu();
        Bytes = await page.EvaluateAsync<double>("() => window.__ws.bytes") - _bytes0;
    }

    /// <summary>The bandwidth and CPU rows; <paramref name="kilobytes"/> for a window with next to no traffic.</summary>
    public void SetRows(PeerTable table, IPeer peer, string format = "F1", bool kilobytes = false)
    {
        double x = (_cpu.XServer - _cpu0.XServer).TotalSeconds / Seconds * 100;
        double front = (_cpu.Front - _cpu0.Front).TotalSeconds / Seconds * 100;
        if (kilobytes)
        {
            table.Set("WebSocket KB/s received by the page", peer.Name, Bytes / 1024 / Seconds, "F2");
        }
        else
        {
            table.Set("WebSocket Mbit/s received by the page", peer.Name, Bytes * 8 / Seconds / 1e6, "F2");
        }
        table.Set("X server CPU % of a core (Xvfb / Xvnc)", peer.Name, x, format);
        table.Set("serving process CPU % (WebConsole server / websockify)", peer.Name, front, format);
        table.Set("X server + serving process CPU %", peer.Name, x + front, format);
        // Everything on the machine, Chromium and the bench included: how loaded the shared machine was.
        table.Set("machine busy % (all processes, 2 cores = 200)", peer.Name,
            (_machine.Busy - _machine0.Busy) / (_machine.Total - _machine0.Total) * Environment.ProcessorCount * 100, "F0");
    }
}
