namespace WebConsole.Security;

/// <summary>Why a request for the API or the operational endpoints is refused.</summary>
internal enum OperatorRefusal
{
    /// <summary>Admitted.</summary>
    None,
    /// <summary>No key is configured and the caller is not on this machine.</summary>
    NotLocal,
    /// <summary>Keys are configured and the request presents none.</summary>
    NoKey,
    /// <summary>The request presents a key that is not one of <c>Security:ApiKeys</c>.</summary>
    WrongKey,
}
