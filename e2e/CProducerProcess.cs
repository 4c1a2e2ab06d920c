using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace WebConsole.E2E;

/// <summary>
/// examples/c-producer built with its Makefile (gcc, -Werror) into a temporary folder and run as
/// its own process; stopped with SIGTERM like a service manager would.
/// </summary>
internal sealed partial class CProducerProcess : IDisposable
{
    private static readonly TimeSpan s_buildTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly string _dir;
    private readonly BlockingCollection<string> _lines = new();
    private readonly ConcurrentQueue<string> _stderr = new();

    private CProducerProcess(Process process, string dir)
    {
        _process = process;
        _dir = dir;
    }

    public string Stderr => string.Join('\n', _stderr);

    /// <summary>Builds the example and starts it on <paramref name="path"/>; returns once it printed "ready".</summary>
    public static CProducerProcess Start(string path, string size, params string[] options)
    {
        string dir = Directory.CreateTempSubdirectory("webconsole-c-producer-").FullName;
        string exe = Path.Combine(dir, "c-producer");
        (int exit, string output) = Run("make", ["-s", "-C", Path.Combine(RepoPaths.Root, "examples", "c-producer"), $"OUT={exe}"]);
        if (exit != 0)
        {
            Directory.Delete(dir, recursive: true);
            throw new InvalidOperationException($"make failed (exit {exit}):\n{output}");
        }
        var info = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(path);
        info.ArgumentList.Add(size);
        foreach (string option in options)
        {
            info.ArgumentList.Add(option);
        }
        var process = new Process { StartInfo = info };
        var producer = new CProducerProcess(process, dir);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                producer._lines.Add(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                producer._stderr.Enqueue(e.Data);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        string? first = producer.NextLine(TimeSpan.FromSeconds(10));
        if (first is null || !first.StartsWith("ready ", StringComparison.Ordinal))
        {
            producer.Dispose();
            throw new InvalidOperationException($"the producer said {first ?? "nothing"}; stderr:\n{producer.Stderr}");
        }
        return producer;
    }

    /// <summary>The next line the producer printed, or null after <paramref name="timeout"/>.</summary>
    public string? NextLine(TimeSpan timeout) => _lines.TryTake(out string? line, timeout) ? line : null;

    /// <summary>Sends SIGTERM and waits; returns the exit code.</summary>
    public int Stop(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            _ = SendSignal(_process.Id, SigTerm);
        }
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill();
            _process.WaitForExit();
            return -1;
        }
        _process.WaitForExit(); // flush the output readers
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
        _process.Dispose();
        _lines.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private static (int Exit, string Output) Run(string tool, string[] args)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        using Process process = Process.Start(info)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(s_buildTimeout))
        {
            process.Kill();
            throw new TimeoutException($"{tool} took longer than {s_buildTimeout}");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int SendSignal(int pid, int signal);
}
