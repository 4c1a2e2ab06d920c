namespace WebConsole.Security;

/// <summary>Why a client's call was refused or cut short: its own doing, counted rather than logged one by one.</summary>
internal enum ClientRefusal
{
    InputRingFull,
    TextTooLong,
    TooManyEvents,
    InvalidInput,
    Untypable,
    ViewOnly,
    InputRate,
    CallRate,
    JoinRate,
    WrongConsole,
    UnknownConsole,
    NotJoined,
    ClipboardDenied,
    ClipboardTooLarge,
    ClipboardInvalid,
    ClipboardRate,
}
