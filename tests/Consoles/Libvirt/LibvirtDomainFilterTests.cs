using WebConsole.Consoles.Libvirt;

namespace WebConsole.Tests.Consoles.Libvirt;

public sealed class LibvirtDomainFilterTests
{
    [Theory]
    [InlineData("web-*", "web-1", true)]
    [InlineData("web-*", "web-", true)]
    [InlineData("web-*", "db-1", false)]
    [InlineData("*-prod", "api-prod", true)]
    [InlineData("vm?", "vm1", true)]
    [InlineData("vm?", "vm12", false)]
    [InlineData("*", "", true)]
    [InlineData("a*b*c", "aXbYc", true)]
    [InlineData("a*b*c", "aXbY", false)]
    [InlineData("Web-*", "web-1", false)]
    public void Matches_GlobStarAndQuestionMark_CaseSensitive(string pattern, string name, bool matches)
    {
        Assert.Equal(matches, LibvirtDomainFilter.Matches(pattern, name));
    }

    [Fact]
    public void Matches_ManyStars_TakesLinearTime()
    {
        // A pattern that makes a naive backtracking matcher exponential.
        string pattern = string.Concat(Enumerable.Repeat("a*", 30)) + "b";
        string name = new('a', 2000);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.False(LibvirtDomainFilter.Matches(pattern, name));
        Assert.True(watch.ElapsedMilliseconds < 1000, $"{watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void Admits_ByNameOrUuid_AndEverythingWithoutPatterns()
    {
        var filter = new LibvirtDomainFilter(["web-*", "c8323af4-*"]);
        Assert.True(filter.Admits("web-1", "00000000-0000-0000-0000-000000000000"));
        Assert.True(filter.Admits("other", "c8323af4-ff1c-43b3-9feb-9f6be0651d00"));
        Assert.False(filter.Admits("other", "00000000-0000-0000-0000-000000000000"));
        Assert.True(new LibvirtDomainFilter([]).Admits("anything", "x"));
    }
}
