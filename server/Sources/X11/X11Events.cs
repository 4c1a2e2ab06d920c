namespace WebConsole.Sources.X11;

/// <summary>What the events read by one <see cref="X11Connection.Pump"/> were about.</summary>
internal struct X11Events
{
    /// <summary>DAMAGE reported new damage on the root window.</summary>
    public bool Damaged;

    /// <summary>The root window changed size (RandR); the connection's Width and Height are the new size.</summary>
    public bool Resized;

    /// <summary>XFixes: the cursor image changed.</summary>
    public bool CursorChanged;

    /// <summary>Protocol errors the server sent for requests made without a check.</summary>
    public int Errors;
}
