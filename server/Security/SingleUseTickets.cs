using System.Collections.Concurrent;

namespace WebConsole.Security;

/// <summary>
/// The jti of every single-use ticket that has connected, until the ticket expires. Bounded: when
/// full of unexpired entries it refuses new ones (fails closed) rather than forgetting used tickets.
/// </summary>
internal sealed class SingleUseTickets(TimeProvider time)
{
    public const int Capacity = 100_000;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _used = new(StringComparer.Ordinal);
    private readonly Lock _purge = new();
    private int _added;

    public int Count => _used.Count;

    /// <summary>True when <paramref name="ticket"/> has already connected.</summary>
    public bool IsUsed(Ticket ticket) =>
        ticket.Id is not null && _used.TryGetValue(ticket.Id, out DateTimeOffset until) && until > time.GetUtcNow();

    /// <summary>Marks the ticket used; false with the reason when it already was, or when the store is full.</summary>
    public bool TryConsume(Ticket ticket, out TicketFailure failure)
    {
        if (_used.Count >= Capacity)
        {
            Purge();
            if (_used.Count >= Capacity)
            {
                failure = TicketFailure.TooManyInFlight;
                return false;
            }
        }
        // Kept a little past expiry: the validator still accepts a ticket within the clock skew.
        if (ticket.Id is null || !_used.TryAdd(ticket.Id, ticket.ExpiresAt + TicketService.ClockSkew))
        {
            failure = TicketFailure.Reused;
            return false;
        }
        if (Interlocked.Increment(ref _added) % 1024 == 0)
        {
            Purge();
        }
        failure = TicketFailure.None;
        return true;
    }

    /// <summary>Forgets tickets that have expired (they are refused as expired anyway).</summary>
    public void Purge()
    {
        lock (_purge)
        {
            DateTimeOffset now = time.GetUtcNow();
            foreach (var (id, until) in _used)
            {
                if (until <= now)
                {
                    _used.TryRemove(id, out _);
                }
            }
        }
    }
}
