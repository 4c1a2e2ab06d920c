using System.Collections.Concurrent;
using WebConsole.Sources.Clipboard;

namespace WebConsole.Tests.Streaming;

/// <summary>A guest clipboard a test drives: it records what is set and copies what the test says.</summary>
internal sealed class FakeGuestClipboard : IGuestClipboard
{
    private readonly List<Action<string>> _subscribers = [];
    private ClipboardDirections _directions = ClipboardDirections.Both;

    public BlockingCollection<string> Set { get; } = new();

    public ClipboardDirections Directions => _directions;

    public string? Reason { get; private set; }

    public event Action? Changed;

    public void Change(ClipboardDirections directions, string? reason)
    {
        _directions = directions;
        Reason = reason;
        Changed?.Invoke();
    }

    public ValueTask<bool> SetTextAsync(string text, CancellationToken cancellationToken)
    {
        Set.Add(text, cancellationToken);
        return ValueTask.FromResult(true);
    }

    public IDisposable Subscribe(Action<string> onGuestText)
    {
        lock (_subscribers)
        {
            _subscribers.Add(onGuestText);
        }
        return new Unsubscribe(() =>
        {
            lock (_subscribers)
            {
                _subscribers.Remove(onGuestText);
            }
        });
    }

    /// <summary>The guest copies <paramref name="text"/>.</summary>
    public void Copy(string text)
    {
        Action<string>[] all;
        lock (_subscribers)
        {
            all = [.. _subscribers];
        }
        foreach (Action<string> subscriber in all)
        {
            subscriber(text);
        }
    }

    private sealed class Unsubscribe(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
