using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WebConsole.Hosting;

namespace WebConsole.Tests.Hosting;

/// <summary>The Streaming section is checked at start-up, with the key named.</summary>
public sealed class StreamingOptionsTests
{
    private static StreamingOptions Bind(params (string Key, string Value)[] settings)
    {
        IConfiguration configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddWebConsole(configuration);
        using ServiceProvider provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<StreamingOptions>>().Value;
    }

    [Fact]
    public void PixelLimits_DefaultToFourConsolesOf8K()
    {
        StreamingOptions options = Bind();
        Assert.Equal(8192L * 8192, options.MaxPixels);
        Assert.Equal(4 * 8192L * 8192, options.MaxTotalPixels);
    }

    [Theory]
    [InlineData("Streaming:MaxPixels", "100", "MaxPixels")]
    [InlineData("Streaming:MaxPixels", "1000000000", "MaxPixels")]
    [InlineData("Streaming:MaxTotalPixels", "1000000", "Streaming:MaxTotalPixels must be at least Streaming:MaxPixels")]
    public void BadPixelLimits_StopStartUp(string key, string value, string message)
    {
        var e = Assert.Throws<OptionsValidationException>(() => Bind((key, value)));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Quality_DefaultsTo80DownTo30_RefreshAfter150Ms()
    {
        StreamingOptions options = Bind();
        Assert.Equal((80, 30, 150), (options.JpegQuality, options.MinJpegQuality, options.RefreshAfterMs));
    }

    [Theory]
    [InlineData("Streaming:MinJpegQuality", "0", "MinJpegQuality")]
    [InlineData("Streaming:MinJpegQuality", "90", "Streaming:MinJpegQuality must be at most Streaming:JpegQuality")]
    [InlineData("Streaming:RefreshAfterMs", "-1", "RefreshAfterMs")]
    public void BadQualitySettings_StopStartUp(string key, string value, string message)
    {
        var e = Assert.Throws<OptionsValidationException>(() => Bind((key, value)));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }
}
