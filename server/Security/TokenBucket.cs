namespace WebConsole.Security;

/// <summary>
/// A token bucket on the injected clock: <see cref="TryTake"/> succeeds while tokens remain;
/// tokens come back at <c>rate</c> per second up to <c>burst</c>. Not thread-safe: one per connection,
/// and SignalR runs a connection's invocations one at a time.
/// </summary>
internal sealed class TokenBucket
{
    private readonly double _rate;
    private readonly double _burst;
    private readonly TimeProvider _time;
    private double _tokens;
    private long _last;

    public TokenBucket(double rate, double burst, TimeProvider time)
    {
        _rate = rate;
        _burst = burst;
        _time = time;
        _tokens = burst;
        _last = time.GetTimestamp();
    }

    public bool TryTake(int count)
    {
        long now = _time.GetTimestamp();
        _tokens = Math.Min(_burst, _tokens + _time.GetElapsedTime(_last, now).TotalSeconds * _rate);
        _last = now;
        if (count > _tokens)
        {
            return false;
        }
        _tokens -= count;
        return true;
    }
}
