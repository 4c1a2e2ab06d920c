namespace WebConsole.Sources;

/// <summary>Region files as configured; demo consoles read the region their hosted producer writes.</summary>
internal sealed class FramebufferSourceFactory(DemoRegionPaths demoPaths) : IFramebufferSourceFactory
{
    public IFramebufferSource Create(string consoleId, SourceSpec spec) => spec.Kind switch
    {
        SourceKind.Region => new RegionSource(spec.Path!),
        SourceKind.Demo => new RegionSource(demoPaths.For(consoleId)),
        _ => throw new ArgumentOutOfRangeException(nameof(spec), spec, "unknown source kind"),
    };
}
