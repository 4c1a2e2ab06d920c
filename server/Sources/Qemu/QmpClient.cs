using System.Text.Json;

namespace WebConsole.Sources.Qemu;

/// <summary>
/// Just enough QMP to hand QEMU one end of a socketpair as a D-Bus display client: the greeting,
/// <c>qmp_capabilities</c>, <c>getfd</c> (the descriptor travels as SCM_RIGHTS with the command)
/// and <c>add_client</c> with protocol <c>@dbus-display</c>. Lines are bounded; events are skipped.
/// </summary>
internal sealed class QmpClient : IDisposable
{
    private const int MaxLine = 64 * 1024;
    private const string FdName = "webconsole-dbus";

    private readonly byte[] _buffer = new byte[MaxLine];
    private readonly Queue<int> _strayFds = new();
    private readonly TimeSpan _timeout;
    private readonly QemuPeerAbort? _abort;
    private int _fd = -1;
    private int _start, _end;

    private QmpClient(int fd, TimeSpan timeout, QemuPeerAbort? abort)
    {
        _fd = fd;
        _timeout = timeout;
        _abort = abort;
        abort?.Watch(fd);
    }

    /// <summary>
    /// Connects and negotiates; throws <see cref="IOException"/> with a reason for the status line.
    /// The greeting and each answer must come within <paramref name="timeout"/> (a deadline for
    /// the whole line, not per read); <paramref name="abort"/> ends any wait at once.
    /// </summary>
    public static QmpClient Connect(string path, TimeSpan timeout, QemuPeerAbort? abort = null)
    {
        int error = QemuNative.Connect(path, isAbstract: false, out int fd);
        if (error != 0)
        {
            throw new IOException(error switch
            {
                2 => $"{path} does not exist",
                111 => $"nobody listens on {path}",
                11 => $"nobody accepts on {path} (its backlog is full)",
                _ => $"cannot connect to {path}: errno {error}",
            });
        }
        var client = new QmpClient(fd, timeout, abort);
        try
        {
            using (JsonDocument greeting = client.ReadMessage("its greeting"))
            {
                if (!greeting.RootElement.TryGetProperty("QMP", out _))
                {
                    throw new IOException($"{path} is not a QMP socket");
                }
            }
            client.Execute("{\"execute\":\"qmp_capabilities\"}", -1);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Passes <paramref name="clientFd"/> to QEMU and makes it a D-Bus display client there.</summary>
    public void AddDBusDisplayClient(int clientFd)
    {
        Execute($"{{\"execute\":\"getfd\",\"arguments\":{{\"fdname\":\"{FdName}\"}}}}", clientFd);
        Execute($"{{\"execute\":\"add_client\",\"arguments\":{{\"protocol\":\"@dbus-display\",\"fdname\":\"{FdName}\"}}}}", -1);
    }

    /// <summary>
    /// Whether QEMU has a <c>qemu-vdagent</c> chardev (<c>query-chardev</c>: a chardev's filename is
    /// its backend's name when the backend has no file): the only way QEMU's guest clipboard agent
    /// reaches it. Whether that chardev has <c>clipboard=on</c> QMP does not say.
    /// </summary>
    public bool HasVdagentChardev()
    {
        bool found = false;
        Execute("{\"execute\":\"query-chardev\"}", -1, answer =>
        {
            if (answer.ValueKind != JsonValueKind.Array)
            {
                return;
            }
            foreach (JsonElement chardev in answer.EnumerateArray())
            {
                if (chardev.ValueKind == JsonValueKind.Object && chardev.TryGetProperty("filename", out JsonElement name)
                    && name.ValueKind == JsonValueKind.String && name.ValueEquals("qemu-vdagent"))
                {
                    found = true;
                }
            }
        });
        return found;
    }

    private void Execute(string command, int passFd, Action<JsonElement>? onReturn = null)
    {
        string name = command.Split('"')[3];
        int error = QemuNative.Send(_fd, System.Text.Encoding.UTF8.GetBytes(command + "\n"), passFd);
        if (error != 0)
        {
            throw new IOException(error == 11
                ? $"QMP did not read {name} within {Seconds(QemuNative.SendTimeout)}"
                : $"QMP send failed: errno {error}");
        }
        // One deadline for the answer, however many events come before it.
        long deadline = Environment.TickCount64 + (long)_timeout.TotalMilliseconds;
        while (true)
        {
            using JsonDocument answer = ReadMessage($"its answer to {name}", deadline);
            JsonElement root = answer.RootElement;
            if (root.TryGetProperty("return", out JsonElement value))
            {
                onReturn?.Invoke(value);
                return;
            }
            if (root.TryGetProperty("error", out JsonElement failure))
            {
                string desc = failure.TryGetProperty("desc", out JsonElement d) ? d.ToString() : failure.ToString();
                throw new IOException($"QMP refused {name}: {desc}");
            }
            // An event ({"event": ...}) or anything else: not the answer.
        }
    }

    private JsonDocument ReadMessage(string what) => ReadMessage(what, Environment.TickCount64 + (long)_timeout.TotalMilliseconds);

    /// <summary>The next line, which must be complete by <paramref name="deadline"/> (Environment.TickCount64).</summary>
    private JsonDocument ReadMessage(string what, long deadline)
    {
        while (true)
        {
            int newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var line = new ReadOnlyMemory<byte>(_buffer, _start, newline);
                _start += newline + 1;
                try
                {
                    return JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = 16 });
                }
                catch (JsonException e)
                {
                    throw new IOException($"QMP sent something that is not JSON: {e.Message}");
                }
            }
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            if (_end == _buffer.Length)
            {
                throw new IOException($"QMP line longer than {MaxLine} bytes");
            }
            long left = deadline - Environment.TickCount64;
            if (left <= 0 || !QemuNative.WaitReadable(_fd, (int)left))
            {
                throw new IOException($"QMP did not send {what} within {Seconds(_timeout)}");
            }
            int error = QemuNative.Receive(_fd, _buffer.AsSpan(_end), _strayFds, out int received, out _);
            while (_strayFds.Count > 0)
            {
                QemuNative.Close(_strayFds.Dequeue());
            }
            if (error != 0 || received == 0)
            {
                throw new IOException(_abort?.IsAborted == true ? "stopped" : error != 0 ? $"QMP receive failed: errno {error}" : "QEMU closed the QMP connection");
            }
            _end += received;
        }
    }

    public void Dispose()
    {
        _abort?.Forget(_fd);
        QemuNative.Close(_fd);
        _fd = -1;
    }

    internal static string Seconds(TimeSpan t) => $"{t.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)} s";
}
