using WebConsole.Hosting;
using WebConsole.Sources;

namespace WebConsole.Tests.Hosting;

public sealed class ConsolesOptionsValidatorTests
{
    [Theory]
    [InlineData("region:/dev/shm/vm1.fb", SourceKind.Region, "/dev/shm/vm1.fb")]
    [InlineData("demo", SourceKind.Demo, null)]
    [InlineData(" REGION:/tmp/x ", SourceKind.Region, "/tmp/x")]
    public void SourceSpec_ParsesKnownSources(string text, SourceKind kind, string? path)
    {
        Assert.True(SourceSpec.TryParse(text, out SourceSpec? spec, out string? error), error);
        Assert.Equal(new SourceSpec(kind, path), spec);
    }

    [Theory]
    [InlineData("region:relative/path", "absolute path")]
    [InlineData("region:", "absolute path")]
    [InlineData("vnc:host:5900", "unknown source")]
    [InlineData("", "unknown source")]
    [InlineData("demo:extra", "takes no argument")]
    public void Validator_NamesTheKeyAndTheProblem(string source, string problem)
    {
        var options = new ConsolesOptions { ["vm1"] = new ConsoleOptions { Source = source } };
        var result = new ConsolesOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains("Consoles:vm1:Source", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains(problem, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validator_RejectsIdsThatCannotBeInAUrl()
    {
        var options = new ConsolesOptions { ["vm 1/../x"] = new ConsoleOptions { Source = "demo" } };
        Assert.True(new ConsolesOptionsValidator().Validate(null, options).Failed);
    }
}
