using Microsoft.AspNetCore.SignalR;

namespace WebConsole.Security;

/// <summary>
/// A hub call refused for the client's own doing; the client gets the message. Counted by
/// <see cref="ClientRefusals"/> and never logged by itself (<see cref="RedactingLogger"/> drops
/// the entries that carry it, such as SignalR's "Failed to invoke hub method" with its stack).
/// </summary>
internal sealed class ClientRefusedException(string message) : HubException(message);
