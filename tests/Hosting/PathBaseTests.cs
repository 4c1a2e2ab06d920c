using System.Net;
using WebConsole.Hosting;
using WebConsole.Tests.Consoles;

namespace WebConsole.Tests.Hosting;

public sealed class PathBaseTests
{
    [Theory]
    [InlineData("/h/host1", true)]
    [InlineData("/consoles", true)]
    [InlineData("h/host1", false)]
    [InlineData("/h/host1/", false)]
    [InlineData("/", false)]
    [InlineData("/h//x", false)]
    [InlineData("/h/<x>", false)]
    public void IsValid_APathWithoutTrailingSlash(string value, bool valid) => Assert.Equal(valid, PathBaseSetup.IsValid(value));

    [Fact]
    public async Task PathBase_ServesThePageItsFilesAndTheApiUnderThePrefix_RelativeLinksStayInside()
    {
        await using ConsoleServer server = await ConsoleServer.StartAsync("--PathBase", "/h/host1");
        HttpClient http = server.Http;
        using HttpResponseMessage page = await http.GetAsync(new Uri("/h/host1/console/demo", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        string html = await page.Content.ReadAsStringAsync();
        // Every link of the page is relative, so it resolves under the prefix.
        Assert.DoesNotContain("href=\"/", html, StringComparison.Ordinal);
        Assert.DoesNotContain("src=\"/", html, StringComparison.Ordinal);
        foreach (string path in new[] { "/h/host1/app/style.css", "/h/host1/app/console.js", "/h/host1/core/paths.js", "/h/host1/lib/signalr/signalr.min.js", "/h/host1/api/consoles", "/h/host1/" })
        {
            using HttpResponseMessage r = await http.GetAsync(new Uri(path, UriKind.Relative));
            Assert.True(r.StatusCode == HttpStatusCode.OK, $"{path}: {(int)r.StatusCode}");
        }
    }
}
