using WebConsole.Consoles;
using WebConsole.Sources;

namespace WebConsole.Tests.Consoles;

public sealed class ConsolesOptionsValidatorTests
{
    [Theory]
    [InlineData("region:/dev/shm/vm1.fb", SourceKind.Region, "/dev/shm/vm1.fb")]
    [InlineData("demo", SourceKind.Demo, null)]
    [InlineData(" REGION:/tmp/x ", SourceKind.Region, "/tmp/x")]
    [InlineData("xwd:/tmp/xvfb/Xvfb_screen0", SourceKind.Xwd, "/tmp/xvfb/Xvfb_screen0")]
    [InlineData("fbdev:/dev/fb0", SourceKind.Fbdev, "/dev/fb0")]
    [InlineData("xwd-shm::99", SourceKind.XwdShm, ":99.0")]
    [InlineData("xwd-shm::99.1", SourceKind.XwdShm, ":99.1")]
    [InlineData("XWD-SHM:shmid=123", SourceKind.XwdShm, "shmid=123")]
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
    [InlineData("xwd:Xvfb_screen0", "absolute path of the XWD file")]
    [InlineData("xwd:", "absolute path of the XWD file")]
    [InlineData("fbdev:fb0", "absolute path of the device")]
    [InlineData("xwd-shm:", "needs the X display of an Xvfb started with -shmem")]
    [InlineData("xwd-shm:99", "needs the X display of an Xvfb started with -shmem")]
    [InlineData("xwd-shm:host:99", "needs the X display of an Xvfb started with -shmem")]
    [InlineData("xwd-shm::99.x", "needs the X display of an Xvfb started with -shmem")]
    [InlineData("xwd-shm:shmid=-1", "not shmid=N")]
    [InlineData("xwd-shm:shmid=", "not shmid=N")]
    public void Validator_NamesTheKeyAndTheProblem(string source, string problem)
    {
        var options = new ConsolesOptions { ["vm1"] = new ConsoleOptions { Source = source } };
        var result = new ConsolesOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains("Consoles:vm1:Source", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains(problem, result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("xwd:/tmp/x/Xvfb_screen0", ":99", null)]
    [InlineData("xwd:/tmp/x/Xvfb_screen0", ":1.0", null)]
    [InlineData("xwd:/tmp/x/Xvfb_screen0", "unix:5", null)]
    [InlineData("xwd-shm::99", ":99", null)]
    [InlineData("xwd-shm:shmid=7", ":99", null)]
    [InlineData("xwd:/tmp/x/Xvfb_screen0", "99", "is not an X display name")]
    [InlineData("xwd:/tmp/x/Xvfb_screen0", ":99; rm -rf /", "is not an X display name")]
    [InlineData("region:/dev/shm/vm1.fb", ":99", "only an xwd or xwd-shm source takes an X display")]
    public void Validator_ChecksTheXDisplay(string source, string display, string? problem)
    {
        var options = new ConsolesOptions { ["x"] = new ConsoleOptions { Source = source, Display = display } };
        var result = new ConsolesOptionsValidator().Validate(null, options);
        if (problem is null)
        {
            Assert.True(result.Succeeded, result.FailureMessage);
            return;
        }
        Assert.True(result.Failed);
        Assert.Contains("Consoles:x:Display", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains(problem, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validator_RejectsIdsThatCannotBeInAUrl()
    {
        var options = new ConsolesOptions { ["vm 1/../x"] = new ConsoleOptions { Source = "demo" } };
        Assert.True(new ConsolesOptionsValidator().Validate(null, options).Failed);
    }
}
