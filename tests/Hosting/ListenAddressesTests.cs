using Microsoft.Extensions.Configuration;
using WebConsole.Hosting;

namespace WebConsole.Tests.Hosting;

public sealed class ListenAddressesTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5000", true)]
    [InlineData("https://127.0.0.2:5001", true)]
    [InlineData("http://localhost:5000", true)]
    [InlineData("https://[::1]:5001", true)]
    [InlineData("http://0.0.0.0:8080", false)]
    [InlineData("https://*:443", false)]
    [InlineData("http://+:80", false)]
    [InlineData("https://[::]:443", false)]
    [InlineData("https://console.example:443", false)]
    public void IsLoopback_OnlyForLoopbackAddressesAndLocalhost(string url, bool loopback) =>
        Assert.Equal(loopback, ListenAddresses.IsLoopback(url));

    [Theory]
    [InlineData("http://127.0.0.1:5000", false)]
    [InlineData("https://127.0.0.1:5001", false)]
    [InlineData("http://0.0.0.0:8080", false)]
    [InlineData("http://0.0.0.0:8080;https://0.0.0.0:8443", true)]
    public void RedirectAndHstsDefaultOn_OnlyForHttpsBeyondLoopback_FromUrls(string urls, bool on) =>
        Assert.Equal(on, ListenAddresses.ServesHttpsBeyondLoopback(Configuration(new() { ["urls"] = urls })));

    [Fact]
    public void KestrelEndpoints_ReplaceUrls()
    {
        IConfiguration configuration = Configuration(new()
        {
            ["urls"] = "http://127.0.0.1:5000",
            ["Kestrel:Endpoints:Https:Url"] = "https://0.0.0.0:8443",
            ["Kestrel:Endpoints:Https:Certificate:Path"] = "/etc/webconsole/cert.pem",
        });
        Assert.True(ListenAddresses.HasKestrelEndpoints(configuration));
        Assert.Equal(["https://0.0.0.0:8443"], ListenAddresses.All(configuration));
        Assert.True(ListenAddresses.ServesHttpsBeyondLoopback(configuration));
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
