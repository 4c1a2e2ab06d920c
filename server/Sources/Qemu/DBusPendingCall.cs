namespace WebConsole.Sources.Qemu;

/// <summary>A method call waiting for its answer: the reply is read on the receiving thread, then <see cref="Done"/> is set.</summary>
internal sealed class DBusPendingCall(Action<DBusMessage>? reply)
{
    public ManualResetEventSlim Done { get; } = new();

    public string? Error { get; private set; }

    public void Complete(DBusMessage message)
    {
        if (message.Type == DBusMessageType.Error)
        {
            string text = "";
            try
            {
                if (message.Signature.StartsWith('s'))
                {
                    text = new DBusBodyReader(message.Body.Span).ReadString();
                }
            }
            catch (DBusFormatException)
            {
            }
            Error = $"{message.ErrorName} {text}";
        }
        else
        {
            try
            {
                reply?.Invoke(message);
            }
            catch (DBusFormatException e)
            {
                Error = e.Message;
            }
        }
        Done.Set();
    }

    public void Fail(string reason)
    {
        Error ??= reason;
        Done.Set();
    }
}
