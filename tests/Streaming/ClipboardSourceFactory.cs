using System.Collections.Concurrent;
using WebConsole.Consoles;
using WebConsole.Region;
using WebConsole.Sources;
using WebConsole.Sources.Clipboard;

namespace WebConsole.Tests.Streaming;

/// <summary>
/// Sources for clipboard tests: every console whose id starts with "clip" gets a source that waits
/// for ever and has a <see cref="FakeGuestClipboard"/>; the others come from the server's own factory.
/// </summary>
internal sealed class ClipboardSourceFactory(IFramebufferSourceFactory inner) : IFramebufferSourceFactory
{
    public ConcurrentDictionary<string, FakeGuestClipboard> Clipboards { get; } = new(StringComparer.Ordinal);

    public IFramebufferSource Create(string consoleId, ConsoleDefinition definition)
    {
        if (!consoleId.StartsWith("clip", StringComparison.Ordinal))
        {
            return inner.Create(consoleId, definition);
        }
        return new WaitingSource(Clipboards.GetOrAdd(consoleId, _ => new FakeGuestClipboard()));
    }

    private sealed class WaitingSource(FakeGuestClipboard clipboard) : IFramebufferSource
    {
        private readonly ManualResetEventSlim _wake = new();

        public RegionStatus Status => RegionStatus.Waiting;

        public string? Reason => "a clipboard test's source";

        public int Width => 0;

        public int Height => 0;

        public ReadOnlyMemory<byte> Frame => default;

        public int Stride => 0;

        public IReadOnlyList<PixelRect> Damage => [];

        public IGuestClipboard? Clipboard => clipboard;

        public void WaitForUpdate(TimeSpan maxWait)
        {
            _wake.Wait(maxWait);
            _wake.Reset();
        }

        public void Wake() => _wake.Set();

        public RegionChange Poll() => RegionChange.None;

        public bool TrySendInput(in InputEvent e) => false;

        public void Dispose() => _wake.Dispose();
    }
}
