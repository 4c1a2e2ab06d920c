namespace WebConsole.Hosting;

/// <summary>The body of an API refusal: what is wrong, in words an operator can act on.</summary>
public sealed record ApiError(string Error);
