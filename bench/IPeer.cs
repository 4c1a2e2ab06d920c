namespace WebConsole.Bench;

/// <summary>
/// One console stack of the peers benchmark: an X server the bench paints on, the process that
/// serves it to the browser, and the page that shows it at 1:1.
/// </summary>
internal interface IPeer : IAsyncDisposable
{
    /// <summary>The column heading, e.g. "WebConsole xwd".</summary>
    string Name { get; }

    /// <summary>The X display the workload paints on, e.g. ":401".</summary>
    string Display { get; }

    Uri PageUrl { get; }

    /// <summary>A page function <c>([w, h]) =&gt; bool</c>: connected and showing a w x h frame.</summary>
    string Ready { get; }

    /// <summary>Who the two CPU rows are: ("Xvfb", "WebConsole server"), ("Xvnc", "websockify").</summary>
    (string XServer, string Front) ProcessNames { get; }

    /// <summary>CPU time so far of the X server and of the serving process (with its children).</summary>
    (TimeSpan XServer, TimeSpan Front) CpuTime();

    /// <summary>What the processes printed, for a failure message.</summary>
    string Log { get; }
}
