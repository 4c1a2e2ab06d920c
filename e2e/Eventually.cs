namespace WebConsole.E2E;

/// <summary>Retries an assertion until it holds or the time is up, then fails with its last failure.</summary>
internal static class Eventually
{
    public static async Task HoldsAsync(Func<Task> assertion, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                await assertion();
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }
}
