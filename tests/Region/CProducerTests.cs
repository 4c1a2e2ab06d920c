using System.Buffers.Binary;
using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using WebConsole.Region;

namespace WebConsole.Tests.Region;

/// <summary>
/// A producer written in C against include/webconsole/wcfb.h alone (tests/Native/c_producer.c),
/// compiled with gcc and run as its own process, talking to the C# <see cref="RegionReader"/>.
/// </summary>
public sealed class CProducerTests
{
    private const int Width = 200;
    private const int Height = 120;
    private const int CursorWidth = 8;
    private const int CursorHeight = 6;
    private static readonly PixelRect Changed = new(30, 40, 16, 8);
    private static readonly TimeSpan CompileTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(5);

    [Fact]
    public void CProducer_HeaderCompilesAsPedanticC11()
    {
        string dir = Directory.CreateTempSubdirectory("webconsole-wcfb-").FullName;
        try
        {
            string source = Path.Combine(dir, "header_only.c");
            File.WriteAllText(source, "#include \"webconsole/wcfb.h\"\nint main(void) { return 0; }\n");
            (int exit, string output) = RunTool("gcc",
                ["-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic", "-fsyntax-only", "-I", IncludeDir, source]);
            Assert.True(exit == 0, $"gcc -pedantic rejected wcfb.h (exit {exit}):\n{output}");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData(1, "XR24")]
    [InlineData(2, "XR24")]
    [InlineData(3, "XR24")]
    [InlineData(2, "AB24")]
    [InlineData(2, "RG16")]
    public async Task CProducer_PixelsDamageCursorAndInputReachTheOtherSide(int buffers, string format)
    {
        string dir = Directory.CreateTempSubdirectory("webconsole-cproducer-").FullName;
        try
        {
            string exe = Compile(dir);
            using var temp = new TempRegion("c");
            using var producer = new ProducerProcess(exe, temp.Path, buffers, format);
            try
            {
                await RunScenario(producer, temp.Path, buffers, format);
            }
            finally
            {
                producer.Kill();
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task RunScenario(ProducerProcess producer, string path, int buffers, string format)
    {
        string? ready = await producer.NextLine(ReadyTimeout);
        Assert.True(ready == "ready", $"expected \"ready\" from the producer, got {Show(ready)}; stderr:\n{producer.Stderr}");

        using var reader = new RegionReader(path);

        // The first frame, the cursor plane and its image.
        RegionChange change = reader.Poll();
        Assert.True(reader.Status == RegionStatus.Ready, $"status {reader.Status}: {reader.Reason}");
        Assert.True(change.HasFlag(RegionChange.Pixels), $"first poll: {change}");
        Assert.True(change.HasFlag(RegionChange.CursorImage), $"first poll: {change}");
        RegionHeader h = reader.Header;
        Assert.Equal(FormatOf(format), h.Format);
        Assert.Equal(Width, h.Width);
        Assert.Equal(Height, h.Height);
        Assert.Equal(buffers, h.BufferCount);
        Assert.True(h.Requested);
        Assert.Equal(1u, h.FrameSeq);
        Assert.Equal([new PixelRect(0, 0, Width, Height)], reader.Damage);
        AssertFrame(reader, format, changedDrawn: false);

        CursorState cursor = reader.Cursor;
        Assert.Equal(50, cursor.X);
        Assert.Equal(60, cursor.Y);
        Assert.Equal(2, cursor.HotX);
        Assert.Equal(3, cursor.HotY);
        Assert.Equal(CursorWidth, cursor.Width);
        Assert.Equal(CursorHeight, cursor.Height);
        Assert.True(cursor.Visible);
        Assert.Equal(1u, cursor.Serial); // one image set on a new file
        Assert.Equal(ExpectedCursorImage(), reader.CursorImage.ToArray());

        // First request: the producer redraws one rectangle and publishes only that as damage.
        Assert.True(reader.RequestUpdate());
        Assert.True(reader.WaitForCompletion(StepTimeout), $"no completion of the first request; stderr:\n{producer.Stderr}");
        change = reader.Poll();
        Assert.Equal(RegionChange.Pixels, change);
        Assert.Equal(2u, reader.Header.FrameSeq);
        Assert.Equal([Changed], reader.Damage);
        AssertFrame(reader, format, changedDrawn: true);

        // Second request: nothing changed, so the producer completes without publishing.
        Assert.True(reader.RequestUpdate());
        Assert.True(reader.WaitForCompletion(StepTimeout), $"no completion of the second request; stderr:\n{producer.Stderr}");
        change = reader.Poll();
        Assert.False(change.HasFlag(RegionChange.Pixels), $"second poll: {change}");
        Assert.Equal(RegionChange.None, change);
        Assert.Empty(reader.Damage);
        Assert.Equal(2u, reader.Header.FrameSeq);
        AssertFrame(reader, format, changedDrawn: true);

        // Input: the producer prints every event it drains and exits after the release of KEY_ESC.
        InputEvent[] events =
        [
            InputEvent.Key(30, true),
            InputEvent.Key(30, false),
            InputEvent.Pointer(10, 20, InputEvent.ButtonLeft),
            InputEvent.Wheel(0, 120),
            InputEvent.Key(1, true),
            InputEvent.Key(1, false),
        ];
        foreach (InputEvent e in events)
        {
            Assert.True(reader.TrySendInput(e), $"input ring refused {e}");
        }
        string[] expected =
        [
            "input 1 30 1 0 0",
            "input 1 30 0 0 0",
            "input 2 0 1 10 20",
            "input 3 0 0 0 120",
            "input 1 1 1 0 0",
            "input 1 1 0 0 0",
        ];
        var printed = new List<string?>();
        foreach (string _ in expected)
        {
            printed.Add(await producer.NextLine(StepTimeout));
        }
        Assert.Equal(expected, printed);
        Assert.Null(await producer.NextLine(StepTimeout)); // end of output: nothing else printed
        Assert.True(producer.WaitForExit(StepTimeout), "the producer did not exit after KEY_ESC was released");
        Assert.True(producer.ExitCode == 0, $"producer exit code {producer.ExitCode}; stderr:\n{producer.Stderr}");
    }

    // ---- the patterns of c_producer.c --------------------------------------------------------

    private static (byte R, byte G, byte B, byte A) Pattern(int x, int y, bool changed)
    {
        byte r = (byte)(x * 7 + y * 3);
        byte g = (byte)((x * 5) ^ (y * 11));
        byte b = (byte)(x + y * 13);
        byte a = (byte)(x * y + 1);
        return changed ? ((byte)(r ^ 0xA5), (byte)(g ^ 0x5A), (byte)(b ^ 0xC3), (byte)(a ^ 0x3C)) : (r, g, b, a);
    }

    /// <summary>The pixel as the reader's XRGB8888 copy holds it (see PixelConverter).</summary>
    private static uint ExpectedXrgb(string format, int x, int y, bool changed)
    {
        var (r, g, b, a) = Pattern(x, y, changed);
        switch (format)
        {
            case "XR24": // copied as is, X byte included
            case "AB24": // red and blue swapped, the A byte stays on top
                return (uint)a << 24 | (uint)r << 16 | (uint)g << 8 | b;
            case "RG16": // 5/6-bit channels expanded by bit replication, opaque
                uint r5 = (uint)r >> 3, g6 = (uint)g >> 2, b5 = (uint)b >> 3;
                return 0xFF000000u | (r5 << 3 | r5 >> 2) << 16 | (g6 << 2 | g6 >> 4) << 8 | (b5 << 3 | b5 >> 2);
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "not a format of c_producer");
        }
    }

    private static PixelFormat FormatOf(string format) => format switch
    {
        "XR24" => PixelFormat.Xrgb8888,
        "AB24" => PixelFormat.Abgr8888,
        "RG16" => PixelFormat.Rgb565,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "not a format of c_producer"),
    };

    private static uint CursorPixel(int x, int y) =>
        (uint)(0x80 + y * 8 + x) << 24 | (uint)(0x10 + x * 17) << 16 | (uint)(0x20 + y * 29) << 8 | (uint)(x * 16 + y);

    private static byte[] ExpectedCursorImage()
    {
        byte[] image = new byte[RegionFormat.CursorImageSize];
        for (int y = 0; y < CursorHeight; y++)
        {
            for (int x = 0; x < CursorWidth; x++)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(y * RegionFormat.CursorMax * 4 + x * 4), CursorPixel(x, y));
            }
        }
        return image;
    }

