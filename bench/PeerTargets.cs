using System.Globalization;

namespace WebConsole.Bench;

/// <summary>
/// The targets of issue 12 (item 6), checked against one peers run: each line names the target,
/// the figures it compares and whether this run met it, so a run says at a glance where
/// WebConsole stands against TigerVNC.
/// </summary>
internal static class PeerTargets
{
    private const string Draw = "canvas draw p50 ms";
    private const string Frame = "first frame p50 ms";
    private const string Front = "serving process CPU % (WebConsole server / websockify)";
    private const string Both = "X server + serving process CPU %";

    public static void Print(TextWriter output, IEnumerable<string> webConsoles, string reference,
        PeerTable square, PeerTable solid, PeerTable noise, PeerTable animation, PeerTable idle)
    {
        foreach (string peer in webConsoles)
        {
            output.WriteLine($"## Targets: {peer} against {reference}");
            output.WriteLine();
            Line(output, "32x32 change: canvas draw p50 below TigerVNC's", square.Get(Draw, peer), square.Get(Draw, reference), "ms");
            Line(output, "32x32 change: first frame p50 <= 12 ms", square.Get(Frame, peer), 12, "ms", orEqual: true);
            Line(output, "full-screen solid: canvas draw p50 below TigerVNC's", solid.Get(Draw, peer), solid.Get(Draw, reference), "ms");
            Line(output, "full-screen noise: first frame p50 below TigerVNC's", noise.Get(Frame, peer), noise.Get(Frame, reference), "ms");
            Line(output, "animation: WebConsole process <= 8 % of a core", animation.Get(Front, peer), 8, "%", orEqual: true);
            Line(output, "animation: X server + WebConsole below Xvnc + websockify", animation.Get(Both, peer), animation.Get(Both, reference), "%");
            Line(output, "animation: never torn", animation.Get("torn canvas states", peer), 0, "torn states", orEqual: true);
            // Shown to one decimal, as the target is written: 0.0 %.
            Line(output, "idle: X server + WebConsole 0.0 %", Math.Round(idle.Get(Both, peer), 1), 0, "%", orEqual: true);
            output.WriteLine();
        }
    }

    private static void Line(TextWriter output, string target, double measured, double bound, string unit, bool orEqual = false)
    {
        if (!double.IsFinite(measured) || !double.IsFinite(bound))
        {
            output.WriteLine($"- {target}: not measured");
            return;
        }
        string verdict = (orEqual ? measured <= bound : measured < bound) ? "met" : "not met";
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"- {target}: {measured:0.0} against {bound:0.0} {unit}: {verdict}"));
    }
}
