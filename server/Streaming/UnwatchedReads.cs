using WebConsole.Sources;

namespace WebConsole.Streaming;

/// <summary>
/// What requests read from a console nobody watches (a watched one is kept current by its loop):
/// the reading for the console list and health, and the frame for a thumbnail. Each runs one poll at
/// a time per console on a thread of its own, shared by every request that asks meanwhile.
/// </summary>
internal sealed class UnwatchedReads(GatedSource gated, CaptureLoop loop)
{
    private static readonly TimeSpan ThumbnailWait = TimeSpan.FromMilliseconds(200);

    private readonly Lock _refreshGate = new();
    private Task _refresh = Task.CompletedTask;
    private long _refreshedAt = long.MinValue;

    /// <summary>A reading this recent answers a list without another poll: a page listing 200 consoles every few seconds re-reads none of them.</summary>
    public static readonly TimeSpan FreshFor = TimeSpan.FromSeconds(1);
    private Task<byte[]?> _thumbnail = Task.FromResult<byte[]?>(null);

    /// <summary>
    /// Brings the reading of a console nobody watches up to date: one poll on a thread of its own,
    /// shared by every request that asks meanwhile, so a source stuck on its peer holds one thread,
    /// not one per request.
    /// </summary>
    public Task RefreshAsync()
    {
        lock (_refreshGate)
        {
            if (!loop.Unwatched || !_refresh.IsCompleted ||
                (_refreshedAt != long.MinValue && System.Diagnostics.Stopwatch.GetElapsedTime(_refreshedAt) < FreshFor))
            {
                return _refresh;
            }
            _refresh = OnOwnThread(RefreshUnwatched);
            return _refresh;
        }
    }

    private void RefreshUnwatched()
    {
        if (!gated.Gate.TryEnter(CaptureLoop.StopWait))
        {
            return; // the loop is in the source (it keeps the reading current itself)
        }
        try
        {
            if (loop.Unwatched)
            {
                gated.Poll();
                gated.Source.ReleaseFrame(); // a console list must not keep every frame alive
                _refreshedAt = System.Diagnostics.Stopwatch.GetTimestamp();
            }
        }
        finally
        {
            gated.Gate.Exit();
        }
    }

    /// <summary>
    /// Runs <paramref name="use"/> on the current frame under the source's gate, on a thread of its own
    /// (one at a time per console); null when the frame does not come within <paramref name="wait"/>
    /// (a source stuck on its peer, or a loop busy in it).
    /// </summary>
    public async Task<byte[]?> WithFrameAsync(Func<ReadOnlyMemory<byte>, int, int, int, byte[]?> use, TimeSpan wait)
    {
        Task<byte[]?> task;
        lock (_refreshGate)
        {
            if (loop.Stopped || gated.Status.BusyFor(wait))
            {
                return null; // its source is in a call that has taken longer than a thumbnail may wait
            }
            if (_thumbnail.IsCompleted)
            {
                _thumbnail = OnOwnThread(() => WithFrame(use, wait));
            }
            task = _thumbnail;
        }
        return await Task.WhenAny(task, Task.Delay(wait)).ConfigureAwait(false) == task ? await task.ConfigureAwait(false) : null;
    }

    private byte[]? WithFrame(Func<ReadOnlyMemory<byte>, int, int, int, byte[]?> use, TimeSpan wait)
    {
        if (!gated.Gate.TryEnter(wait))
        {
            return null;
        }
        try
        {
            IFramebufferSource source = gated.Source;
            bool unwatched = loop.Unwatched;
            if (unwatched)
            {
                // Nobody watches: read the frame; a producer that renders only when asked is asked for
                // a current one first (others' frames are current as read: no wait for them).
                gated.Poll();
                if (source.AnswersRequests)
                {
                    source.WaitForUpdate(ThumbnailWait);
                    gated.Poll();
                }
            }
            try
            {
                return source.Width == 0 ? null : use(source.Frame, source.Width, source.Height, source.Stride);
            }
            finally
            {
                if (unwatched)
                {
                    source.ReleaseFrame(); // thumbnails must not keep full-size buffers alive
                }
            }
        }
        finally
        {
            gated.Gate.Exit();
        }
    }

    /// <summary>
    /// Runs a call into the source on a thread of its own, not the pool's: a source stuck on its
    /// peer until its deadline would otherwise hold a pool thread, and a few of those starve every
    /// request of the server.
    /// </summary>
    private static Task OnOwnThread(Action call) =>
        Task.Factory.StartNew(call, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static Task<T> OnOwnThread<T>(Func<T> call) =>
        Task.Factory.StartNew(call, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
