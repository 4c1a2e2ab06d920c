namespace WebConsole.Consoles.Libvirt;

internal sealed partial class LibvirtConsoleProvider
{
    [LoggerMessage(Level = LogLevel.Information, Message = "libvirt {Uri} connected: its domains with a D-Bus display are consoles")]
    private partial void LogConnected(string uri);

    [LoggerMessage(Level = LogLevel.Error, Message = "libvirt {Uri} cannot be reached, retrying with a backoff (its consoles wait): {Reason}")]
    private partial void LogUnreachable(string uri, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "libvirt {Uri} went away, reconnecting (its consoles wait): {Reason}")]
    private partial void LogLost(string uri, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "libvirt {Uri} is back; its consoles are synced again")]
    private partial void LogReconnected(string uri);

    [LoggerMessage(Level = LogLevel.Warning, Message = "libvirt {Uri}: listing the domains failed, the consoles stay as they were: {Reason}")]
    private partial void LogListFailed(string uri, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "libvirt {Uri}: syncing the consoles failed; the next event tries again")]
    private partial void LogSyncFailed(Exception exception, string uri);

    [LoggerMessage(Level = LogLevel.Warning, Message = "libvirt: {Note}")]
    private partial void LogDomainNote(string note);
}
