using System.Globalization;
using System.Runtime.InteropServices;

namespace WebConsole.Demo;

/// <summary>The standalone demo producer: writes a live region until Ctrl-C or SIGTERM.</summary>
internal static class Program
{
    private const string Usage =
        "usage: WebConsole.Demo [--path FILE] [--width N] [--height N] [--buffers 1-3] [--requested] [--fps N] [--seed N] [--keep]\n" +
        "  --path       region file (default /dev/shm/webconsole-demo.fb)\n" +
        "  --width      frame width (default 1280)\n" +
        "  --height     frame height (default 720)\n" +
        "  --buffers    pixel buffers (default 2)\n" +
        "  --requested  render only when the consumer asks\n" +
        "  --fps        frame rate when free-running (default 30)\n" +
        "  --seed       seed of the photo-like noise (default 1)\n" +
        "  --keep       leave the region file in place on exit";

    private static async Task<int> Main(string[] args)
    {
        if (!TryParse(args, out DemoProducerOptions options, out string? error))
        {
            if (error is null)
            {
                Console.WriteLine(Usage); // asked for
                return 0;
            }
            Console.Error.WriteLine(error);
            Console.Error.WriteLine(Usage);
            return 2;
        }
        using var stop = new CancellationTokenSource();
        // Ctrl-C and a service manager's SIGTERM both end the loop, which then removes the file.
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        var producer = new DemoProducer(options, TimeProvider.System);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"demo: writing {options.Width}x{options.Height} to {options.Path} " +
            $"({(options.Requested ? "on request" : $"{options.FramesPerSecond} fps")}); Ctrl-C stops"));
        try
        {
            await producer.RunAsync(stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"demo: {e.Message}");
            return 1;
        }
        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true; // stop cleanly instead of the default abrupt exit
            stop.Cancel();
        }
    }

    private static bool TryParse(string[] args, out DemoProducerOptions options, out string? error)
    {
        options = new DemoProducerOptions();
        error = null;
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            switch (name)
            {
                case "--requested":
                    options = options with { Requested = true };
                    continue;
                case "--keep":
                    options = options with { DeleteOnStop = false };
                    continue;
                case "-h" or "--help":
                    return false;
                case not ("--path" or "--width" or "--height" or "--buffers" or "--fps" or "--seed"):
                    error = $"demo: unknown option {name}";
                    return false;
            }
            if (i + 1 >= args.Length)
            {
                error = $"demo: {name} needs a value";
                return false;
            }
            string value = args[++i];
            if (name == "--path")
            {
                options = options with { Path = value };
                continue;
            }
            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int number))
            {
                error = $"demo: {name} takes a whole number, not '{value}'";
                return false;
            }
            switch (name)
            {
                case "--width":
                    options = options with { Width = number };
                    break;
                case "--height":
                    options = options with { Height = number };
                    break;
                case "--buffers":
                    options = options with { BufferCount = number };
                    break;
                case "--fps":
                    options = options with { FramesPerSecond = number };
                    break;
                default:
                    options = options with { Seed = (uint)number };
                    break;
            }
        }
        if (options.Width is < 1 or > 16384 || options.Height is < 1 or > 16384 || options.BufferCount is < 1 or > 3 ||
            options.FramesPerSecond is < 1 or > 1000)
        {
            error = "demo: width and height must be 1-16384, buffers 1-3, fps 1-1000";
            return false;
        }
        return true;
    }
}
