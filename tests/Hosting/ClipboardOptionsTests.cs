using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WebConsole.Hosting;
using WebConsole.Sources.Clipboard;

namespace WebConsole.Tests.Hosting;

/// <summary>The Clipboard section: a 1 MiB limit by default, and a bad one stops start-up naming the key.</summary>
public sealed class ClipboardOptionsTests
{
    private static ClipboardOptions Bind(params (string Key, string Value)[] settings)
    {
        IConfiguration configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddWebConsole(configuration);
        using ServiceProvider provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<ClipboardOptions>>().Value;
    }

    [Fact]
    public void MaxBytes_DefaultsTo1MiB_AndIsConfigurable()
    {
        Assert.Equal(1024 * 1024, Bind().MaxBytes);
        Assert.Equal(65536, Bind(("Clipboard:MaxBytes", "65536")).MaxBytes);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("1000000000")]
    public void BadMaxBytes_StopsStartUp(string value)
    {
        var e = Assert.Throws<OptionsValidationException>(() => Bind(("Clipboard:MaxBytes", value)));
        Assert.Contains("MaxBytes", e.Message, StringComparison.Ordinal);
    }
}