    /// <summary>Every pixel of the reader's frame against the pattern; reports the first mismatch and how many.</summary>
    private static void AssertFrame(RegionReader reader, string format, bool changedDrawn)
    {
        Assert.Equal(Width, reader.FrameWidth);
        Assert.Equal(Height, reader.FrameHeight);
        ReadOnlySpan<byte> frame = reader.Frame;
        int mismatches = 0;
        string? first = null;
        for (int y = 0; y < Height; y++)
        {
            for (int x = 0; x < Width; x++)
            {
                bool inRect = changedDrawn && x >= Changed.X && x < Changed.Right && y >= Changed.Y && y < Changed.Bottom;
                uint expected = ExpectedXrgb(format, x, y, inRect);
                uint actual = BinaryPrimitives.ReadUInt32LittleEndian(frame[(y * reader.FrameStride + x * 4)..]);
                if (actual != expected)
                {
                    mismatches++;
                    first ??= $"({x},{y}) expected 0x{expected:X8}, got 0x{actual:X8}";
                }
            }
        }
        Assert.True(mismatches == 0, $"{mismatches} pixels differ from the pattern, first at {first}");
    }

    // ---- building and running the C side ----------------------------------------------------------

    private static string RepoRoot { get; } = FindRepoRoot();

    private static string IncludeDir => Path.Combine(RepoRoot, "include");

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WebConsole.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"WebConsole.sln not found above {AppContext.BaseDirectory}");
    }

    private static string Compile(string dir)
    {
        string exe = Path.Combine(dir, "c_producer");
        string source = Path.Combine(RepoRoot, "tests", "Native", "c_producer.c");
        (int exit, string output) = RunTool("gcc",
            ["-std=c11", "-Wall", "-Wextra", "-Werror", "-I", IncludeDir, "-o", exe, source]);
        Assert.True(exit == 0, $"gcc failed to build {source} (exit {exit}):\n{output}");
        return exe;
    }

    /// <summary>Runs a compiler to completion; a missing compiler fails the test rather than skipping it.</summary>
    private static (int Exit, string Output) RunTool(string tool, string[] args)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start");
        }
        catch (Win32Exception e)
        {
            Assert.Fail($"{tool} is required for this test and could not be run: {e.Message}");
            throw;
        }
        using (process)
        {
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(CompileTimeout))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"{tool} did not finish within {CompileTimeout.TotalSeconds} s");
            }
            // The process has exited, so both pipes are at their end.
            Assert.True(Task.WaitAll([stdout, stderr], CompileTimeout), $"{tool} output was not read to its end");
            return (process.ExitCode, stdout.Result + stderr.Result);
        }
    }

    /// <summary>The running producer, its stdout as a channel of lines (null = end of output).</summary>
    private sealed class ProducerProcess : IDisposable
    {
        private readonly Process _process;
        private readonly Channel<string?> _lines = Channel.CreateUnbounded<string?>();
        private readonly StringBuilder _stderr = new();

        public ProducerProcess(string exe, string path, int buffers, string format)
        {
            var start = new ProcessStartInfo(exe)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(path);
            start.ArgumentList.Add(buffers.ToString(System.Globalization.CultureInfo.InvariantCulture));
            start.ArgumentList.Add(format);
            _process = new Process { StartInfo = start };
            _process.OutputDataReceived += (_, e) => _lines.Writer.TryWrite(e.Data);
            _process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    lock (_stderr)
                    {
                        _stderr.AppendLine(e.Data);
                    }
                }
            };
            _process.Start();
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public int ExitCode => _process.ExitCode;

        public string Stderr
        {
            get
            {
                lock (_stderr)
                {
                    return _stderr.ToString();
                }
            }
        }

        /// <summary>The next line the producer printed, null at the end of its output; times out with an exception.</summary>
        public async Task<string?> NextLine(TimeSpan timeout)
        {
            try
            {
                return await _lines.Reader.ReadAsync().AsTask().WaitAsync(timeout);
            }
            catch (TimeoutException)
            {
                Assert.Fail($"the producer printed nothing within {timeout.TotalSeconds} s; stderr:\n{Stderr}");
                throw;
            }
        }

        public bool WaitForExit(TimeSpan timeout) => _process.WaitForExit(timeout);

        public void Kill()
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                }
                _process.WaitForExit(StepTimeout);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }

        public void Dispose() => _process.Dispose();
    }

    private static string Show(string? line) => line is null ? "end of output" : $"\"{line}\"";
}
