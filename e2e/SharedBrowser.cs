namespace WebConsole.E2E;

/// <summary>Every browser test shares the one Chromium and runs alone: the machine has two cores, and one test measures memory.</summary>
[CollectionDefinition(Name)]
public sealed class SharedBrowser : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
